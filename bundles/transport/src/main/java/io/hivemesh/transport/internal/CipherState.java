package io.hivemesh.transport.internal;

import java.security.GeneralSecurityException;
import javax.crypto.AEADBadTagException;

/**
 * A Noise CipherState with ChaCha20-Poly1305 (Noise spec section 5.1, "ChaChaPoly" cipher): 32-byte
 * key, 64-bit counter nonce encoded as 4 zero bytes then the little-endian counter. The AEAD itself is
 * this JVM's {@link NoiseCiphers#chosen()} (Conscrypt if it loads, else the JDK's). Not thread-safe:
 * one instance per direction, used from the channel's event loop.
 */
final class CipherState {
    static final int TAG_LENGTH = NoiseCipher.TAG_LENGTH;

    private final NoiseCipher cipher;
    private final byte[] nonce = new byte[12];
    private long n;

    CipherState(byte[] key) {
        this(key, NoiseCiphers.chosen().factory());
    }

    CipherState(byte[] key, NoiseCipher.Factory factory) {
        this.cipher = factory.create(key);
    }

    private byte[] nextNonce() {
        if (n == -1L) {
            throw new IllegalStateException("noise: nonce exhausted");
        }
        long v = n++;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (v >>> (8 * i));
        }
        return nonce;
    }

    /** Encrypts {@code len} bytes of {@code in} at {@code off} into {@code out} at {@code outOff}; returns bytes written. */
    int encrypt(byte[] ad, byte[] in, int off, int len, byte[] out, int outOff) {
        try {
            return cipher.seal(nextNonce(), ad, in, off, len, out, outOff);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("noise: encryption failed", e);
        }
    }

    /**
     * Decrypts and authenticates; returns plaintext length.
     *
     * @throws ProtocolViolationException if authentication fails
     */
    int decrypt(byte[] ad, byte[] in, int off, int len, byte[] out, int outOff) {
        if (len < TAG_LENGTH) {
            throw new ProtocolViolationException("noise: ciphertext of " + len + " bytes is shorter than its tag");
        }
        try {
            return cipher.open(nextNonce(), ad, in, off, len, out, outOff);
        } catch (AEADBadTagException e) {
            throw new ProtocolViolationException("noise: message failed decryption (bad tag)", e);
        } catch (GeneralSecurityException e) {
            throw new ProtocolViolationException("noise: decryption failed: " + e.getMessage(), e);
        }
    }
}

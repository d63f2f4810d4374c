package io.hivemesh.transport.internal;

import java.security.GeneralSecurityException;
import java.util.Arrays;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * A Noise CipherState with ChaCha20-Poly1305 (Noise spec section 5.1, "ChaChaPoly" cipher): 32-byte
 * key, 64-bit counter nonce encoded as 4 zero bytes then the little-endian counter. Uses the JDK's
 * own provider. Not thread-safe: one instance per direction, used from the channel's event loop.
 */
final class CipherState {
    static final int TAG_LENGTH = 16;

    private final SecretKeySpec key;
    private final Cipher cipher;
    private final byte[] nonce = new byte[12];
    private long n;

    CipherState(byte[] key) {
        this.key = new SecretKeySpec(Arrays.copyOf(key, 32), "ChaCha20");
        try {
            this.cipher = Cipher.getInstance("ChaCha20-Poly1305");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JDK provides no ChaCha20-Poly1305", e);
        }
    }

    private IvParameterSpec nextNonce() {
        if (n == -1L) {
            throw new IllegalStateException("noise: nonce exhausted");
        }
        long v = n++;
        for (int i = 0; i < 8; i++) {
            nonce[4 + i] = (byte) (v >>> (8 * i));
        }
        return new IvParameterSpec(nonce);
    }

    /** Encrypts {@code len} bytes of {@code in} at {@code off} into {@code out} at {@code outOff}; returns bytes written. */
    int encrypt(byte[] ad, byte[] in, int off, int len, byte[] out, int outOff) {
        try {
            cipher.init(Cipher.ENCRYPT_MODE, key, nextNonce());
            if (ad != null) {
                cipher.updateAAD(ad);
            }
            return cipher.doFinal(in, off, len, out, outOff);
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
            cipher.init(Cipher.DECRYPT_MODE, key, nextNonce());
            if (ad != null) {
                cipher.updateAAD(ad);
            }
            return cipher.doFinal(in, off, len, out, outOff);
        } catch (AEADBadTagException e) {
            throw new ProtocolViolationException("noise: message failed decryption (bad tag)", e);
        } catch (GeneralSecurityException e) {
            throw new ProtocolViolationException("noise: decryption failed: " + e.getMessage(), e);
        }
    }
}

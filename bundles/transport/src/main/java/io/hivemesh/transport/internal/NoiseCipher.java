package io.hivemesh.transport.internal;

import java.security.GeneralSecurityException;

/**
 * One ChaCha20-Poly1305 AEAD key (RFC 8439 section 2.8) as the Noise {@code ChaChaPoly} cipher uses it:
 * the caller supplies each 12-byte nonce (Noise's counter encoding is {@link CipherState}'s business).
 * Implementations: {@link NoiseCiphers#JDK} (the JDK's SunJCE provider, the fallback) and
 * {@link NoiseCiphers#conscrypt()} (BoringSSL through JNI); {@link NoiseCiphers#chosen()} picks one per
 * JVM. Not thread-safe: one instance per direction.
 */
interface NoiseCipher {
    int TAG_LENGTH = 16;

    /** Encrypts {@code len} bytes of {@code in} into {@code out} (ciphertext then tag); returns bytes written. */
    int seal(byte[] nonce, byte[] ad, byte[] in, int off, int len, byte[] out, int outOff)
            throws GeneralSecurityException;

    /**
     * Decrypts and authenticates {@code len} bytes (ciphertext then tag) into {@code out}, which has room
     * for {@code len - TAG_LENGTH} bytes; returns plaintext length.
     *
     * @throws javax.crypto.AEADBadTagException if the tag does not authenticate
     */
    int open(byte[] nonce, byte[] ad, byte[] in, int off, int len, byte[] out, int outOff)
            throws GeneralSecurityException;

    /** Makes ciphers of one implementation. Thread-safe. */
    interface Factory {
        /** A cipher keyed with the 32-byte {@code key}. */
        NoiseCipher create(byte[] key);

        /** Short implementation name: {@code jdk} or {@code conscrypt}. */
        String id();

        /** Human-readable: implementation, version, native or not. */
        String description();
    }
}

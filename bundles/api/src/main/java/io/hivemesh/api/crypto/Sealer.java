package io.hivemesh.api.crypto;

/**
 * Public-key encryption to a node's KEM key (hybrid KEM, key derivation, AEAD). Thread-safe.
 */
public interface Sealer {

    /** This node's current KEM public key, as published to other nodes. */
    byte[] kemPublicKey();

    /** Encrypts {@code plaintext} to {@code recipientKemPublicKey}, bound to {@code context}. */
    byte[] seal(byte[] recipientKemPublicKey, SealContext context, byte[] plaintext);

    /**
     * Opens a message sealed to this node (under its current or a rotated-out key) with the same
     * {@code context}; throws {@link CryptoException} and returns nothing on any mismatch.
     */
    byte[] open(SealContext context, byte[] sealed);
}

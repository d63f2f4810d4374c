package io.hivemesh.api.crypto;

import java.util.List;

/**
 * The public keys of this node besides its identity: the hybrid KEM keys that other nodes seal to
 * (the current one and the rotated-out ones still able to open) and the optional ML-DSA-65 key.
 * Thread-safe.
 */
public interface NodeKeys {

    /** Every public key of this node: identity, KEM keys (current first), ML-DSA-65 if present. */
    List<KeyInfo> publicKeys();

    /**
     * Generates a new KEM key pair and makes it current; the previous keys stay able to open what
     * was sealed to them (up to the configured number of retained keys). Persisted before it returns.
     */
    KeyInfo rotateKem();
}

package io.hivemesh.api.crypto;

import java.time.Instant;
import java.util.Objects;

/**
 * One public key of this node: its algorithm, a short id (hex of the first 8 bytes of the SHA-256
 * of {@code publicKey}), its encoding, when it was created, and whether it is the current key of
 * its kind.
 */
public record KeyInfo(String algorithm, String id, byte[] publicKey, Instant created, boolean current) {
    public KeyInfo {
        Objects.requireNonNull(algorithm, "algorithm");
        Objects.requireNonNull(id, "id");
        publicKey = publicKey.clone();
        Objects.requireNonNull(created, "created");
    }

    @Override
    public byte[] publicKey() {
        return publicKey.clone();
    }
}

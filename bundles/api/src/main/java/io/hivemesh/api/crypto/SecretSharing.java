package io.hivemesh.api.crypto;

import java.util.Collection;
import java.util.List;

/**
 * Threshold secret sharing (Shamir over GF(256)): any {@code threshold} shares rebuild the secret,
 * fewer reveal nothing. Each encoded share carries its index and an integrity tag. Thread-safe.
 */
public interface SecretSharing {

    /** Splits {@code secret} into {@code shares} encoded shares, any {@code threshold} of which suffice. */
    List<byte[]> split(byte[] secret, int threshold, int shares);

    /**
     * Rebuilds the secret; throws {@link CryptoException} naming the problem when there are fewer
     * than the threshold, or a share is corrupted or belongs to another split.
     */
    byte[] combine(Collection<byte[]> shares);
}

package io.hivemesh.dht.internal;

import io.hivemesh.api.peer.PeerId;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Comparator;

/**
 * A point in the Kademlia key space: SHA-256 of a key's bytes (for peers, the PeerId's multihash
 * bytes). Distance is the XOR of two points read as an unsigned 256-bit integer.
 */
public final class KadId {
    public static final int BYTES = 32;
    public static final int BITS = BYTES * 8;
    private final byte[] hash;

    private KadId(byte[] hash) {
        this.hash = hash;
    }

    /** The point of arbitrary key bytes. */
    public static KadId of(byte[] key) {
        try {
            return new KadId(MessageDigest.getInstance("SHA-256").digest(key));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    /** The point of a peer. */
    public static KadId of(PeerId peer) {
        return of(peer.toBytes());
    }

    /** A point given directly by its 32 hash bytes (tests, bucket refresh). */
    public static KadId ofHash(byte[] hash) {
        if (hash.length != BYTES) {
            throw new IllegalArgumentException("a kad id has " + BYTES + " bytes, not " + hash.length);
        }
        return new KadId(hash.clone());
    }

    public byte[] bytes() {
        return hash.clone();
    }

    /** The number of leading bits this point shares with {@code other} (256 when equal). */
    public int commonPrefixLength(KadId other) {
        for (int i = 0; i < BYTES; i++) {
            int x = (hash[i] ^ other.hash[i]) & 0xFF;
            if (x != 0) {
                return i * 8 + Integer.numberOfLeadingZeros(x) - 24;
            }
        }
        return BITS;
    }

    /** Compares the distances of {@code a} and {@code b} to this point: negative if {@code a} is closer. */
    public int compareDistance(KadId a, KadId b) {
        for (int i = 0; i < BYTES; i++) {
            int da = (a.hash[i] ^ hash[i]) & 0xFF;
            int db = (b.hash[i] ^ hash[i]) & 0xFF;
            if (da != db) {
                return Integer.compare(da, db);
            }
        }
        return 0;
    }

    /** Orders peers by their distance to this point, closest first. */
    public Comparator<KadId> byDistance() {
        return this::compareDistance;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof KadId k && Arrays.equals(hash, k.hash);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(hash);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(BYTES * 2);
        for (byte b : hash) {
            sb.append(Character.forDigit((b >> 4) & 0xF, 16)).append(Character.forDigit(b & 0xF, 16));
        }
        return sb.toString();
    }
}

package io.hivemesh.api.net;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import java.time.Duration;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What this node knows about other peers: addresses (each with a time to live), protocols,
 * public keys and measured latency. Expired addresses are never returned. Thread-safe.
 */
public interface PeerStore {

    /** Adds or refreshes addresses of {@code peer}, each valid for {@code ttl} (source {@link AddressSource#IDENTIFY}). */
    void addAddresses(PeerId peer, Collection<Multiaddr> addresses, Duration ttl);

    /**
     * Adds or refreshes addresses of {@code peer} learned from {@code source}, with that source's time
     * to live; an address already known from a more trusted source keeps that source.
     */
    void addAddresses(PeerId peer, Collection<Multiaddr> addresses, AddressSource source);

    /** The unexpired addresses of {@code peer}; empty if none. */
    List<Multiaddr> addresses(PeerId peer);

    /** Replaces the protocols {@code peer} announced (from Identify). */
    void setProtocols(PeerId peer, Collection<String> protocols);

    /** The protocols {@code peer} last announced. */
    Set<String> protocols(PeerId peer);

    /** Records {@code peer}'s public key; it must hash to {@code peer}. */
    void setPublicKey(PeerId peer, PublicKey key);

    /** The public key of {@code peer}, if known (or extractable from an identity PeerId). */
    Optional<PublicKey> publicKey(PeerId peer);

    /** Records one latency sample (kept as a moving average). */
    void recordLatency(PeerId peer, Duration rtt);

    /** The moving-average latency to {@code peer}, if measured. */
    Optional<Duration> latency(PeerId peer);

    /** Every peer with at least one unexpired entry. */
    Set<PeerId> peers();

    /**
     * The latest signed peer record (a libp2p RFC 0002 envelope holding an RFC 0003 peer record)
     * accepted for {@code peer}, as received, to be relayed as is (gossipsub peer exchange does).
     * Empty if none is held, and by default (a store that does not keep records).
     */
    default Optional<byte[]> signedPeerRecord(PeerId peer) {
        return Optional.empty();
    }

    /**
     * Verifies a signed peer record envelope said to be {@code expected}'s (size, payload type
     * {@code libp2p-peer-record}, signature by the envelope's key, that the record names that key's
     * peer and that this is {@code expected}) and, if its sequence number is above the one held (or
     * none is held), keeps it and makes its addresses {@code expected}'s {@link AddressSource#CERTIFIED}
     * ones.
     *
     * @return true if the record was accepted as new; false if it is not newer than the one held
     *     (same or lower sequence number: a relayed copy may be older than what the peer told us)
     * @throws IllegalArgumentException if the envelope does not verify, naming the peer and the problem
     * @throws UnsupportedOperationException by default: a store that does not keep records cannot
     *     certify addresses, and saying so beats pretending the record was merely old
     */
    default boolean addSignedPeerRecord(PeerId expected, byte[] envelope) {
        throw new UnsupportedOperationException("this peer store does not take signed peer records");
    }
}

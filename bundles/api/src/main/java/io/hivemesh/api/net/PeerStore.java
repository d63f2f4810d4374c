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
}

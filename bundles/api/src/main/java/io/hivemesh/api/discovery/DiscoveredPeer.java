package io.hivemesh.api.discovery;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * A peer the node has found.
 *
 * @param peer      the peer
 * @param source    how it was first found
 * @param firstSeen when it was first found
 * @param lastSeen  when a source last reported it
 * @param addresses the addresses the source gave
 * @param connected whether the node is connected to it now
 */
public record DiscoveredPeer(PeerId peer, DiscoverySource source, Instant firstSeen, Instant lastSeen,
        List<Multiaddr> addresses, boolean connected) {
    public DiscoveredPeer {
        Objects.requireNonNull(peer, "peer");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(firstSeen, "firstSeen");
        Objects.requireNonNull(lastSeen, "lastSeen");
        addresses = List.copyOf(addresses);
    }
}

package io.hivemesh.api.routing;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import java.util.List;
import java.util.Objects;

/** A peer and the addresses it can be reached at (possibly none known). Immutable. */
public record PeerInfo(PeerId peer, List<Multiaddr> addresses) {
    public PeerInfo {
        Objects.requireNonNull(peer, "peer");
        addresses = List.copyOf(addresses);
    }
}

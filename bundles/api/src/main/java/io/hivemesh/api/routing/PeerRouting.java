package io.hivemesh.api.routing;

import io.hivemesh.api.peer.PeerId;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Finds peers and their addresses through the DHT. Thread-safe. */
public interface PeerRouting {

    /** Finds the addresses of {@code peer}; empty when no reachable peer knows it. */
    CompletableFuture<Optional<PeerInfo>> findPeer(PeerId peer);

    /** The (up to k) peers closest to {@code key} by the DHT's distance metric. */
    CompletableFuture<List<PeerInfo>> closestPeers(byte[] key);
}

package io.hivemesh.discovery.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.PeerInfo;
import io.hivemesh.api.routing.PeerRouting;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link PeerRouting} for tests about discovery's use of it: {@code findPeer} answers from a map
 * the test fills (unknown peers: empty), or, when {@link #hold} is set, keeps the futures unanswered
 * in {@link #held}; every call is recorded. {@code closestPeers} finds nothing. Thread-safe.
 */
final class MapPeerRoutingForTests implements PeerRouting {
    final Map<PeerId, PeerInfo> known = new ConcurrentHashMap<>();
    final List<PeerId> asked = new CopyOnWriteArrayList<>();
    final List<CompletableFuture<Optional<PeerInfo>>> held = new CopyOnWriteArrayList<>();
    volatile boolean hold;

    @Override
    public CompletableFuture<Optional<PeerInfo>> findPeer(PeerId peer) {
        asked.add(peer);
        if (hold) {
            CompletableFuture<Optional<PeerInfo>> f = new CompletableFuture<>();
            held.add(f);
            return f;
        }
        return CompletableFuture.completedFuture(Optional.ofNullable(known.get(peer)));
    }

    @Override
    public CompletableFuture<List<PeerInfo>> closestPeers(byte[] key) {
        return CompletableFuture.completedFuture(List.of());
    }
}

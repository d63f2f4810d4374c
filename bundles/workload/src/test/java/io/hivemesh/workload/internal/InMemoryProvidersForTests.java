package io.hivemesh.workload.internal;

import io.hivemesh.api.multiformats.Cid;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.ContentRouting;
import io.hivemesh.api.routing.PeerInfo;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** A mock of the DHT's provider records shared by in-process nodes: provide, find, withdraw. */
final class InMemoryProvidersForTests {
    private final Map<Cid, Set<PeerId>> providers = new ConcurrentHashMap<>();

    Set<PeerId> of(Cid cid) {
        return Set.copyOf(providers.getOrDefault(cid, Set.of()));
    }

    ContentRouting forNode(PeerId self) {
        return new ContentRouting() {
            @Override
            public CompletableFuture<Integer> provide(Cid cid) {
                providers.computeIfAbsent(cid, c -> ConcurrentHashMap.newKeySet()).add(self);
                return CompletableFuture.completedFuture(1);
            }

            @Override
            public CompletableFuture<Integer> findProviders(Cid cid, int limit, Consumer<PeerInfo> onProvider) {
                Set<PeerId> found = of(cid);
                found.stream().limit(limit).forEach(p -> onProvider.accept(new PeerInfo(p, List.of())));
                return CompletableFuture.completedFuture(found.size());
            }

            @Override
            public CompletableFuture<Void> withdraw(Cid cid) {
                Set<PeerId> s = providers.get(cid);
                if (s != null) {
                    s.remove(self);
                }
                return CompletableFuture.completedFuture(null);
            }

            @Override
            public Set<Cid> provided() {
                Set<Cid> mine = new java.util.HashSet<>();
                providers.forEach((c, s) -> {
                    if (s.contains(self)) {
                        mine.add(c);
                    }
                });
                return mine;
            }
        };
    }
}

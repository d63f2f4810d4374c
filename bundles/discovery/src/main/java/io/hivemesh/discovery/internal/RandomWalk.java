package io.hivemesh.discovery.internal;

import io.hivemesh.api.discovery.DiscoverySource;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.PeerInfo;
import io.hivemesh.api.routing.PeerRouting;
import java.util.Collection;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * DHT random walk: looks up the peers closest to a random 32-byte key through {@link PeerRouting}
 * (which also refreshes the DHT's routing table along the way) and reports each peer found as
 * {@link DiscoverySource#DHT_WALK}. One walk at a time; a walk is bounded by {@link #WALK_TIMEOUT_S}
 * on top of the DHT's own query timeout. Without a DHT a walk finds nothing. Thread-safe.
 */
public final class RandomWalk {
    static final long WALK_TIMEOUT_S = 120;

    /** Where found peers go. */
    public interface Reporter {
        void report(PeerId peer, Collection<Multiaddr> addresses, DiscoverySource source);
    }

    private final Supplier<PeerRouting> routing;
    private final Reporter reporter;
    private final Random random;
    private CompletableFuture<Integer> running;

    public RandomWalk(Supplier<PeerRouting> routing, Reporter reporter, Random random) {
        this.routing = routing;
        this.reporter = reporter;
        this.random = random;
    }

    /** Starts a walk (or returns the one running); completes with the number of peers reported. */
    public synchronized CompletableFuture<Integer> walk() {
        if (running != null && !running.isDone()) {
            return running;
        }
        PeerRouting r = routing.get();
        if (r == null) {
            return CompletableFuture.completedFuture(0);
        }
        byte[] key = new byte[32];
        random.nextBytes(key);
        CompletableFuture<List<PeerInfo>> lookup;
        try {
            lookup = r.closestPeers(key);
        } catch (RuntimeException e) {
            lookup = CompletableFuture.failedFuture(e);
        }
        running = lookup.orTimeout(WALK_TIMEOUT_S, TimeUnit.SECONDS).thenApply(found -> {
            int n = 0;
            for (PeerInfo p : found) {
                reporter.report(p.peer(), p.addresses(), DiscoverySource.DHT_WALK);
                n++;
            }
            return n;
        });
        return running;
    }
}

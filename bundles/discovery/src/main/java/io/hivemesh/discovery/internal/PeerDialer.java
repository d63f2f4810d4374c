package io.hivemesh.discovery.internal;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.peer.PeerId;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Dials discovered peers: at most {@link #MAX_IN_FLIGHT} at once, one dial per peer at a time, the
 * peer's addresses tried in turn (at most {@link #ADDRESSES_PER_DIAL}), and after a failure the peer
 * waits a backoff that doubles from 30 s to 10 min before the next try (remembered for at most
 * {@link #MAX_BACKOFFS} peers). Thread-safe.
 */
public final class PeerDialer {
    private static final Logger LOG = LoggerFactory.getLogger(PeerDialer.class);
    static final int MAX_IN_FLIGHT = 8;
    static final int ADDRESSES_PER_DIAL = 4;
    static final int MAX_BACKOFFS = 4096;
    static final long FIRST_BACKOFF_NS = 30_000_000_000L;
    static final long MAX_BACKOFF_NS = 600_000_000_000L;
    private final Host host;
    private final LongSupplier nanos;
    private final Set<PeerId> inFlight = new HashSet<>();
    private final Map<PeerId, long[]> backoff = new HashMap<>(); // {next allowed nanos, current backoff}

    public PeerDialer(Host host, LongSupplier nanos) {
        this.host = host;
        this.nanos = nanos;
    }

    /** Whether a dial of {@code peer} may start now. */
    public synchronized boolean mayDial(PeerId peer) {
        long[] b = backoff.get(peer);
        return !inFlight.contains(peer) && inFlight.size() < MAX_IN_FLIGHT && (b == null || nanos.getAsLong() - b[0] >= 0);
    }

    /** Dials {@code peer} at {@code addresses} unless {@link #mayDial} says no; completes with whether it connected. */
    public CompletableFuture<Boolean> dial(PeerId peer, List<Multiaddr> addresses) {
        synchronized (this) {
            if (addresses.isEmpty() || !mayDial(peer)) {
                return CompletableFuture.completedFuture(false);
            }
            inFlight.add(peer);
        }
        List<Multiaddr> tries = addresses.subList(0, Math.min(ADDRESSES_PER_DIAL, addresses.size()));
        return attempt(peer, tries, 0).handle((c, e) -> {
            synchronized (this) {
                inFlight.remove(peer);
                if (e == null) {
                    backoff.remove(peer);
                } else {
                    long[] b = backoff.get(peer);
                    long next = b == null ? FIRST_BACKOFF_NS : Math.min(MAX_BACKOFF_NS, b[1] * 2);
                    if (b != null || backoff.size() < MAX_BACKOFFS) {
                        backoff.put(peer, new long[] {nanos.getAsLong() + next, next});
                    }
                }
            }
            if (e != null) {
                LOG.debug("discovery: dialing {} failed: {}", peer, Bootstrapper.cause(e));
            }
            return e == null;
        });
    }

    private CompletableFuture<Connection> attempt(PeerId peer, List<Multiaddr> tries, int i) {
        Multiaddr a = tries.get(i).withoutPeerId().encapsulate("/p2p/" + peer);
        CompletableFuture<Connection> f;
        try {
            f = host.connect(a);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        if (i + 1 >= tries.size()) {
            return f;
        }
        return f.handle((c, e) -> e == null ? CompletableFuture.completedFuture(c) : attempt(peer, tries, i + 1))
                .thenCompose(x -> x);
    }

    /** Forgets the backoff of {@code peer} (it connected by other means). */
    public synchronized void reset(PeerId peer) {
        backoff.remove(peer);
    }
}

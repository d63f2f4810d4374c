package io.hivemesh.discovery.internal;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.PeerInfo;
import io.hivemesh.api.routing.PeerRouting;
import java.time.Duration;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the addresses of peers discovery learned without any (a gossipsub PX entry with no signed
 * record, a DHT peer) through {@link PeerRouting#findPeer}: at most {@link #MAX_IN_FLIGHT} lookups at
 * once, one per peer, each given up after the deadline; a peer looked up is not looked up again
 * within {@link #REPEAT_AFTER} (remembered for at most {@link #MAX_REMEMBERED} peers, the oldest
 * forgotten first). Without a {@link PeerRouting} nothing is looked up. Thread-safe.
 */
public final class PeerLookups {
    private static final Logger LOG = LoggerFactory.getLogger(PeerLookups.class);
    static final int MAX_IN_FLIGHT = 4;
    static final Duration DEFAULT_DEADLINE = Duration.ofSeconds(30);
    static final Duration REPEAT_AFTER = Duration.ofMinutes(10);
    static final int MAX_REMEMBERED = 1024;

    private final Supplier<PeerRouting> routing;
    private final LongSupplier nanos;
    private final Duration deadline;
    private final Set<PeerId> inFlight = new HashSet<>();
    /** Peer → nanos of its last lookup start, oldest first. */
    private final LinkedHashMap<PeerId, Long> recent = new LinkedHashMap<>();
    private long started;

    public PeerLookups(Supplier<PeerRouting> routing, LongSupplier nanos, Duration deadline) {
        this.routing = routing;
        this.nanos = nanos;
        this.deadline = deadline;
    }

    /**
     * Starts looking up {@code peer} unless no routing is bound, {@link #MAX_IN_FLIGHT} lookups are
     * running, one for that peer is, or it was looked up within {@link #REPEAT_AFTER}. The future
     * completes with the addresses found (empty when the lookup found nothing, failed or ran out of
     * time); it never fails.
     */
    public Optional<CompletableFuture<List<Multiaddr>>> lookUp(PeerId peer) {
        PeerRouting r = routing.get();
        if (r == null) {
            return Optional.empty();
        }
        synchronized (this) {
            long now = nanos.getAsLong();
            forgetOld(now);
            if (inFlight.size() >= MAX_IN_FLIGHT || inFlight.contains(peer) || recent.containsKey(peer)) {
                return Optional.empty();
            }
            inFlight.add(peer);
            recent.put(peer, now);
            if (recent.size() > MAX_REMEMBERED) {
                Iterator<PeerId> it = recent.keySet().iterator();
                it.next();
                it.remove();
            }
            started++;
        }
        CompletableFuture<Optional<PeerInfo>> f;
        try {
            f = r.findPeer(peer);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return Optional.of(f.orTimeout(deadline.toMillis(), TimeUnit.MILLISECONDS).handle((found, e) -> {
            synchronized (this) {
                inFlight.remove(peer);
            }
            if (e != null) {
                LOG.debug("discovery: looking up {} failed: {}", peer, Bootstrapper.cause(e));
                return List.<Multiaddr>of();
            }
            return found.filter(i -> i.peer().equals(peer)).map(PeerInfo::addresses).orElse(List.of());
        }));
    }

    private void forgetOld(long now) {
        Iterator<Map.Entry<PeerId, Long>> it = recent.entrySet().iterator();
        while (it.hasNext()) {
            if (now - it.next().getValue() >= REPEAT_AFTER.toNanos()) {
                it.remove();
            } else {
                break;
            }
        }
    }

    /** Lookups started so far. */
    public synchronized long started() {
        return started;
    }

    /** Lookups running now. */
    public synchronized int inFlight() {
        return inFlight.size();
    }
}

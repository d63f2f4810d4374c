package io.hivemesh.discovery.internal;

import io.hivemesh.api.discovery.ConnectionManager;
import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.peer.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.LongSupplier;
import java.util.function.ToIntFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The connection manager: when more than {@code highWater} peers are connected, disconnects the
 * least valuable peers until {@code lowWater} remain. Never trimmed: a peer protected under any tag,
 * a peer with a connection younger than the grace period (age counted from when this manager first
 * saw it), a peer with a stream open on any connection (a transfer in progress, see
 * {@link Connection#openStreamsByProtocol()}) other than the long-lived streams of
 * {@link Limits#longLivedProtocols()} (gossip keeps one to every pubsub peer: counting it would make
 * every such peer untrimmable; the pubsub bundle protects its mesh members by tag instead). Value: the sum of the peer's tags plus {@code extraValue}
 * (e.g. DHT servers); ties go to the youngest connection. {@link #trim()} blocks for at most the
 * host's close of the chosen connections. Thread-safe.
 */
public final class ConnectionTrimmer implements ConnectionManager {
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionTrimmer.class);
    /** Tags kept per peer, and peers with tags or protections, at most (beyond: new ones are ignored). */
    static final int MAX_TAGS_PER_PEER = 32;
    static final int MAX_PEERS = 8192;

    /** The pubsub protocols: one long-lived stream per peer, never a transfer. */
    public static final Set<String> PUBSUB_PROTOCOLS = Set.of("/meshsub/1.2.0", "/meshsub/1.1.0", "/meshsub/1.0.0",
            "/floodsub/1.0.0");

    /**
     * Water marks, grace period, and the protocols whose open streams do not keep a peer from being
     * trimmed.
     */
    public record Limits(int lowWater, int highWater, Duration grace, Set<String> longLivedProtocols) {
        public Limits {
            if (lowWater < 0 || highWater < lowWater) {
                throw new IllegalArgumentException("connection manager: need 0 <= low_water (" + lowWater
                        + ") <= high_water (" + highWater + ")");
            }
            longLivedProtocols = Set.copyOf(longLivedProtocols);
        }

        /** With the pubsub protocols as the long-lived ones. */
        public Limits(int lowWater, int highWater, Duration grace) {
            this(lowWater, highWater, grace, PUBSUB_PROTOCOLS);
        }
    }

    private final Host host;
    private final LongSupplier nanos;
    private final ToIntFunction<PeerId> extraValue;
    private volatile Limits limits;
    private final Map<PeerId, Set<String>> protections = new ConcurrentHashMap<>();
    private final Map<PeerId, Map<String, Integer>> tags = new ConcurrentHashMap<>();
    /** When each connection was first seen (nanos); guarded by itself. */
    private final Map<Connection, Long> seen = new IdentityHashMap<>();

    public ConnectionTrimmer(Host host, Limits limits, LongSupplier nanos, ToIntFunction<PeerId> extraValue) {
        this.host = host;
        this.limits = limits;
        this.nanos = nanos;
        this.extraValue = extraValue;
    }

    public void configure(Limits l) {
        this.limits = l;
    }

    public Limits limits() {
        return limits;
    }

    /** Starts {@code c}'s grace period now (connection events call this; trim also notices new ones). */
    public void connected(Connection c) {
        synchronized (seen) {
            seen.putIfAbsent(c, nanos.getAsLong());
        }
    }

    /** Whether {@code c} has a stream open other than a long-lived one (negotiating streams count). */
    static boolean transferring(Connection c, Set<String> longLived) {
        return c.openStreamsByProtocol().keySet().stream().anyMatch(p -> !longLived.contains(p));
    }

    @Override
    public void protect(PeerId peer, String tag) {
        if (protections.size() >= MAX_PEERS && !protections.containsKey(peer)) {
            LOG.warn("connection manager: {} peers protected already; not protecting {} under {}", MAX_PEERS, peer, tag);
            return;
        }
        protections.computeIfAbsent(peer, p -> ConcurrentHashMap.newKeySet()).add(tag);
    }

    @Override
    public boolean unprotect(PeerId peer, String tag) {
        Set<String> left = protections.computeIfPresent(peer, (p, s) -> {
            s.remove(tag);
            return s.isEmpty() ? null : s;
        });
        return left != null;
    }

    @Override
    public boolean isProtected(PeerId peer) {
        return protections.containsKey(peer);
    }

    @Override
    public void tag(PeerId peer, String tag, int value) {
        if (tags.size() >= MAX_PEERS && !tags.containsKey(peer)) {
            return;
        }
        tags.compute(peer, (p, m) -> {
            Map<String, Integer> t = m == null ? new ConcurrentHashMap<>() : m;
            if (t.size() < MAX_TAGS_PER_PEER || t.containsKey(tag)) {
                int v = t.merge(tag, value, Integer::sum);
                if (v == 0) {
                    t.remove(tag);
                }
            }
            return t.isEmpty() ? null : t;
        });
    }

    /** The peer's value: its tags summed plus the extra value. */
    public int value(PeerId peer) {
        Map<String, Integer> t = tags.get(peer);
        long sum = t == null ? 0 : t.values().stream().mapToLong(Integer::longValue).sum();
        return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, sum + extraValue.applyAsInt(peer)));
    }

    /** Forgets the tags of a peer that disconnected (protections stay: their owners remove them). */
    public void disconnected(PeerId peer) {
        tags.remove(peer);
    }

    /** Peers connected now (distinct). */
    public int connectedPeers() {
        return (int) host.connections().stream().map(Connection::remotePeer).distinct().count();
    }

    @Override
    public int trim() {
        Limits l = limits;
        List<Connection> conns = host.connections();
        long now = nanos.getAsLong();
        Map<PeerId, List<Connection>> byPeer = new LinkedHashMap<>();
        Map<PeerId, Long> youngest = new HashMap<>();
        synchronized (seen) {
            Set<Connection> live = Collections.newSetFromMap(new IdentityHashMap<>());
            live.addAll(conns);
            seen.keySet().retainAll(live);
            for (Connection c : conns) {
                long t = seen.computeIfAbsent(c, x -> now);
                byPeer.computeIfAbsent(c.remotePeer(), p -> new ArrayList<>()).add(c);
                youngest.merge(c.remotePeer(), t, Math::max);
            }
        }
        if (byPeer.size() <= l.highWater()) {
            return 0;
        }
        long grace = l.grace().toNanos();
        List<PeerId> candidates = new ArrayList<>();
        for (Map.Entry<PeerId, List<Connection>> e : byPeer.entrySet()) {
            PeerId p = e.getKey();
            if (isProtected(p) || now - youngest.get(p) < grace
                    || e.getValue().stream().anyMatch(c -> transferring(c, l.longLivedProtocols()))) {
                continue;
            }
            candidates.add(p);
        }
        Map<PeerId, Integer> values = new HashMap<>();
        candidates.forEach(p -> values.put(p, value(p)));
        candidates.sort(Comparator.comparing((PeerId p) -> values.get(p)).thenComparing(p -> -youngest.get(p)));
        int excess = byPeer.size() - l.lowWater();
        int closed = 0;
        List<PeerId> trimmed = new ArrayList<>();
        for (PeerId p : candidates) {
            if (trimmed.size() >= excess) {
                break;
            }
            closed += byPeer.get(p).size();
            trimmed.add(p);
        }
        List<java.util.concurrent.CompletableFuture<Void>> closing = new ArrayList<>();
        for (PeerId p : trimmed) {
            closing.add(host.disconnect(p));
        }
        try {
            java.util.concurrent.CompletableFuture.allOf(closing.toArray(java.util.concurrent.CompletableFuture[]::new))
                    .get(10, java.util.concurrent.TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            LOG.debug("connection manager: closing trimmed connections: {}", e.toString());
        }
        if (!trimmed.isEmpty()) {
            LOG.info("connection manager: {} peers connected, above high water {}: disconnected {} peers ({} connections)",
                    byPeer.size(), l.highWater(), trimmed.size(), closed);
        }
        return closed;
    }
}

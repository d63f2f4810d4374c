package io.hivemesh.transport.internal;

import io.hivemesh.api.net.ProtocolLimits;
import io.hivemesh.api.net.ResourceLimitException;
import io.hivemesh.api.net.ResourceManager;
import io.hivemesh.api.net.ScopeUsage;
import io.hivemesh.api.peer.PeerId;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The resource manager (modelled on go-libp2p's {@code rcmgr}): a hierarchy of scopes, each
 * counting connections, streams and reserved bytes against its limits.
 *
 * <ul>
 *   <li>{@code system}: everything; {@code transient}: connections still in their handshake and
 *       streams still negotiating their protocol; per remote IP: inbound connections.</li>
 *   <li>{@code peer}: one remote peer (its connections, streams, memory).</li>
 *   <li>{@code protocol}: one protocol id (its inbound streams, from all peers), and per protocol and
 *       peer the streams each way ({@link ProtocolLimits}).</li>
 *   <li>{@code connection} and {@code stream}: one each.</li>
 * </ul>
 *
 * A reservation succeeds only if every scope it charges stays within its limit, and then charges
 * them all; otherwise nothing changes and a {@link ResourceLimitException} names the scope and the
 * limit. One lock guards all counters (reservations are a few comparisons; contention is the two
 * event loops). Thread-safe.
 */
public final class ResourceScopes implements ResourceManager {

    /** Limits of one scope; {@code Long.MAX_VALUE}/{@code Integer.MAX_VALUE}: none. */
    public record Limits(long memory, int inboundConnections, int outboundConnections, int inboundStreams,
            int outboundStreams) {
        static final Limits NONE = new Limits(Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
                Integer.MAX_VALUE);
    }

    /**
     * Every limit.
     *
     * @param system            all resources of the node
     * @param transientScope    handshakes in progress (connections) and protocol negotiations (streams)
     * @param peer              each remote peer
     * @param connection        each connection (streams, memory)
     * @param stream            each stream (memory)
     * @param inboundPerIp      inbound connections from one IP address (handshaking or not)
     * @param transientPerIp    inbound handshakes in progress from one IP address
     * @param connectionBuffer  bytes charged to each connection for its codec and socket buffers
     * @param protocolCap       the ceiling on every protocol's own limits
     * @param negotiatingPerPeer streams one peer may have negotiating their protocol at once (so that
     *                          one peer cannot fill the transient scope for everyone)
     */
    public record Config(Limits system, Limits transientScope, Limits peer, Limits connection, Limits stream,
            int inboundPerIp, int transientPerIp, long connectionBuffer, ProtocolLimits protocolCap,
            int negotiatingPerPeer) {

        public Config(Limits system, Limits transientScope, Limits peer, Limits connection, Limits stream,
                int inboundPerIp, int transientPerIp, long connectionBuffer, ProtocolLimits protocolCap) {
            this(system, transientScope, peer, connection, stream, inboundPerIp, transientPerIp, connectionBuffer,
                    protocolCap, 16);
        }

        /**
         * Defaults sized for the node's heap: the system may buffer a quarter of {@code maxHeap} (at
         * least 32 MiB), one peer an eighth (at least 16 MiB).
         */
        public static Config defaults(long maxHeap) {
            long system = Math.max(32L << 20, maxHeap / 4);
            long peer = Math.max(16L << 20, maxHeap / 8);
            return new Config(
                    new Limits(system, 512, 512, 8192, 8192),
                    new Limits(16L << 20, 64, 64, 256, 256),
                    new Limits(peer, 8, 8, 256, 256),
                    new Limits(peer, 1, 1, 128, 128),
                    new Limits(17L << 20, 0, 0, 1, 1),
                    16, 8, 96 * 1024,
                    new ProtocolLimits(ProtocolLimits.MAX_MESSAGE_CEILING, java.time.Duration.ofMinutes(5),
                            java.time.Duration.ofHours(24), 256, 256, 4096, 16, 4096));
        }
    }

    /** Counters of one scope. Guarded by the manager's lock. */
    private static final class Scope {
        final String name;
        Limits limits;
        long memory;
        int connsIn;
        int connsOut;
        int streamsIn;
        int streamsOut;
        /** Peer scopes: streams of the peer still negotiating their protocol. */
        int negotiating;

        Scope(String name, Limits limits) {
            this.name = name;
            this.limits = limits;
        }

        boolean idle() {
            return memory == 0 && connsIn == 0 && connsOut == 0 && streamsIn == 0 && streamsOut == 0 && negotiating == 0;
        }

        ScopeUsage usage() {
            return new ScopeUsage(name, memory, limits.memory(), connsIn, limits.inboundConnections(), connsOut,
                    limits.outboundConnections(), streamsIn, limits.inboundStreams(), streamsOut,
                    limits.outboundStreams());
        }
    }

    private final Object lock = new Object();
    private final AtomicLong ids = new AtomicLong();
    private volatile Config config;
    private final Scope system;
    private final Scope transientScope;
    private final Map<PeerId, Scope> peers = new HashMap<>();
    private final Map<String, Scope> protocols = new HashMap<>();
    private final Map<String, Scope> protocolPeers = new HashMap<>();
    private final Map<InetAddress, int[]> perIp = new HashMap<>();

    public ResourceScopes(Config config) {
        this.config = config;
        this.system = new Scope("system", config.system());
        this.transientScope = new Scope("transient", config.transientScope());
    }

    /** Applies new limits live; what is in use stays (new reservations see the new limits). */
    public void configure(Config c) {
        synchronized (lock) {
            config = c;
            system.limits = c.system();
            transientScope.limits = c.transientScope();
            peers.values().forEach(s -> s.limits = c.peer());
        }
    }

    public Config config() {
        return config;
    }

    /** The limits a protocol's streams get: its own, capped by the operator's ceiling. */
    public ProtocolLimits protocolLimits(ProtocolLimits own) {
        return own.capped(config.protocolCap());
    }

    // ---------------------------------------------------------------- connections

    /**
     * Opens a connection scope in the transient scope (a handshake in progress).
     *
     * @param ip the remote address (inbound connections are limited per IP)
     * @throws ResourceLimitException if a limit refuses it
     */
    public ConnectionScope openConnection(boolean inbound, InetAddress ip) {
        Config c = config;
        synchronized (lock) {
            int[] ipCount = perIp.computeIfAbsent(ip, k -> new int[2]);
            try {
                if (inbound && ipCount[0] >= c.inboundPerIp()) {
                    throw refused("ip " + ip.getHostAddress(), "inbound connections", ipCount[0], c.inboundPerIp());
                }
                if (inbound && ipCount[1] >= c.transientPerIp()) {
                    throw refused("ip " + ip.getHostAddress(), "handshakes in progress", ipCount[1], c.transientPerIp());
                }
                checkConn(system, inbound);
                checkConn(transientScope, inbound);
                checkMemory(system, c.connectionBuffer());
                checkMemory(transientScope, c.connectionBuffer());
            } catch (ResourceLimitException e) {
                if (ipCount[0] == 0 && ipCount[1] == 0) {
                    perIp.remove(ip);
                }
                throw e;
            }
            if (inbound) {
                ipCount[0]++;
                ipCount[1]++;
            }
            addConn(system, inbound, 1);
            addConn(transientScope, inbound, 1);
            system.memory += c.connectionBuffer();
            transientScope.memory += c.connectionBuffer();
            ConnectionScope cs = new ConnectionScope(ids.incrementAndGet(), inbound, ip, c.connectionBuffer(),
                    new Scope("connection", c.connection()));
            cs.scope.memory = c.connectionBuffer();
            return cs;
        }
    }

    /** The resources of one connection. Methods are thread-safe; {@link #close()} is idempotent. */
    public final class ConnectionScope {
        final long id;
        final boolean inbound;
        private final InetAddress ip;
        private final long buffer;
        final Scope scope;
        private Scope peer;
        private boolean inTransient = true;
        private boolean closed;
        /** Open streams of this connection by negotiated protocol ("" while negotiating). */
        private final Map<String, Integer> streamsByProtocol = new HashMap<>();

        private ConnectionScope(long id, boolean inbound, InetAddress ip, long buffer, Scope scope) {
            this.id = id;
            this.inbound = inbound;
            this.ip = ip;
            this.buffer = buffer;
            this.scope = scope;
        }

        /**
         * The handshake authenticated {@code peerId}: the connection leaves the transient scope and is
         * charged to the peer.
         *
         * @throws ResourceLimitException if the peer already has its connections
         */
        public void setPeer(PeerId peerId) {
            synchronized (lock) {
                if (closed || peer != null) {
                    return;
                }
                Scope p = peers.computeIfAbsent(peerId, id -> new Scope("peer:" + id, config.peer()));
                try {
                    checkConn(p, inbound);
                    checkMemory(p, buffer);
                } catch (ResourceLimitException e) {
                    if (p.idle()) {
                        peers.remove(peerId);
                    }
                    throw e;
                }
                addConn(p, inbound, 1);
                p.memory += buffer;
                peer = p;
                leaveTransient();
            }
        }

        private void leaveTransient() {
            if (inTransient) {
                inTransient = false;
                addConn(transientScope, inbound, -1);
                transientScope.memory -= buffer;
                if (inbound) {
                    int[] c = perIp.get(ip);
                    if (c != null) {
                        c[1]--;
                    }
                }
            }
        }

        /** Opens a stream scope on this connection (in the transient scope until its protocol is set). */
        public StreamScope openStream(boolean inboundStream) {
            synchronized (lock) {
                if (closed) {
                    throw new ResourceLimitException("connection " + id + " is closed");
                }
                checkStream(scope, inboundStream);
                if (peer != null) {
                    checkStream(peer, inboundStream);
                    if (peer.negotiating >= config.negotiatingPerPeer()) {
                        throw refused(peer.name, "streams negotiating", peer.negotiating, config.negotiatingPerPeer());
                    }
                }
                checkStream(system, inboundStream);
                checkStream(transientScope, inboundStream);
                addStream(scope, inboundStream, 1);
                if (peer != null) {
                    addStream(peer, inboundStream, 1);
                    peer.negotiating++;
                }
                addStream(system, inboundStream, 1);
                addStream(transientScope, inboundStream, 1);
                countStream("", 1);
                return new StreamScope(ids.incrementAndGet(), this, inboundStream);
            }
        }

        /** Releases everything the connection holds (its streams release their own). */
        public void close() {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                closed = true;
                leaveTransient();
                addConn(system, inbound, -1);
                system.memory -= buffer;
                if (peer != null) {
                    addConn(peer, inbound, -1);
                    peer.memory -= buffer;
                    dropIfIdle(peer);
                }
                if (inbound) {
                    int[] c = perIp.get(ip);
                    if (c != null && --c[0] <= 0 && c[1] <= 0) {
                        perIp.remove(ip);
                    }
                }
            }
        }

        /** This connection's open streams by negotiated protocol ({@code ""}: still negotiating). */
        public Map<String, Integer> streamsByProtocol() {
            synchronized (lock) {
                return Map.copyOf(streamsByProtocol);
            }
        }

        private void countStream(String protocolId, int delta) {
            streamsByProtocol.merge(protocolId, delta, (a, b) -> a + b == 0 ? null : a + b);
        }

        public ScopeUsage usage() {
            synchronized (lock) {
                ScopeUsage u = scope.usage();
                return new ScopeUsage("connection:" + id, u.memory(), u.memoryLimit(), u.inboundConnections(),
                        u.inboundConnectionsLimit(), u.outboundConnections(), u.outboundConnectionsLimit(),
                        u.inboundStreams(), u.inboundStreamsLimit(), u.outboundStreams(), u.outboundStreamsLimit());
            }
        }
    }

    /** The resources of one stream. Thread-safe; {@link #close()} is idempotent. */
    public final class StreamScope {
        final long id;
        private final ConnectionScope conn;
        private final boolean inbound;
        private final Scope scope;
        private Scope protocol;
        private Scope protocolPeer;
        private String protocolId;
        private boolean inTransient = true;
        private boolean closed;

        private StreamScope(long id, ConnectionScope conn, boolean inbound) {
            this.id = id;
            this.conn = conn;
            this.inbound = inbound;
            this.scope = new Scope("stream:" + id, config.stream());
        }

        /**
         * The stream negotiated {@code protocolId}: it leaves the transient scope and is charged to the
         * protocol (its inbound total) and to the protocol's per-peer stream limit.
         *
         * @throws ResourceLimitException if either limit refuses it
         */
        public void setProtocol(String protocolId, ProtocolLimits limits) {
            synchronized (lock) {
                if (closed || protocol != null) {
                    return;
                }
                Scope p = protocols.computeIfAbsent(protocolId, id -> new Scope("protocol:" + id, Limits.NONE));
                p.limits = new Limits(Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, limits.inboundStreams(),
                        Integer.MAX_VALUE);
                String ppKey = protocolId + " " + peerName();
                Scope pp = protocolPeers.computeIfAbsent(ppKey, k -> new Scope("protocol:" + protocolId + " peer:"
                        + peerName(), Limits.NONE));
                pp.limits = new Limits(Long.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE,
                        limits.inboundStreamsPerPeer(), limits.outboundStreamsPerPeer());
                try {
                    checkStream(p, inbound);
                    checkStream(pp, inbound);
                    checkMemory(p, scope.memory);
                } catch (ResourceLimitException e) {
                    dropIfIdle(p);
                    if (pp.idle()) {
                        protocolPeers.remove(ppKey);
                    }
                    throw e;
                }
                addStream(p, inbound, 1);
                addStream(pp, inbound, 1);
                p.memory += scope.memory;
                protocol = p;
                protocolPeer = pp;
                this.protocolId = protocolId;
                conn.countStream("", -1);
                conn.countStream(protocolId, 1);
                leaveTransient();
            }
        }

        private String peerName() {
            return conn.peer == null ? "?" : conn.peer.name.substring("peer:".length());
        }

        private void leaveTransient() {
            if (inTransient) {
                inTransient = false;
                addStream(transientScope, inbound, -1);
                if (conn.peer != null) {
                    conn.peer.negotiating--;
                }
            }
        }

        /**
         * Reserves {@code bytes} of buffer memory for this stream (charged to the stream, its
         * connection, peer, protocol once negotiated, and the system).
         *
         * @return false (and nothing charged) if any of those limits would be exceeded; true without
         *     charging anything once the stream is closed (its last bytes are being read)
         */
        public boolean tryReserve(long bytes) {
            if (bytes <= 0) {
                return true;
            }
            synchronized (lock) {
                if (closed) {
                    // the stream is done: nothing more can arrive, and what is being assembled from the
                    // bytes it already delivered was charged while they were buffered
                    return true;
                }
                Scope[] chain = chain();
                for (Scope s : chain) {
                    if (s != null && s.memory + bytes > s.limits.memory()) {
                        lastRefusal = s.name + ": memory " + s.memory + " + " + bytes + " over " + s.limits.memory();
                        return false;
                    }
                }
                for (Scope s : chain) {
                    if (s != null) {
                        s.memory += bytes;
                    }
                }
                return true;
            }
        }

        private String lastRefusal = "";

        /** Why the last {@link #tryReserve} failed. */
        public String lastRefusal() {
            synchronized (lock) {
                return lastRefusal;
            }
        }

        /** Releases {@code bytes} reserved earlier. */
        public void release(long bytes) {
            if (bytes <= 0) {
                return;
            }
            synchronized (lock) {
                if (closed) {
                    return;
                }
                long n = Math.min(bytes, scope.memory);
                for (Scope s : chain()) {
                    if (s != null) {
                        s.memory -= n;
                    }
                }
            }
        }

        /** Bytes reserved by this stream now. */
        public long reserved() {
            synchronized (lock) {
                return scope.memory;
            }
        }

        private Scope[] chain() {
            // while negotiating, a stream's memory is its peer's (the transient scope counts streams only,
            // so one peer's negotiations cannot take the memory of everyone else's)
            return new Scope[] {scope, conn.scope, conn.peer, inTransient ? null : protocol, system};
        }

        /** Releases the stream's memory and counts. */
        public void close() {
            synchronized (lock) {
                if (closed) {
                    return;
                }
                long mem = scope.memory;
                for (Scope s : chain()) {
                    if (s != null && s != scope) {
                        s.memory -= mem;
                    }
                }
                scope.memory = 0;
                leaveTransient();
                closed = true;
                conn.countStream(protocolId == null ? "" : protocolId, -1);
                addStream(conn.scope, inbound, -1);
                if (conn.peer != null) {
                    addStream(conn.peer, inbound, -1);
                    dropIfIdle(conn.peer);
                }
                addStream(system, inbound, -1);
                if (protocol != null) {
                    addStream(protocol, inbound, -1);
                    addStream(protocolPeer, inbound, -1);
                    dropIfIdle(protocol);
                    if (protocolPeer.idle()) {
                        protocolPeers.remove(protocolId + " " + peerName());
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------- checks

    private static ResourceLimitException refused(String scope, String what, long used, long limit) {
        return new ResourceLimitException(scope + ": " + what + " " + used + "/" + limit);
    }

    private static void checkConn(Scope s, boolean inbound) {
        if (inbound && s.connsIn >= s.limits.inboundConnections()) {
            throw refused(s.name, "inbound connections", s.connsIn, s.limits.inboundConnections());
        }
        if (!inbound && s.connsOut >= s.limits.outboundConnections()) {
            throw refused(s.name, "outbound connections", s.connsOut, s.limits.outboundConnections());
        }
    }

    private static void checkStream(Scope s, boolean inbound) {
        if (inbound && s.streamsIn >= s.limits.inboundStreams()) {
            throw refused(s.name, "inbound streams", s.streamsIn, s.limits.inboundStreams());
        }
        if (!inbound && s.streamsOut >= s.limits.outboundStreams()) {
            throw refused(s.name, "outbound streams", s.streamsOut, s.limits.outboundStreams());
        }
    }

    private static void checkMemory(Scope s, long bytes) {
        if (s.memory + bytes > s.limits.memory()) {
            throw refused(s.name, "memory", s.memory + bytes, s.limits.memory());
        }
    }

    private static void addConn(Scope s, boolean inbound, int d) {
        if (inbound) {
            s.connsIn += d;
        } else {
            s.connsOut += d;
        }
    }

    private static void addStream(Scope s, boolean inbound, int d) {
        if (inbound) {
            s.streamsIn += d;
        } else {
            s.streamsOut += d;
        }
    }

    private void dropIfIdle(Scope s) {
        if (s.idle()) {
            if (s.name.startsWith("peer:")) {
                peers.values().remove(s);
            } else if (s.name.startsWith("protocol:")) {
                protocols.values().remove(s);
            }
        }
    }

    // ---------------------------------------------------------------- view

    @Override
    public List<ScopeUsage> usage() {
        synchronized (lock) {
            List<ScopeUsage> out = new ArrayList<>();
            out.add(system.usage());
            out.add(transientScope.usage());
            peers.values().forEach(s -> out.add(s.usage()));
            protocols.values().forEach(s -> out.add(s.usage()));
            return out;
        }
    }

    @Override
    public ScopeUsage system() {
        synchronized (lock) {
            return system.usage();
        }
    }

    /** The scope of {@code peer}, if it has any resources now. */
    public java.util.Optional<ScopeUsage> peer(PeerId peer) {
        synchronized (lock) {
            Scope s = peers.get(peer);
            return s == null ? java.util.Optional.empty() : java.util.Optional.of(s.usage());
        }
    }

    /** The transient scope alone. */
    public ScopeUsage transientUsage() {
        synchronized (lock) {
            return transientScope.usage();
        }
    }
}

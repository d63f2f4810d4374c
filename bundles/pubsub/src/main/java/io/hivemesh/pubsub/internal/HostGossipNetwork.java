package io.hivemesh.pubsub.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.multiformats.MultiaddrProtocol;
import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.ConnectionEvent;
import io.hivemesh.api.net.ConnectionEvents;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.net.MessageStream;
import io.hivemesh.api.net.MessageTooLargeException;
import io.hivemesh.api.net.ProtocolHandler;
import io.hivemesh.api.net.ProtocolLimits;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.pubsub.internal.pb.RpcProto.RPC;
import java.nio.ByteBuffer;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The gossipsub wire over the libp2p {@link Host}: one long-lived stream per direction per peer,
 * uvarint-framed {@code RPC} protobufs (the framing is the transport's {@link MessageStream}).
 *
 * <p>Streams: the {@link #handler()} serves inbound streams of {@link #PROTOCOLS}; a newer inbound
 * stream from a peer replaces the older one (js-libp2p does the same). This node opens its own
 * outbound stream when a peer is identified (or pushes) with a pubsub protocol, and when a peer opens
 * one to us; a lost outbound stream is reopened while the peer keeps an inbound one, at most
 * {@link Settings#maxOutboundFailures()} times until the peer opens a new stream. The router learns a
 * peer when its first stream (either direction) is up and forgets it when the last one is gone or
 * the peer disconnects.
 *
 * <p>Reading: one read outstanding per stream; the next read is issued only after the router has
 * taken the RPC (so a slow router slows its peers, never buffers without bound). A frame that does
 * not decode, or one over the frame limit (refused by the transport on its length prefix), resets
 * that stream and is reported as {@link GossipInbound#malformed}. Writing: a bounded queue per peer
 * (frames and bytes), one write in flight; {@link #send} returns false when a frame does not fit.
 *
 * <p>Threads: all state is confined to the router executor: stream arrivals, read and write
 * completions and connection events are handed to it, and the router calls {@link #send} and
 * {@link #dropPeer} from it. Nothing here blocks, and nothing runs on a network event loop.
 */
public final class HostGossipNetwork implements GossipNetwork {
    private static final Logger LOG = LoggerFactory.getLogger(HostGossipNetwork.class);

    public static final String MESHSUB_V12 = "/meshsub/1.2.0";
    public static final String MESHSUB_V11 = "/meshsub/1.1.0";
    public static final String MESHSUB_V10 = "/meshsub/1.0.0";
    public static final String FLOODSUB = "/floodsub/1.0.0";
    /** The protocols served and proposed, best first (js-libp2p's order). */
    public static final List<String> PROTOCOLS = List.of(MESHSUB_V12, MESHSUB_V11, MESHSUB_V10, FLOODSUB);
    /** js-libp2p's RPC frame limit (4 MiB): a larger frame gets a peer dropped from gossipsub there. */
    public static final int MAX_FRAME = 4 * 1024 * 1024;

    /**
     * Bounds of the network glue.
     *
     * @param maxFrameBytes       the largest RPC frame sent or accepted
     * @param queueRpcs           encoded RPCs queued per peer while a write is in flight
     * @param queueBytes          bytes queued per peer (at least one frame of {@code maxFrameBytes})
     * @param maxOutboundFailures outbound streams lost or refused before this node stops reopening
     *                            (until the peer opens a new stream)
     */
    public record Settings(int maxFrameBytes, int queueRpcs, long queueBytes, int maxOutboundFailures) {
        public Settings {
            if (maxFrameBytes < 1024 || maxFrameBytes > ProtocolLimits.MAX_MESSAGE_CEILING || queueRpcs < 1
                    || queueBytes < maxFrameBytes || maxOutboundFailures < 0) {
                throw new IllegalArgumentException("gossip network settings out of range: frame " + maxFrameBytes
                        + ", queue " + queueRpcs + " RPCs / " + queueBytes + " bytes, reopen " + maxOutboundFailures);
            }
        }

        /** 4 MiB frames, 1024 RPCs and 8 MiB queued per peer, 3 reopen attempts. */
        public static Settings defaults() {
            return new Settings(MAX_FRAME, 1024, 2L * MAX_FRAME, 3);
        }
    }

    /** Counters for operators and tests. */
    public record Stats(int peers, long sendRefused, long malformedFrames, long framesSent, long framesReceived) {
    }

    private final Host host;
    private final ConnectionEvents events;
    private final Executor routerExecutor;
    private final Settings settings;
    /** Confined to the router executor. */
    private final Map<PeerId, GossipPeer> peers = new HashMap<>();
    private final AtomicLong sendRefused = new AtomicLong();
    private final AtomicLong malformed = new AtomicLong();
    private final AtomicLong sent = new AtomicLong();
    private final AtomicLong received = new AtomicLong();
    private volatile GossipInbound inbound;
    private volatile boolean running;
    private ConnectionEvents.Subscription subscription;

    public HostGossipNetwork(Host host, ConnectionEvents events, Executor routerExecutor, Settings settings) {
        this.host = host;
        this.events = events;
        this.routerExecutor = routerExecutor;
        this.settings = settings;
    }

    /**
     * The service properties of the inbound handler: frames up to {@code maxFrameBytes}, no idle
     * timeout (the streams are long-lived; the operator's ceiling may still impose one), 2 inbound
     * streams per peer (one plus its replacement), 30 s for one frame to arrive or be accepted.
     */
    public static Map<String, Object> limitProperties(int maxFrameBytes) {
        return Map.of(ProtocolLimits.PROP_MAX_MESSAGE_BYTES, maxFrameBytes,
                ProtocolLimits.PROP_MESSAGE_TIMEOUT_MS, 30_000,
                ProtocolLimits.PROP_IDLE_TIMEOUT_MS, 0,
                ProtocolLimits.PROP_INBOUND_STREAMS_PER_PEER, 2,
                ProtocolLimits.PROP_OUTBOUND_STREAMS_PER_PEER, 2,
                ProtocolLimits.PROP_INBOUND_STREAMS, 1024,
                ProtocolLimits.PROP_HANDLER_THREADS, 2,
                ProtocolLimits.PROP_HANDLER_QUEUE, 256);
    }

    /** {@link #limitProperties(int)} as limits. */
    public static ProtocolLimits limits(int maxFrameBytes) {
        return ProtocolLimits.defaults().with(limitProperties(maxFrameBytes));
    }

    /** Starts taking streams and connection events; {@code up} receives what happens. */
    public void start(GossipInbound up) {
        this.inbound = up;
        this.running = true;
        this.subscription = events.subscribe(e -> post(() -> onEvent(e), null));
    }

    /** Stops: resets every pubsub stream and forgets every peer (without reporting them). */
    public void stop() {
        running = false;
        ConnectionEvents.Subscription s = subscription;
        if (s != null) {
            s.close();
        }
        post(() -> {
            for (GossipPeer p : peers.values()) {
                resetAll(p);
            }
            peers.clear();
        }, null);
    }

    /** The inbound stream handler to register for {@link #PROTOCOLS}. */
    public ProtocolHandler handler() {
        return stream -> post(() -> onInboundStream(stream), stream);
    }

    public Stats stats() {
        return new Stats(peerCount, sendRefused.get(), malformed.get(), sent.get(), received.get());
    }

    private volatile int peerCount;

    // ---------------------------------------------------------------- GossipNetwork (router thread)

    @Override
    public boolean send(PeerId peer, RPC rpc) {
        GossipPeer p = peers.get(peer);
        if (p == null || !running) {
            return refused(peer, "no pubsub stream");
        }
        if (p.outbound == null && !p.opening) {
            openOutbound(p);
            if (!p.opening) {
                return refused(peer, "no outbound stream");
            }
        }
        byte[] frame = rpc.toByteArray();
        if (frame.length > settings.maxFrameBytes()) {
            return refused(peer, "RPC of " + frame.length + " bytes exceeds the frame limit of " + settings.maxFrameBytes());
        }
        if (!p.offer(frame, settings.queueRpcs(), settings.queueBytes())) {
            return refused(peer, "outbound queue full (" + p.queued() + " RPCs, " + p.queuedBytes() + " bytes)");
        }
        pump(p);
        return true;
    }

    private boolean refused(PeerId peer, String why) {
        sendRefused.incrementAndGet();
        LOG.debug("pubsub: RPC to {} not sent: {}", peer, why);
        return false;
    }

    /** From the host's peer store (records it accepted from Identify or relayed ones). */
    @Override
    public Optional<byte[]> signedPeerRecord(PeerId peer) {
        return host.peerStore().signedPeerRecord(peer);
    }

    @Override
    public void dropPeer(PeerId peer, String reason) {
        GossipPeer p = peers.remove(peer);
        if (p == null) {
            return;
        }
        LOG.info("pubsub: dropping {} from gossip: {}", peer, reason);
        resetAll(p);
        forget(p);
    }

    // ---------------------------------------------------------------- streams (router thread)

    private void onInboundStream(MessageStream s) {
        if (!running) {
            s.reset();
            return;
        }
        GossipPeer p = peers.computeIfAbsent(s.remotePeer(), GossipPeer::new);
        peerCount = peers.size();
        MessageStream old = p.inbound;
        p.inbound = s;
        p.outboundFailures = 0;
        if (old != null) {
            LOG.debug("pubsub: {} opened a new {} stream; the older one is closed", p.id, s.protocol());
            old.close();
        }
        announce(p, s.protocol());
        read(p, s);
        if (p.outbound == null) {
            openOutbound(p);
        }
    }

    /** Opens this node's stream to {@code p} unless one is open or opening, or reopening is exhausted. */
    private void openOutbound(GossipPeer p) {
        if (p.outbound != null || p.opening || !running || p.outboundFailures > settings.maxOutboundFailures()
                || !connected(p.id)) {
            return;
        }
        p.opening = true;
        host.newMessageStream(p.id, PROTOCOLS).whenComplete((s, e) -> post(() -> onOutboundOpened(p, s, e), s));
    }

    private void onOutboundOpened(GossipPeer p, MessageStream s, Throwable e) {
        p.opening = false;
        if (peers.get(p.id) != p || !running) {
            if (s != null) {
                s.reset();
            }
            return;
        }
        if (e != null) {
            p.outboundFailures++;
            int dropped = p.clearQueue();
            LOG.debug("pubsub: cannot open a stream to {} ({} queued RPCs dropped): {}", p.id, dropped, unwrap(e).toString());
            if (!p.hasStream()) {
                peers.remove(p.id);
                forget(p);
            }
            return;
        }
        p.outbound = s;
        announce(p, s.protocol());
        read(p, s);
        pump(p);
    }

    private void read(GossipPeer p, MessageStream s) {
        s.read().whenComplete((m, e) -> post(() -> onRead(p, s, m, e), s));
    }

    private void onRead(GossipPeer p, MessageStream s, Optional<ByteBuffer> m, Throwable e) {
        if (peers.get(p.id) != p || (p.inbound != s && p.outbound != s)) {
            // replaced or dropped meanwhile: its data is not used, but an oversized frame still counts
            if (e != null && unwrap(e) instanceof MessageTooLargeException t) {
                malformed.incrementAndGet();
                inbound.malformed(p.id, "frame over " + settings.maxFrameBytes() + " bytes: " + t.getMessage());
            }
            return;
        }
        if (e != null) {
            Throwable t = unwrap(e);
            if (t instanceof MessageTooLargeException) {
                malformedFrame(p, s, "frame over " + settings.maxFrameBytes() + " bytes: " + t.getMessage());
            } else {
                streamGone(p, s, t.toString());
            }
            return;
        }
        if (m.isEmpty()) {
            if (s == p.outbound) {
                // the remote closed its (unused) write side of our stream: keep writing, stop reading
                LOG.debug("pubsub: {} half-closed the stream this node writes to; kept for writing", p.id);
                return;
            }
            streamGone(p, s, null);
            return;
        }
        RPC rpc;
        try {
            rpc = RPC.parseFrom(m.get());
        } catch (InvalidProtocolBufferException bad) {
            malformedFrame(p, s, "undecodable RPC: " + bad.getMessage());
            return;
        }
        received.incrementAndGet();
        try {
            inbound.rpc(p.id, rpc);
        } catch (RuntimeException bug) {
            LOG.warn("pubsub: the router failed on an RPC from {}", p.id, bug);
        }
        if (peers.get(p.id) == p && (p.inbound == s || p.outbound == s)) {
            read(p, s);
        }
    }

    private void malformedFrame(GossipPeer p, MessageStream s, String why) {
        malformed.incrementAndGet();
        LOG.debug("pubsub: {} sent a bad frame on {}, stream reset: {}", p.id, s.protocol(), why);
        inbound.malformed(p.id, why); // while the router still knows the peer
        streamGone(p, s, why);
    }

    /** Writes the next queued frame unless one is in flight. */
    private void pump(GossipPeer p) {
        MessageStream s = p.outbound;
        if (p.writing || s == null) {
            return;
        }
        byte[] frame = p.poll();
        if (frame == null) {
            return;
        }
        p.writing = true;
        s.write(ByteBuffer.wrap(frame)).whenComplete((v, e) -> post(() -> {
            if (p.outbound != s) {
                return;
            }
            p.writing = false;
            if (e != null) {
                streamGone(p, s, "write failed: " + unwrap(e));
            } else {
                sent.incrementAndGet();
                pump(p);
            }
        }, s));
    }

    /**
     * {@code s} is finished: forget it, reopen or forget the peer. {@code why} null means the remote
     * ended it cleanly (it is closed); otherwise it failed or misbehaved (it is reset).
     */
    private void streamGone(GossipPeer p, MessageStream s, String why) {
        if (why == null) {
            why = "end of stream";
            s.close();
        } else {
            s.reset();
        }
        if (p.inbound == s) {
            p.inbound = null;
        }
        if (p.outbound == s) {
            p.outbound = null;
            p.writing = false;
            p.outboundFailures++;
            int dropped = p.clearQueue();
            LOG.debug("pubsub: stream to {} gone ({}), {} queued RPCs dropped", p.id, why, dropped);
        } else {
            LOG.debug("pubsub: stream from {} gone ({})", p.id, why);
        }
        if (p.inbound != null && p.outbound == null) {
            openOutbound(p);
        }
        if (!p.hasStream() && !p.opening) {
            peers.remove(p.id);
            forget(p);
        }
    }

    private void announce(GossipPeer p, String protocol) {
        if (!p.announced) {
            p.announced = true;
            Connection c = connectionOf(p.id);
            inbound.peerUp(p.id, protocol, c == null ? null : ipOf(c.remoteAddress()), c != null && c.isOutbound());
        }
    }

    private void forget(GossipPeer p) {
        peerCount = peers.size();
        if (p.announced) {
            p.announced = false;
            inbound.peerDown(p.id);
        }
    }

    private static void resetAll(GossipPeer p) {
        if (p.inbound != null) {
            p.inbound.reset();
            p.inbound = null;
        }
        if (p.outbound != null) {
            p.outbound.reset();
            p.outbound = null;
        }
        p.clearQueue();
        p.writing = false;
    }

    // ---------------------------------------------------------------- connection events (router thread)

    private void onEvent(ConnectionEvent e) {
        if (!running) {
            return;
        }
        boolean speaksPubsub = e instanceof ConnectionEvent.Identified id && anyPubsub(id.protocols())
                || e instanceof ConnectionEvent.ProtocolsChanged pc && anyPubsub(pc.added());
        if (speaksPubsub) {
            GossipPeer p = peers.computeIfAbsent(e.peer(), GossipPeer::new);
            peerCount = peers.size();
            openOutbound(p);
            if (!p.hasStream() && !p.opening) {
                peers.remove(p.id);
                peerCount = peers.size();
            }
        } else if (e instanceof ConnectionEvent.Disconnected) {
            GossipPeer p = peers.remove(e.peer());
            if (p != null) {
                resetAll(p);
                forget(p);
            }
        }
    }

    private static boolean anyPubsub(Collection<String> protocols) {
        for (String p : PROTOCOLS) {
            if (protocols.contains(p)) {
                return true;
            }
        }
        return false;
    }

    private boolean connected(PeerId peer) {
        return connectionOf(peer) != null;
    }

    /** The peer's first open connection (its IP feeds the scorer's IP colocation factor), or null. */
    private Connection connectionOf(PeerId peer) {
        for (Connection c : host.connections()) {
            if (c.remotePeer().equals(peer) && c.isOpen()) {
                return c;
            }
        }
        return null;
    }

    static String ipOf(Multiaddr a) {
        if (a == null || a.components().isEmpty()) {
            return null;
        }
        Multiaddr.Component first = a.components().get(0);
        return first.protocol() == MultiaddrProtocol.IP4 || first.protocol() == MultiaddrProtocol.IP6
                ? first.valueString() : null;
    }

    // ---------------------------------------------------------------- executor hand-off

    /** Runs {@code task} on the router executor; if it refuses (stopping), resets {@code orReset}. */
    private void post(Runnable task, MessageStream orReset) {
        try {
            routerExecutor.execute(task);
        } catch (RejectedExecutionException e) {
            LOG.debug("pubsub: router executor refused a network task (stopping?)");
            if (orReset != null) {
                try {
                    orReset.reset();
                } catch (RuntimeException stopping) {
                    LOG.debug("pubsub: reset of a refused stream failed (the host is stopping): {}", stopping.toString());
                }
            }
        }
    }

    private static Throwable unwrap(Throwable e) {
        return e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
    }
}

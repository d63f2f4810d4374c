package io.hivemesh.transport.internal;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.multiformats.MultiaddrProtocol;
import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.net.PeerStore;
import io.hivemesh.api.net.ProtocolHandler;
import io.hivemesh.api.net.Stream;
import io.hivemesh.api.peer.PeerId;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libp2p host on Netty (libp2p/specs connections/README.md): TCP, multistream-select, Noise,
 * Yamux; Identify (+push) and Ping built in; other protocols from {@link #addHandler}. Plain class:
 * the DS component and the tests drive it. Thread-safe.
 */
public final class Libp2pHost implements Host {
    static final String NOISE = "/noise";
    static final String YAMUX = "/yamux/1.0.0";
    static final String PING = "/ipfs/ping/1.0.0";
    static final Duration ADDRESS_TTL = Duration.ofHours(1);
    /** Yamux keep-alive: a ping on every connection at about this interval (it also measures RTT). */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(Libp2pHost.class);

    private final NodeIdentity identity;
    private final HostConfig config;
    private final SecureRandom random = new SecureRandom();
    private final EventLoopGroup group;
    private final PeerBook peerStore = new PeerBook(java.util.Optional.empty(), PeerBook.DEFAULT_MAX_PEERS,
            System::currentTimeMillis, System::nanoTime);
    private final Map<String, ProtocolHandler> handlers = new ConcurrentHashMap<>();
    private final Map<String, ProtocolHandler> builtins = new ConcurrentHashMap<>();
    private final Map<PeerId, List<HostConnection>> connections = new ConcurrentHashMap<>();
    private final List<Channel> servers = new CopyOnWriteArrayList<>();
    private final Multistream.Responder.Protocols served = new Multistream.Responder.Protocols() {
        @Override
        public boolean supports(String protocol) {
            return builtins.containsKey(protocol) || handlers.containsKey(protocol);
        }

        @Override
        public Collection<String> all() {
            return protocols();
        }
    };
    private volatile List<Multiaddr> boundAddresses = List.of();
    /** Inbound TCP connections open, upgraded or not (bounded by max_connections). */
    private final java.util.concurrent.atomic.AtomicInteger inboundChannels = new java.util.concurrent.atomic.AtomicInteger();

    public Libp2pHost(NodeIdentity identity, HostConfig config) {
        this.identity = identity;
        this.config = config;
        this.group = new NioEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("hivemesh-transport", true));
        builtins.put(IdentifyMessages.PROTOCOL, this::serveIdentify);
        builtins.put(IdentifyMessages.PUSH_PROTOCOL, this::serveIdentifyPush);
        builtins.put(PING, Libp2pHost::servePing);
        builtins.put(Perf.PROTOCOL, Perf::serve);
    }

    /**
     * Binds every configured listen address.
     *
     * @throws HivemeshException naming the address that could not be bound
     */
    public void start() {
        List<Multiaddr> bound = new ArrayList<>();
        for (Multiaddr listen : config.listen()) {
            InetSocketAddress socket = toSocketAddress(listen, false);
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            int open = inboundChannels.incrementAndGet();
                            ch.closeFuture().addListener(x -> inboundChannels.decrementAndGet());
                            if (open > config.maxConnections()) {
                                LOG.warn("refusing a connection from {}: {} inbound connections open or upgrading"
                                        + " (max_connections)", ch.remoteAddress(), open - 1);
                                ch.close();
                                return;
                            }
                            upgrade(ch, false, null, null);
                        }
                    });
            Channel server;
            try {
                server = b.bind(socket).sync().channel();
            } catch (Exception e) {
                stop();
                throw new HivemeshException("cannot listen on " + listen + ": " + e.getMessage(), e);
            }
            servers.add(server);
            InetSocketAddress actual = (InetSocketAddress) server.localAddress();
            bound.addAll(expand(listen, actual));
            LOG.info("libp2p host {} listening on {}", identity.peerId(), listen.toString().replaceFirst(
                    "/tcp/0$", "/tcp/" + actual.getPort()));
        }
        boundAddresses = List.copyOf(bound);
        long period = Math.max(1, Math.min(10, config.idleTimeout().toSeconds() / 2));
        group.scheduleAtFixedRate(this::closeIdle, period, period, TimeUnit.SECONDS);
    }

    /** Closes connections that had no stream and no traffic for the idle timeout. */
    private void closeIdle() {
        long now = System.nanoTime();
        long idle = config.idleTimeout().toNanos();
        for (List<HostConnection> list : connections.values()) {
            for (HostConnection c : list) {
                c.session.execute(() -> {
                    if (c.isOpen() && c.session.streamCount() == 0 && now - c.session.lastActivityNanos() > idle) {
                        LOG.debug("closing idle {}", c);
                        c.close();
                    } else if (c.isOpen() && now - c.session.lastPingNanos() >= KEEP_ALIVE.toNanos()) {
                        c.session.ping().thenAccept(rtt -> peerStore.recordLatency(c.remotePeer(), Duration.ofNanos(rtt)));
                    }
                });
            }
        }
    }

    /** Closes every connection and listener and stops the event loops (bounded wait). */
    public void stop() {
        for (Channel s : servers) {
            s.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        servers.clear();
        for (List<HostConnection> list : connections.values()) {
            for (HostConnection c : list) {
                c.close();
            }
        }
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
    }

    /** Serves {@code protocol} with {@code handler} (whiteboard bind) and pushes the change to peers. */
    public void addHandler(String protocol, ProtocolHandler handler) {
        handlers.put(protocol, handler);
        pushIdentify();
    }

    /** Stops serving {@code protocol} if {@code handler} still serves it (whiteboard unbind). */
    public void removeHandler(String protocol, ProtocolHandler handler) {
        if (handlers.remove(protocol, handler)) {
            pushIdentify();
        }
    }

    @Override
    public PeerId peerId() {
        return identity.peerId();
    }

    @Override
    public List<Multiaddr> listenAddresses() {
        return boundAddresses;
    }

    @Override
    public Set<String> protocols() {
        Set<String> all = new TreeSet<>(builtins.keySet());
        all.addAll(handlers.keySet());
        return Collections.unmodifiableSet(all);
    }

    @Override
    public PeerStore peerStore() {
        return peerStore;
    }

    @Override
    public List<Connection> connections() {
        List<Connection> all = new ArrayList<>();
        for (List<HostConnection> list : connections.values()) {
            all.addAll(list);
        }
        return all;
    }

    int connectionCount() {
        int n = 0;
        for (List<HostConnection> list : connections.values()) {
            n += list.size();
        }
        return n;
    }

    @Override
    public CompletableFuture<Connection> connect(Multiaddr address) {
        CompletableFuture<Connection> f = new CompletableFuture<>();
        PeerId expected;
        InetSocketAddress socket;
        try {
            expected = address.peerIdHash().map(PeerId::fromMultihash).orElse(null);
            socket = toSocketAddress(address.withoutPeerId(), true);
        } catch (RuntimeException e) {
            f.completeExceptionally(new HivemeshException("cannot dial " + address + ": " + e.getMessage(), e));
            return f;
        }
        if (identity.peerId().equals(expected)) {
            f.completeExceptionally(new HivemeshException("cannot dial " + address + ": that is this node"));
            return f;
        }
        CompletableFuture<HostConnection> upgraded = new CompletableFuture<>();
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.dialTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        upgrade(ch, true, expected, upgraded);
                    }
                });
        b.connect(socket).addListener(cf -> {
            if (!cf.isSuccess()) {
                upgraded.completeExceptionally(cf.cause());
            }
        });
        upgraded.whenComplete((c, e) -> {
            if (e != null) {
                f.completeExceptionally(new HivemeshException("cannot dial " + address + ": "
                        + (e.getMessage() != null ? e.getMessage() : e.toString()), e));
            } else {
                peerStore.addAddresses(c.remotePeer(), List.of(address.withoutPeerId()), ADDRESS_TTL);
                f.complete(c);
            }
        });
        return f;
    }

    @Override
    public CompletableFuture<Stream> newStream(PeerId peer, List<String> protocols) {
        return connectionTo(peer).thenCompose(c -> c.newStream(protocols));
    }

    /** An open connection to {@code peer}, or a new one through its known addresses (tried in order). */
    CompletableFuture<Connection> connectionTo(PeerId peer) {
        List<HostConnection> list = connections.get(peer);
        if (list != null) {
            for (HostConnection c : list) {
                if (c.isOpen()) {
                    return CompletableFuture.completedFuture(c);
                }
            }
        }
        List<Multiaddr> addrs = peerStore.addresses(peer);
        if (addrs.isEmpty()) {
            return CompletableFuture.failedFuture(new HivemeshException("no connection to " + peer
                    + " and no known address"));
        }
        CompletableFuture<Connection> attempt = CompletableFuture.failedFuture(
                new HivemeshException("no address of " + peer + " answered"));
        for (Multiaddr a : addrs) {
            Multiaddr withId = a.encapsulate("/p2p/" + peer);
            attempt = attempt.exceptionallyCompose(e -> connect(withId));
        }
        return attempt;
    }

    @Override
    public CompletableFuture<Duration> ping(PeerId peer) {
        return newStream(peer, List.of(PING)).thenCompose(this::pingOnce);
    }

    private CompletableFuture<Duration> pingOnce(Stream s) {
        byte[] payload = new byte[32];
        random.nextBytes(payload);
        long start = System.nanoTime();
        return s.write(ByteBuffer.wrap(payload.clone()))
                .thenCompose(v -> Streams.readExactly(s, 32))
                .thenApply(echo -> {
                    Duration rtt = Duration.ofNanos(System.nanoTime() - start);
                    s.close();
                    if (!Arrays.equals(echo, payload)) {
                        throw new ProtocolViolationException("ping: " + s.remotePeer() + " echoed different bytes");
                    }
                    peerStore.recordLatency(s.remotePeer(), rtt);
                    return rtt;
                })
                .whenComplete((d, e) -> {
                    if (e != null) {
                        s.reset();
                    }
                });
    }

    /**
     * Runs one libp2p perf exchange with {@code peer}: uploads {@code upload} bytes and downloads
     * {@code download} bytes on one stream (for benchmarks and diagnostics).
     */
    public CompletableFuture<Perf.Result> perf(PeerId peer, long upload, long download) {
        return newStream(peer, List.of(Perf.PROTOCOL)).thenCompose(s -> Perf.run(s, upload, download));
    }

    @Override
    public CompletableFuture<Void> disconnect(PeerId peer) {
        List<HostConnection> list = connections.getOrDefault(peer, List.of());
        return CompletableFuture.allOf(list.stream().map(HostConnection::close).toArray(CompletableFuture[]::new));
    }

    // ---- connection upgrade ----

    private void upgrade(SocketChannel ch, boolean initiator, PeerId expected, CompletableFuture<HostConnection> done) {
        CompletableFuture<HostConnection> upgraded = done != null ? done : new CompletableFuture<>();
        ChannelPipeline p = ch.pipeline();
        if (initiator) {
            // Only /noise is proposed, so the first Noise message follows the proposal at once (saves a
            // round trip); any answer but /noise fails the connection, as it would without pipelining.
            p.addLast("multistream-security", new MultistreamHandler(new Multistream.Initiator(List.of(NOISE)),
                    (ctx, proto) -> { }));
            p.addLast("noise-handshake", new NoiseHandler(true, identity, List.of(YAMUX), expected, random,
                    (nctx, remote) -> secured(nctx, true, remote, upgraded)));
        } else {
            p.addLast("multistream-security", new MultistreamHandler(new Multistream.Responder(fixed(NOISE), ch.alloc()),
                    (ctx, proto) -> ctx.pipeline().addAfter(ctx.name(), "noise-handshake", new NoiseHandler(false,
                            identity, List.of(YAMUX), expected, random,
                            (nctx, remote) -> secured(nctx, false, remote, upgraded)))));
        }
        p.addLast("upgrade-guard", new UpgradeGuard(upgraded));
        ch.eventLoop().schedule(() -> {
            if (!upgraded.isDone()) {
                upgraded.completeExceptionally(new HivemeshException("connection upgrade with "
                        + ch.remoteAddress() + " took longer than " + config.upgradeTimeout()));
                ch.close();
            }
        }, config.upgradeTimeout().toMillis(), TimeUnit.MILLISECONDS);
        upgraded.whenComplete((c, e) -> {
            if (e != null) {
                LOG.debug("connection with {} failed before it was secured: {}", ch.remoteAddress(), e.toString());
                ch.close();
            }
        });
    }

    private static Multistream.Responder.Protocols fixed(String protocol) {
        return new Multistream.Responder.Protocols() {
            @Override
            public boolean supports(String p) {
                return protocol.equals(p);
            }

            @Override
            public Collection<String> all() {
                return List.of(protocol);
            }
        };
    }

    private void secured(ChannelHandlerContext ctx, boolean initiator, NoisePayloads.Remote remote,
            CompletableFuture<HostConnection> upgraded) {
        if (remote.muxersSent() && remote.muxers().contains(YAMUX)) {
            startYamux(ctx.pipeline(), NoiseTransportCodec.NAME, initiator, remote, upgraded);
            return;
        }
        Multistream.Negotiation muxer = initiator ? new Multistream.Initiator(List.of(YAMUX))
                : new Multistream.Responder(fixed(YAMUX), ctx.alloc());
        ctx.pipeline().addAfter(NoiseTransportCodec.NAME, "multistream-muxer", new MultistreamHandler(muxer,
                (mctx, proto) -> startYamux(mctx.pipeline(), mctx.name(), initiator, remote, upgraded)));
    }

    private void startYamux(ChannelPipeline p, String after, boolean initiator, NoisePayloads.Remote remote,
            CompletableFuture<HostConnection> upgraded) {
        Channel ch = p.channel();
        YamuxSession session = new YamuxSession(initiator, new YamuxSession.Limits(config.maxStreamsPerConnection(),
                config.maxWindow()), remote.peerId(), this::inboundStream);
        p.addAfter(after, "yamux-frames", new YamuxFrameDecoder(config.maxWindow()));
        p.addAfter("yamux-frames", YamuxSession.NAME, session);
        HostConnection c = new HostConnection(ch, session, remote.peerId(), toMultiaddr(ch.remoteAddress()),
                toMultiaddr(ch.localAddress()), initiator);
        peerStore.setPublicKey(remote.peerId(), remote.publicKey());
        connections.computeIfAbsent(remote.peerId(), k -> new CopyOnWriteArrayList<>()).add(c);
        ch.closeFuture().addListener(x -> {
            List<HostConnection> list = connections.get(remote.peerId());
            if (list != null) {
                list.remove(c);
                connections.remove(remote.peerId(), List.of());
            }
        });
        LOG.debug("{} secured (noise, yamux)", c);
        upgraded.complete(c);
        identify(c);
    }

    /** Last handler of a channel: a failure before yamux took over closes the connection and logs why. */
    private static final class UpgradeGuard extends ChannelInboundHandlerAdapter {
        private final CompletableFuture<HostConnection> upgraded;

        UpgradeGuard(CompletableFuture<HostConnection> upgraded) {
            this.upgraded = upgraded;
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            Throwable root = cause.getCause() instanceof ProtocolViolationException ? cause.getCause() : cause;
            if (root instanceof ProtocolViolationException) {
                LOG.warn("closing the connection with {}: {}", ctx.channel().remoteAddress(), root.getMessage());
            } else {
                LOG.debug("closing the connection with {}: {}", ctx.channel().remoteAddress(), root.toString());
            }
            upgraded.completeExceptionally(root);
            ctx.close();
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) {
            upgraded.completeExceptionally(new HivemeshException("connection closed by "
                    + ctx.channel().remoteAddress() + " during the upgrade"));
            ctx.fireChannelInactive();
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) {
            io.netty.util.ReferenceCountUtil.release(msg);
        }
    }

    // ---- streams and built-in protocols ----

    private void inboundStream(YamuxStream s) {
        StreamNegotiation.run(s, new Multistream.Responder(served, io.netty.buffer.ByteBufAllocator.DEFAULT))
                .whenComplete((protocol, e) -> {
                    if (e != null) {
                        LOG.debug("stream from {} not negotiated: {}", s.remotePeer(), e.toString());
                        return;
                    }
                    ProtocolHandler h = builtins.get(protocol);
                    if (h == null) {
                        h = handlers.get(protocol);
                    }
                    if (h == null) {
                        s.reset();
                        return;
                    }
                    try {
                        h.handle(s);
                    } catch (RuntimeException ex) {
                        LOG.warn("handler of {} failed on a stream from {}: {}", protocol, s.remotePeer(), ex.toString());
                        s.reset();
                    }
                });
    }

    private byte[] identifyMessage(Connection c) {
        return IdentifyMessages.encode(identity.publicKey(), listenAddresses(), c.remoteAddress(), protocols(),
                identity.agentVersion());
    }

    private void serveIdentify(Stream s) {
        HostConnection c = connectionOf(s);
        s.write(ByteBuffer.wrap(identifyMessage(c))).thenCompose(v -> s.closeWrite())
                .whenComplete((v, e) -> s.close());
    }

    private void serveIdentifyPush(Stream s) {
        Streams.readAll(s, IdentifyMessages.MAX_MESSAGE + 8).whenComplete((bytes, e) -> {
            if (e == null) {
                try {
                    apply(s.remotePeer(), IdentifyMessages.decode(bytes));
                } catch (ProtocolViolationException ex) {
                    LOG.warn("identify push from {}: {}", s.remotePeer(), ex.getMessage());
                }
            }
            s.close();
        });
    }

    private static void servePing(Stream s) {
        s.read().whenComplete((chunk, e) -> {
            if (e != null) {
                return;
            }
            if (chunk.isEmpty()) {
                s.close();
                return;
            }
            s.write(chunk.get()).whenComplete((v, we) -> {
                if (we == null) {
                    servePing(s);
                }
            });
        });
    }

    private HostConnection connectionOf(Stream s) {
        List<HostConnection> list = connections.getOrDefault(s.remotePeer(), List.of());
        for (HostConnection c : list) {
            if (s instanceof YamuxStream ys && c.session == ys.session()) {
                return c;
            }
        }
        return list.isEmpty() ? null : list.get(0);
    }

    private void identify(HostConnection c) {
        c.newStream(List.of(IdentifyMessages.PROTOCOL))
                .thenCompose(s -> s.closeWrite().thenCompose(v -> Streams.readAll(s, IdentifyMessages.MAX_MESSAGE + 8))
                        .whenComplete((b, e) -> s.close()))
                .whenComplete((bytes, e) -> {
                    if (e != null) {
                        LOG.debug("identify of {} failed: {}", c.remotePeer(), e.toString());
                        return;
                    }
                    try {
                        apply(c.remotePeer(), IdentifyMessages.decode(bytes));
                    } catch (ProtocolViolationException ex) {
                        LOG.warn("identify from {}: {}", c.remotePeer(), ex.getMessage());
                    }
                });
    }

    private void apply(PeerId peer, IdentifyMessages.Info info) {
        info.publicKey().ifPresent(k -> {
            if (PeerId.fromPublicKey(k).equals(peer)) {
                peerStore.setPublicKey(peer, k);
            }
        });
        peerStore.setProtocols(peer, info.protocols());
        peerStore.addAddresses(peer, info.listenAddrs(), ADDRESS_TTL);
        agents.put(peer, info.agentVersion());
    }

    private final Map<PeerId, String> agents = new ConcurrentHashMap<>();

    /** The agent version {@code peer} announced in Identify, if any. */
    public String agentVersion(PeerId peer) {
        return agents.get(peer);
    }

    private void pushIdentify() {
        for (Connection c : connections()) {
            c.newStream(List.of(IdentifyMessages.PUSH_PROTOCOL))
                    .thenCompose(s -> s.write(ByteBuffer.wrap(identifyMessage(c))).thenCompose(v -> s.closeWrite())
                            .whenComplete((v, e) -> s.close()))
                    .whenComplete((v, e) -> {
                        if (e != null) {
                            LOG.debug("identify push to {} failed: {}", c.remotePeer(), e.toString());
                        }
                    });
        }
    }

    // ---- addresses ----

    static InetSocketAddress toSocketAddress(Multiaddr address, boolean resolve) {
        List<Multiaddr.Component> parts = address.components();
        if (parts.size() != 2 || parts.get(1).protocol() != MultiaddrProtocol.TCP) {
            throw new HivemeshException("unsupported address " + address + " (expected /ip4|ip6|dns4|dns6/<host>/tcp/<port>)");
        }
        int port = Integer.parseInt(parts.get(1).valueString());
        String host = parts.get(0).valueString();
        MultiaddrProtocol proto = parts.get(0).protocol();
        try {
            return switch (proto) {
                case IP4, IP6 -> new InetSocketAddress(InetAddress.getByName(host), port);
                case DNS4, DNS6, DNS -> {
                    if (!resolve) {
                        throw new HivemeshException("cannot listen on a DNS name: " + address);
                    }
                    for (InetAddress a : InetAddress.getAllByName(host)) {
                        if (proto == MultiaddrProtocol.DNS || (proto == MultiaddrProtocol.DNS4) == (a instanceof Inet4Address)) {
                            yield new InetSocketAddress(a, port);
                        }
                    }
                    throw new HivemeshException(host + " has no " + proto.protocolName() + " address");
                }
                default -> throw new HivemeshException("unsupported address " + address);
            };
        } catch (UnknownHostException e) {
            throw new HivemeshException("cannot resolve " + host + ": " + e.getMessage(), e);
        }
    }

    static Multiaddr toMultiaddr(java.net.SocketAddress socket) {
        InetSocketAddress s = (InetSocketAddress) socket;
        InetAddress a = s.getAddress();
        String family = a instanceof Inet6Address ? "ip6" : "ip4";
        String host = a.getHostAddress();
        int scope = host.indexOf('%');
        if (scope >= 0) {
            host = host.substring(0, scope);
        }
        return Multiaddr.parse("/" + family + "/" + host + "/tcp/" + s.getPort());
    }

    /** A wildcard listen address becomes one address per local interface address of its family. */
    private static List<Multiaddr> expand(Multiaddr listen, InetSocketAddress actual) {
        InetAddress a = actual.getAddress();
        if (!a.isAnyLocalAddress()) {
            return List.of(toMultiaddr(actual));
        }
        Set<Multiaddr> out = new LinkedHashSet<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp()) {
                    continue;
                }
                for (InetAddress ia : Collections.list(ni.getInetAddresses())) {
                    if ((ia instanceof Inet6Address) == (a instanceof Inet6Address) && !ia.isLinkLocalAddress()) {
                        out.add(toMultiaddr(new InetSocketAddress(ia, actual.getPort())));
                    }
                }
            }
        } catch (SocketException e) {
            LOG.warn("cannot list network interfaces: {}", e.getMessage());
        }
        return new ArrayList<>(out);
    }
}

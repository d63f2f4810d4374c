package io.hivemesh.transport.internal;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.AddressSource;
import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.ConnectionEvent;
import io.hivemesh.api.net.ConnectionEvents;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.net.MessageStream;
import io.hivemesh.api.net.PeerStore;
import io.hivemesh.api.net.PerfResult;
import io.hivemesh.api.net.ProtocolHandler;
import io.hivemesh.api.net.ProtocolLimits;
import io.hivemesh.api.net.RequestHandler;
import io.hivemesh.api.net.RequestResponse;
import io.hivemesh.api.net.ResourceLimitException;
import io.hivemesh.api.net.Stream;
import io.hivemesh.api.peer.PeerId;
import io.netty.bootstrap.Bootstrap;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.AdaptiveRecvByteBufAllocator;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.ChannelPipeline;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.util.concurrent.DefaultThreadFactory;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libp2p host on Netty (libp2p/specs connections/README.md): TCP, multistream-select, Noise,
 * Yamux; Identify (+push) and Ping built in; other protocols from the whiteboard. A facade over its
 * parts: {@link ConnectionUpgrader} (handshakes), {@link YamuxSession} (streams), {@link StreamRouter}
 * (protocols and their handlers), {@link IdentifyService}, {@link ConnectionRegistry} with
 * {@link ConnectionEventBus}, {@link Dialer}, {@link RequestResponseService}, and the
 * {@link ResourceScopes} every connection, stream and buffer is charged to. Plain class: the DS
 * component and the tests drive it. Thread-safe.
 */
public final class Libp2pHost implements Host {
    static final String YAMUX = ConnectionUpgrader.YAMUX;
    static final String PING = "/ipfs/ping/1.0.0";
    /** Yamux keep-alive: a ping on every connection at about this interval (it also measures RTT). */
    static final Duration KEEP_ALIVE = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(Libp2pHost.class);

    private final NodeIdentity identity;
    private final HostConfig config;
    private final SecureRandom random = new SecureRandom();
    private final EventLoopGroup group;
    private final ScheduledExecutorService dialThread;
    private final ThreadPoolExecutor eventThreads;
    private final PeerBook peerStore;
    private final ResourceScopes resources;
    private final HandlerExecutors executors = new HandlerExecutors();
    private final ConnectionEventBus events;
    private final ConnectionRegistry connections;
    private final StreamRouter router;
    private final IdentifyService identify;
    private final ConnectionUpgrader upgrader;
    private final NettyAddressResolver resolver;
    private final Dialer<HostConnection> dialer;
    private final RequestResponseService requests;
    private final List<Channel> servers = new CopyOnWriteArrayList<>();
    private final TrafficCounter traffic = new TrafficCounter();
    private final AtomicLong refusalLogged = new AtomicLong(Long.MIN_VALUE);
    private volatile List<Multiaddr> boundAddresses = List.of();

    public Libp2pHost(NodeIdentity identity, HostConfig config) {
        this.identity = identity;
        this.config = config;
        NoiseCiphers.chosen(); // chosen and logged once per JVM, at the first host's start
        this.group = new NioEventLoopGroup(config.ioThreads(), new DefaultThreadFactory("hivemesh-transport", true));
        this.dialThread = Executors.newSingleThreadScheduledExecutor(daemon("hivemesh-dialer"));
        this.eventThreads = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
                new java.util.concurrent.LinkedTransferQueue<>(), daemon("hivemesh-events"));
        eventThreads.prestartAllCoreThreads();
        this.peerStore = new PeerBook(java.util.Optional.ofNullable(config.peerBook()), PeerBook.DEFAULT_MAX_PEERS,
                System::currentTimeMillis, System::nanoTime);
        this.resources = new ResourceScopes(config.limits());
        this.events = new ConnectionEventBus(eventThreads, this::presentEvents);
        this.connections = new ConnectionRegistry(events);
        this.router = new StreamRouter(resources, executors);
        this.identify = new IdentifyService(identity, peerStore, events, this::listenAddresses, this::protocols);
        this.upgrader = new ConnectionUpgrader(identity, random, config.upgradeTimeout());
        this.resolver = new NettyAddressResolver(group.next(), config.dialTimeout());
        this.dialer = new Dialer<>(this::attempt, HostConnection::close, resolver, Scheduler.of(dialThread),
                new DialerSettings(config.dialTimeout(), DialerSettings.DEFAULTS.staggerDelay(),
                        DialerSettings.DEFAULTS.maxParallel(), DialerSettings.DEFAULTS.maxAddresses()));
        this.requests = new RequestResponseService(this::newMessageStream, router::limitsFor,
                executors::forProtocol, dialThread);
        router.addBuiltin(IdentifyMessages.PROTOCOL, s -> identify.serve(s, connectionOf(s)));
        router.addBuiltin(IdentifyMessages.PUSH_PROTOCOL, identify::servePush);
        router.addBuiltin(PING, Libp2pHost::servePing);
        if (config.perf()) {
            router.addBuiltin(Perf.PROTOCOL, Perf::serve, Perf.LIMITS);
        }
    }

    private static java.util.concurrent.ThreadFactory daemon(String name) {
        AtomicLong n = new AtomicLong();
        return r -> {
            Thread t = new Thread(r, name + "-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    /**
     * Binds every configured listen address.
     *
     * @throws HivemeshException naming the address that could not be bound
     */
    public void start() {
        List<Multiaddr> bound = new ArrayList<>();
        for (Multiaddr listen : config.listen()) {
            InetSocketAddress socket = HostAddresses.toSocketAddress(listen);
            ServerBootstrap b = new ServerBootstrap()
                    .group(group)
                    .channel(NioServerSocketChannel.class)
                    .option(ChannelOption.SO_REUSEADDR, true)
                    .childOption(ChannelOption.TCP_NODELAY, true)
                    // fairness: at most 4 socket reads per connection per event-loop turn, so one peer
                    // flooding tiny frames delays the others' pings by less
                    .childOption(ChannelOption.RCVBUF_ALLOCATOR, new AdaptiveRecvByteBufAllocator().maxMessagesPerRead(4))
                    .childHandler(new ChannelInitializer<SocketChannel>() {
                        @Override
                        protected void initChannel(SocketChannel ch) {
                            ch.pipeline().addFirst(TrafficCounter.NAME, traffic);
                            accept(ch);
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
            bound.addAll(HostAddresses.expand(actual, socket.getAddress()));
            LOG.info("libp2p host {} listening on {}", identity.peerId(), listen.toString().replaceFirst(
                    "/tcp/0$", "/tcp/" + actual.getPort()));
        }
        boundAddresses = List.copyOf(bound);
        long period = Math.max(1, Math.min(10, config.idleTimeout().toSeconds() / 2));
        group.scheduleAtFixedRate(this::closeIdle, period, period, TimeUnit.SECONDS);
        dialThread.scheduleWithFixedDelay(peerStore::flush, 30, 30, TimeUnit.SECONDS);
    }

    /** An inbound TCP connection: admitted by the resource manager (per IP, handshakes), then upgraded. */
    private void accept(SocketChannel ch) {
        ResourceScopes.ConnectionScope scope;
        try {
            scope = resources.openConnection(true, ch.remoteAddress().getAddress());
        } catch (ResourceLimitException e) {
            logRefusal("refusing a connection from " + ch.remoteAddress() + ": " + e.getMessage());
            ch.close();
            return;
        }
        ch.closeFuture().addListener(x -> scope.close());
        CompletableFuture<HostConnection> upgraded = new CompletableFuture<>();
        upgrader.upgrade(ch, false, null, upgraded, (p, after, initiator, remote) ->
                startYamux(p, after, false, remote, scope, upgraded));
    }

    private void logRefusal(String message) {
        long now = System.nanoTime();
        long last = refusalLogged.get();
        if ((last == Long.MIN_VALUE || now - last > TimeUnit.SECONDS.toNanos(10)) && refusalLogged.compareAndSet(last, now)) {
            LOG.warn("{} (logged at most every 10 s)", message);
        } else {
            LOG.debug(message);
        }
    }

    /** Closes connections that had no stream and no traffic for the idle timeout; pings the others. */
    private void closeIdle() {
        long now = System.nanoTime();
        long idle = config.idleTimeout().toNanos();
        for (HostConnection c : connections.allHost()) {
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

    /** Closes every connection and listener and stops the threads (bounded wait). */
    public void stop() {
        for (Channel s : servers) {
            s.close().awaitUninterruptibly(2, TimeUnit.SECONDS);
        }
        servers.clear();
        for (HostConnection c : connections.allHost()) {
            c.close();
        }
        resolver.close();
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).awaitUninterruptibly(5, TimeUnit.SECONDS);
        dialThread.shutdownNow();
        peerStore.flush();
        executors.shutdown();
        eventThreads.shutdown();
    }

    // ---------------------------------------------------------------- whiteboard

    /** Serves {@code protocol} with a message-stream handler and pushes the change to peers. */
    public void addHandler(String protocol, ProtocolHandler handler, ProtocolLimits limits) {
        router.add(protocol, handler, limits);
        identify.push(connections.allHost());
    }

    /** Serves the request-response protocol {@code protocol} and pushes the change to peers. */
    public void addRequestHandler(String protocol, RequestHandler handler, ProtocolLimits limits) {
        router.add(protocol, handler, limits);
        identify.push(connections.allHost());
    }

    /** Serves a byte-stream protocol inline (tests and benchmarks; the handler must never block). */
    public void addStreamHandler(String protocol, Consumer<Stream> handler) {
        router.addBuiltin(protocol, handler);
        identify.push(connections.allHost());
    }

    /** Stops serving {@code protocol} if {@code handler} still serves it (whiteboard unbind). */
    public void removeHandler(String protocol, Object handler) {
        if (router.remove(protocol, handler)) {
            identify.push(connections.allHost());
        }
    }

    /** Applies new resource limits live. */
    public void configureLimits(ResourceScopes.Config limits) {
        resources.configure(limits);
    }

    // ---------------------------------------------------------------- Host

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
        return router.protocols();
    }

    @Override
    public PeerBook peerStore() {
        return peerStore;
    }

    @Override
    public List<Connection> connections() {
        return connections.all();
    }

    public RequestResponse requestResponse() {
        return requests;
    }

    public ConnectionEvents events() {
        return events;
    }

    public ResourceScopes resources() {
        return resources;
    }

    /** The agent version {@code peer} announced in Identify, if any. */
    public String agentVersion(PeerId peer) {
        return identify.agentVersion(peer);
    }

    private List<ConnectionEvent> presentEvents() {
        List<ConnectionEvent> out = new ArrayList<>();
        for (HostConnection c : connections.allHost()) {
            out.add(new ConnectionEvent.Connected(c.remotePeer(), c));
            Set<String> protocols = peerStore.protocols(c.remotePeer());
            String agent = identify.agentVersion(c.remotePeer());
            if (agent != null) {
                out.add(new ConnectionEvent.Identified(c.remotePeer(), protocols, agent));
            }
        }
        return out;
    }

    @Override
    public CompletableFuture<Connection> connect(Multiaddr address) {
        PeerId expected;
        try {
            expected = address.peerIdHash().map(PeerId::fromMultihash).orElse(null);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new DialException("cannot dial " + address + ": " + e.getMessage(), e));
        }
        if (identity.peerId().equals(expected)) {
            return CompletableFuture.failedFuture(new DialException("cannot dial " + address + ": that is this node",
                    null));
        }
        if (expected != null) {
            return dialer.dial(expected, List.of(address)).thenApply(c -> (Connection) c);
        }
        return resolver.resolve(address.withoutPeerId()).thenCompose(targets -> attempt(targets.get(0), null))
                .handle((c, e) -> {
                    if (e != null) {
                        Throwable t = e.getCause() != null ? e.getCause() : e;
                        throw new DialException("cannot dial " + address + ": "
                                + (t.getMessage() != null ? t.getMessage() : t.toString()), t);
                    }
                    return (Connection) c;
                });
    }

    /** One TCP connect and upgrade; cancelling the future closes the channel. */
    private CompletableFuture<HostConnection> attempt(InetSocketAddress target, PeerId expected) {
        CompletableFuture<HostConnection> upgraded = new CompletableFuture<>();
        ResourceScopes.ConnectionScope scope;
        try {
            scope = resources.openConnection(false, target.getAddress());
        } catch (ResourceLimitException e) {
            upgraded.completeExceptionally(e);
            return upgraded;
        }
        Bootstrap b = new Bootstrap()
                .group(group)
                .channel(NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, (int) config.dialTimeout().toMillis())
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addFirst(TrafficCounter.NAME, traffic);
                        upgrader.upgrade(ch, true, expected, upgraded, (p, after, initiator, remote) ->
                                startYamux(p, after, true, remote, scope, upgraded));
                    }
                });
        ChannelFuture cf = b.connect(target);
        cf.channel().closeFuture().addListener(x -> scope.close());
        cf.addListener(f -> {
            if (!f.isSuccess()) {
                scope.close();
                upgraded.completeExceptionally(f.cause());
            }
        });
        upgraded.whenComplete((c, e) -> {
            if (e != null) {
                cf.channel().close();
            } else {
                peerStore.addAddresses(c.remotePeer(), List.of(HostAddresses.toMultiaddr(target)), AddressSource.CONNECTED);
            }
        });
        return upgraded;
    }

    private void startYamux(ChannelPipeline p, String after, boolean initiator, NoisePayloads.Remote remote,
            ResourceScopes.ConnectionScope scope, CompletableFuture<HostConnection> upgraded) {
        Channel ch = p.channel();
        try {
            scope.setPeer(remote.peerId());
        } catch (ResourceLimitException e) {
            logRefusal("closing a connection " + (initiator ? "to " : "from ") + remote.peerId() + ": " + e.getMessage());
            upgraded.completeExceptionally(e);
            ch.close();
            return;
        }
        YamuxSession session = new YamuxSession(initiator, YamuxSession.Limits.defaults(config.maxWindow()),
                remote.peerId(), scope, router::onInbound, System::nanoTime);
        p.addAfter(after, "yamux-frames", new YamuxFrameDecoder(session));
        p.addAfter("yamux-frames", YamuxSession.NAME, session);
        HostConnection c = new HostConnection(ch, session, scope, remote.peerId(),
                HostAddresses.toMultiaddr(ch.remoteAddress()), HostAddresses.toMultiaddr(ch.localAddress()), initiator);
        peerStore.setPublicKey(remote.peerId(), remote.publicKey());
        peerStore.protect(remote.peerId());
        connections.add(c);
        ch.closeFuture().addListener(x -> {
            connections.remove(c);
            peerStore.unprotect(remote.peerId());
        });
        LOG.debug("{} secured (noise, yamux)", c);
        if (!upgraded.complete(c)) {
            ch.close();
            return;
        }
        identify.identify(c);
    }

    // ---------------------------------------------------------------- streams

    @Override
    public CompletableFuture<Stream> newStream(PeerId peer, List<String> protocols) {
        return openCharged(peer, protocols, null).thenApply(s -> (Stream) s);
    }

    @Override
    public CompletableFuture<MessageStream> newMessageStream(PeerId peer, List<String> protocols) {
        return newMessageStream(peer, protocols, null);
    }

    @Override
    public CompletableFuture<MessageStream> newMessageStream(PeerId peer, List<String> protocols, ProtocolLimits limits) {
        CompletableFuture<MessageStream> out = new CompletableFuture<>();
        openCharged(peer, protocols, limits).whenComplete((s, e) -> {
            ProtocolLimits pl = e == null ? limitsOf(s.protocol(), limits) : router.limitsFor(protocols.get(0));
            HandlerExecutors.ProtocolExecutor exec = executors.forProtocol(e == null ? s.protocol() : protocols.get(0), pl);
            exec.execute(() -> {
                if (e != null) {
                    out.completeExceptionally(e);
                } else {
                    out.complete(new FramedStream(s, pl, exec));
                }
            });
        });
        return out;
    }

    private ProtocolLimits limitsOf(String protocol, ProtocolLimits own) {
        return own != null ? resources.protocolLimits(own) : router.limitsFor(protocol);
    }

    /** Opens a negotiated stream charged to its protocol's limits (reset if they refuse it). */
    private CompletableFuture<YamuxStream> openCharged(PeerId peer, List<String> protocols, ProtocolLimits limits) {
        return connectionTo(peer).thenCompose(c -> ((HostConnection) c).openRaw(protocols)).thenApply(s -> {
            try {
                s.scope.setProtocol(s.protocol(), limitsOf(s.protocol(), limits));
            } catch (ResourceLimitException e) {
                s.reset();
                throw e;
            }
            return s;
        });
    }

    /** An open connection to {@code peer}, or a new one through its known addresses (the {@link Dialer}). */
    CompletableFuture<Connection> connectionTo(PeerId peer) {
        var open = connections.open(peer);
        if (open.isPresent()) {
            return CompletableFuture.completedFuture(open.get());
        }
        List<Multiaddr> addrs = peerStore.addresses(peer);
        if (addrs.isEmpty()) {
            return CompletableFuture.failedFuture(new DialException("no connection to " + peer
                    + " and no known address", null));
        }
        return dialer.dial(peer, addrs).handle((c, e) -> {
            if (e != null) {
                Throwable t = e.getCause() != null && e instanceof java.util.concurrent.CompletionException ? e.getCause() : e;
                throw t instanceof DialException d ? d : new DialException(t.getMessage(), t);
            }
            return (Connection) c;
        });
    }

    private HostConnection connectionOf(Stream s) {
        List<HostConnection> list = connections.of(s.remotePeer());
        for (HostConnection c : list) {
            if (s instanceof YamuxStream ys && c.session == ys.session()) {
                return c;
            }
        }
        return list.isEmpty() ? null : list.get(0);
    }

    // ---------------------------------------------------------------- ping, perf, disconnect

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
                .orTimeout(IdentifyService.TIMEOUT_S, TimeUnit.SECONDS)
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

    /**
     * Runs one libp2p perf exchange with {@code peer}: uploads {@code upload} bytes and downloads
     * {@code download} bytes on one stream (for benchmarks and diagnostics; the peer must serve perf).
     */
    @Override
    public CompletableFuture<PerfResult> perf(PeerId peer, long upload, long download) {
        CompletableFuture<PerfResult> out = new CompletableFuture<>();
        newStream(peer, List.of(Perf.PROTOCOL)).thenCompose(s -> Perf.run(s, upload, download))
                .whenComplete((r, e) -> {
                    Throwable c = e instanceof java.util.concurrent.CompletionException && e.getCause() != null
                            ? e.getCause() : e;
                    if (c == null) {
                        out.complete(r);
                    } else if (c instanceof Multistream.NotSupportedException) {
                        out.completeExceptionally(new HivemeshException(peer + " does not serve " + Perf.PROTOCOL
                                + ": set perf = true in etc/" + TransportComponent.PID + ".cfg on that node", c));
                    } else {
                        out.completeExceptionally(c);
                    }
                });
        return out;
    }

    /** {@value Host#INFO_CIPHER}: the Noise cipher of this JVM; {@code perf}: whether perf is served. */
    @Override
    public Map<String, String> info() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put(INFO_CIPHER, NoiseCiphers.chosen().summary());
        m.put("perf", config.perf() ? "served (" + Perf.PROTOCOL + ", 1 stream per peer, "
                + (Perf.MAX_BYTES >> 20) + " MiB per request)" : "not served");
        return m;
    }

    @Override
    public java.util.Optional<io.hivemesh.api.net.Traffic> traffic() {
        return java.util.Optional.of(traffic.totals());
    }

    @Override
    public CompletableFuture<Void> disconnect(PeerId peer) {
        return CompletableFuture.allOf(connections.of(peer).stream().map(HostConnection::close)
                .toArray(CompletableFuture[]::new));
    }
}

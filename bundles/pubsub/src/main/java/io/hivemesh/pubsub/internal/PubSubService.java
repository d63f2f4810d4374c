package io.hivemesh.pubsub.internal;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.net.ConnectionEvents;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.pubsub.PubSub;
import io.hivemesh.api.pubsub.PubSubEvent;
import io.hivemesh.api.pubsub.PubSubMessage;
import io.hivemesh.api.pubsub.PublishException;
import io.hivemesh.api.pubsub.PublishResult;
import io.hivemesh.api.pubsub.Subscription;
import io.hivemesh.api.pubsub.TopicValidator;
import io.hivemesh.pubsub.internal.pb.RpcProto.RPC;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BiConsumer;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PubSub} service as a plain class (the DS component and the tests construct it): the
 * {@link GossipRouter} on its own single thread ({@link RouterExecutor}), the wire
 * ({@link HostGossipNetwork}), heartbeats at the settings' interval, bounded {@link Subscription}s,
 * the {@link TopicValidator} registry and event listeners.
 *
 * <p>Use: construct, register {@link #handler()} on the host for every id in
 * {@link HostGossipNetwork#PROTOCOLS} with {@link HostGossipNetwork#limits(int)} (the component does it
 * through the whiteboard), {@link #start()}, and {@link #stop()} at the end. Threads: the router
 * runs only on the router thread; subscriber futures, publish results and events complete on
 * {@link ServiceThreads}' delivery and event threads, never on the router thread or a network event loop.
 */
public final class PubSubService implements PubSub {
    private static final Logger LOG = LoggerFactory.getLogger(PubSubService.class);
    /** How long a read of router state from another thread may wait. */
    static final Duration QUERY_TIMEOUT = Duration.ofSeconds(5);

    private final Host host;
    private final GossipSettings settings;
    private final ServiceThreads threads;
    private final HostGossipNetwork network;
    private final PeerScoring scoring;
    private final GossipRouter router;
    private final TopicValidators validators;
    private final LocalSubscriptions subscriptions;
    private final EventListeners listeners;
    private final AtomicBoolean heartbeatQueued = new AtomicBoolean();
    private volatile boolean running;
    private volatile BiConsumer<PeerId, byte[]> peerExchange = (p, r) -> { };

    /**
     * With the default network bounds and peer scoring as the component runs it by default
     * ({@link PeerScore} with {@link ScoreParams#defaults()}, the settings' seen TTL, the wall clock).
     */
    public PubSubService(Host host, ConnectionEvents events, MessageSigning signing, GossipSettings settings) {
        this(host, events, signing, settings, HostGossipNetwork.Settings.defaults(),
                new PeerScore(ScoreParams.defaults(), settings.seenTtl(), System::currentTimeMillis));
    }

    public PubSubService(Host host, ConnectionEvents events, MessageSigning signing, GossipSettings settings,
            HostGossipNetwork.Settings networkSettings, PeerScoring scoring) {
        this.host = host;
        this.settings = settings;
        this.scoring = scoring;
        this.threads = new ServiceThreads(settings.validationQueue());
        this.network = new HostGossipNetwork(host, events, threads.router(), networkSettings);
        this.validators = new TopicValidators(threads.validation(), threads.timer(), settings.validationQueue(),
                settings.validationTimeout());
        this.subscriptions = new LocalSubscriptions(threads, this::join, this::leave);
        this.listeners = new EventListeners(threads.events());
        this.router = new GossipRouter(host.peerId(), settings, network, scoring, signing, validators,
                new Listener(), System::currentTimeMillis, new Random(), threads.router());
    }

    /** The handler to serve {@link HostGossipNetwork#PROTOCOLS} with. */
    public io.hivemesh.api.net.ProtocolHandler handler() {
        return network.handler();
    }

    /** Starts the network glue and the heartbeat. */
    public synchronized void start() {
        if (running) {
            return;
        }
        running = true;
        network.start(new Inbound());
        threads.timer().scheduleAtFixedRate(this::tick, settings.heartbeatInitialDelay().toMillis(),
                settings.heartbeatInterval().toMillis(), TimeUnit.MILLISECONDS);
        LOG.info("pubsub: gossipsub running as {} on {} (D {}, heartbeat {} ms)", host.peerId(), HostGossipNetwork.PROTOCOLS,
                settings.d(), settings.heartbeatInterval().toMillis());
    }

    /** Stops: closes every subscription, resets the streams, stops the threads (bounded waits). */
    public synchronized void stop() {
        if (!running) {
            return;
        }
        running = false;
        subscriptions.terminateAll();
        network.stop();
        threads.shutdown();
        LOG.info("pubsub: stopped");
    }

    /** Where peers offered by peer exchange go (the component reports them to Discovery). */
    public void onPeerExchange(BiConsumer<PeerId, byte[]> sink) {
        this.peerExchange = sink;
    }

    /** Registers a validator for {@code topic} (the whiteboard). */
    public void addValidator(String topic, TopicValidator v) {
        validators.register(topic, v);
    }

    public void removeValidator(String topic, TopicValidator v) {
        validators.unregister(topic, v);
    }

    /** The network glue's counters. */
    public HostGossipNetwork.Stats networkStats() {
        return network.stats();
    }

    public GossipSettings settings() {
        return settings;
    }

    // ---------------------------------------------------------------- PubSub

    @Override
    public Subscription subscribe(String topic) {
        return subscribe(topic, Subscription.DEFAULT_CAPACITY);
    }

    @Override
    public Subscription subscribe(String topic, int capacity) {
        checkTopic(topic);
        if (capacity < 1 || capacity > 65_536) {
            throw new IllegalArgumentException("subscription queue capacity must be 1..65536, not " + capacity);
        }
        if (!running) {
            throw new IllegalStateException("pubsub is not running: cannot subscribe to " + topic);
        }
        return subscriptions.add(topic, capacity);
    }

    private void checkTopic(String topic) {
        if (topic == null || topic.isEmpty()) {
            throw new IllegalArgumentException("topic name is empty");
        }
        int len = topic.getBytes(StandardCharsets.UTF_8).length;
        if (len > settings.maxTopicLength()) {
            throw new IllegalArgumentException("topic name of " + len + " bytes exceeds the maximum of "
                    + settings.maxTopicLength());
        }
    }

    /** The first local subscription of {@code topic}: join it (called in order, under the registry's lock). */
    private void join(String topic) {
        onRouter(() -> router.subscribe(topic), "subscribe to " + topic);
    }

    /** The last local subscription of {@code topic} closed: leave it. */
    private void leave(String topic) {
        onRouter(() -> router.unsubscribe(topic), "unsubscribe from " + topic);
    }

    private void onRouter(Runnable r, String what) {
        try {
            threads.router().execute(r);
        } catch (RejectedExecutionException e) {
            LOG.debug("pubsub: {} skipped: the router is stopped", what);
        }
    }

    @Override
    public CompletableFuture<PublishResult> publish(String topic, byte[] data) {
        try {
            checkTopic(topic);
        } catch (IllegalArgumentException e) {
            return CompletableFuture.failedFuture(e);
        }
        if (data.length > settings.maxMessageBytes()) {
            return CompletableFuture.failedFuture(new PublishException(PublishException.Reason.TOO_LARGE,
                    "message of " + data.length + " bytes on " + topic + " exceeds the maximum of "
                            + settings.maxMessageBytes() + " bytes"));
        }
        CompletableFuture<PublishResult> out = new CompletableFuture<>();
        if (!running) {
            out.completeExceptionally(notRunning(topic));
            return out;
        }
        byte[] copy = data.clone();
        try {
            threads.router().execute(() -> {
                CompletableFuture<PublishResult> r;
                try {
                    r = router.publish(topic, copy);
                } catch (RuntimeException e) {
                    r = CompletableFuture.failedFuture(e);
                }
                r.whenComplete((res, e) -> handOver(out, res, e));
            });
        } catch (RejectedExecutionException e) {
            out.completeExceptionally(notRunning(topic));
        }
        return out;
    }

    /**
     * Completes {@code out} on the delivery thread (never the router's, so callers' callbacks cannot
     * stall it); if that thread refuses (queue full, stopping), on the common pool instead of never.
     */
    private void handOver(CompletableFuture<PublishResult> out, PublishResult res, Throwable e) {
        Runnable complete = () -> {
            if (e != null) {
                out.completeExceptionally(e instanceof CompletionException && e.getCause() != null ? e.getCause() : e);
            } else {
                out.complete(res);
            }
        };
        try {
            threads.delivery().execute(complete);
        } catch (RejectedExecutionException full) {
            ForkJoinPool.commonPool().execute(complete);
        }
    }

    private static PublishException notRunning(String topic) {
        return new PublishException(PublishException.Reason.NOT_RUNNING, "pubsub is not running: cannot publish on " + topic);
    }

    @Override
    public Set<String> topics() {
        return subscriptions.topics();
    }

    @Override
    public List<PeerId> peers(String topic) {
        return query("peers of " + topic, () -> List.copyOf(router.peers(topic)));
    }

    @Override
    public List<PeerId> peers() {
        return query("pubsub peers", () -> List.copyOf(router.peers()));
    }

    @Override
    public List<PeerId> mesh(String topic) {
        return query("mesh of " + topic, () -> List.copyOf(router.mesh(topic)));
    }

    @Override
    public java.util.Optional<io.hivemesh.api.pubsub.PubSubStats> stats() {
        return java.util.Optional.of(router.messageStats());
    }

    @Override
    public double score(PeerId peer) {
        return query("score of " + peer, () -> router.score(peer));
    }

    private <T> T query(String what, java.util.concurrent.Callable<T> q) {
        if (!running) {
            throw new HivemeshException("pubsub is not running: cannot read " + what);
        }
        return threads.router().call(what, q, QUERY_TIMEOUT);
    }

    @Override
    public Listening listen(Consumer<PubSubEvent> listener) {
        return listeners.add(listener);
    }

    // ---------------------------------------------------------------- router side (router thread)

    /** What the network reports, applied to the router. */
    private final class Inbound implements GossipInbound {
        @Override
        public void peerUp(PeerId peer, String protocol, String ip, boolean outbound) {
            router.addPeer(peer, protocol, ip, outbound);
        }

        @Override
        public void peerDown(PeerId peer) {
            router.removePeer(peer);
        }

        @Override
        public void rpc(PeerId from, RPC rpc) {
            router.handleRpc(from, rpc);
        }

        @Override
        public void malformed(PeerId from, String reason) {
            scoring.addPenalty(from, 1);
        }
    }

    /** What the router reports: messages to subscriptions, events to listeners, PX to the sink. */
    private final class Listener implements RouterListener {
        @Override
        public void deliver(PubSubMessage message) {
            subscriptions.deliver(message);
        }

        @Override
        public void event(PubSubEvent event) {
            listeners.dispatch(event);
        }

        @Override
        public void peerExchange(PeerId peer, byte[] signedPeerRecord) {
            BiConsumer<PeerId, byte[]> sink = peerExchange;
            try {
                threads.events().execute(() -> sink.accept(peer, signedPeerRecord));
            } catch (RejectedExecutionException e) {
                LOG.debug("pubsub: peer exchange of {} dropped (event queue full)", peer);
            }
        }
    }

    private void tick() {
        if (running && heartbeatQueued.compareAndSet(false, true)) {
            try {
                threads.router().execute(() -> {
                    heartbeatQueued.set(false);
                    try {
                        router.heartbeat();
                    } catch (RuntimeException e) {
                        LOG.warn("pubsub: heartbeat failed", e);
                    }
                });
            } catch (RejectedExecutionException e) {
                heartbeatQueued.set(false);
            }
        }
    }

    /** For tests: the threads (to wait on the router). */
    ServiceThreads threads() {
        return threads;
    }

    static ScheduledExecutorService daemonTimer(String name) {
        return Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }
}

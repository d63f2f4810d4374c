package io.hivemesh.pubsub.internal;

import io.hivemesh.api.discovery.Discovery;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.transport.internal.HostConfig;
import io.hivemesh.transport.internal.Libp2pHost;
import io.hivemesh.transport.internal.TestIdentity;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BooleanSupplier;

/**
 * A real libp2p host on 127.0.0.1 running a {@link PubSubService} the way the component wires it
 * (handler for every pubsub protocol with the glue's limits, peer exchange through a
 * {@link PeerExchangeIntake} into the host's peer store and {@link #discovery} when the test sets
 * one), for tests in this module.
 */
public final class PubSubTestNode implements AutoCloseable {
    public final Libp2pHost host;
    public final PubSubService pubsub;
    /** Where peer exchange reports go (the component's optional Discovery reference); null: none. */
    public final AtomicReference<Discovery> discovery = new AtomicReference<>();
    public final PeerExchangeIntake peerExchange;

    private PubSubTestNode(Libp2pHost host, PubSubService pubsub) {
        this.host = host;
        this.pubsub = pubsub;
        this.peerExchange = new PeerExchangeIntake(host.peerStore(), discovery::get);
        pubsub.onPeerExchange(peerExchange);
    }

    /** Gossipsub defaults with a 200 ms heartbeat (meshes form faster; nothing else changes). */
    public static GossipSettings fastSettings() {
        return GossipSettings.defaults().toBuilder().heartbeatInterval(Duration.ofMillis(200))
                .heartbeatInitialDelay(Duration.ofMillis(50)).build();
    }

    public static PubSubTestNode start() {
        return start(fastSettings());
    }

    /** A node with the product's defaults for network bounds and scoring ({@link PeerScore}). */
    public static PubSubTestNode start(GossipSettings settings) {
        return start(settings, null);
    }

    /** A node with its own network bounds (null: the defaults), scoring as the product's default. */
    public static PubSubTestNode start(GossipSettings settings, HostGossipNetwork.Settings network) {
        TestIdentity id = new TestIdentity();
        Libp2pHost h = new Libp2pHost(id, HostConfig.defaults(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))));
        h.start();
        PubSubService s = network == null
                ? new PubSubService(h, h.events(), new TestIdentitySigning(id), settings)
                : new PubSubService(h, h.events(), new TestIdentitySigning(id), settings, network,
                        new PeerScore(ScoreParams.defaults(), settings.seenTtl(), System::currentTimeMillis));
        s.start();
        for (String p : HostGossipNetwork.PROTOCOLS) {
            h.addHandler(p, s.handler(), HostGossipNetwork.limits(settings.maxRpcBytes()));
        }
        return new PubSubTestNode(h, s);
    }

    public PeerId id() {
        return host.peerId();
    }

    /** This node's dialable address with /p2p/. */
    public Multiaddr address() {
        return host.listenAddresses().get(0).encapsulate("/p2p/" + host.peerId());
    }

    /** Dials {@code other} and waits for the connection. */
    public void connect(PubSubTestNode other) throws Exception {
        host.connect(other.address()).get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        pubsub.stop();
        host.stop();
    }

    /** Polls {@code condition} every 20 ms until it holds or {@code timeout} passes; false on timeout. */
    public static boolean await(BooleanSupplier condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(20);
        }
        return condition.getAsBoolean();
    }
}

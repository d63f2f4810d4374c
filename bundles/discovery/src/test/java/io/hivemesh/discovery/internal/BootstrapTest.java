package io.hivemesh.discovery.internal;

import static io.hivemesh.discovery.internal.Hosts.await;
import static io.hivemesh.discovery.internal.Hosts.connected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.discovery.BootstrapResult;
import io.hivemesh.api.discovery.DiscoveredPeer;
import io.hivemesh.api.discovery.DiscoverySource;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.AddressSource;
import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.ConnectionEvents;
import io.hivemesh.transport.internal.Libp2pHost;
import io.hivemesh.transport.internal.TestIdentity;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Bootstrap, redial below low water and reported peers, with real hosts on loopback. */
class BootstrapTest {
    private final List<Libp2pHost> hosts = new ArrayList<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final List<ConnectionEvents.Subscription> subscriptions = new ArrayList<>();

    @AfterEach
    void stop() {
        subscriptions.forEach(ConnectionEvents.Subscription::close);
        executor.shutdownNow();
        hosts.forEach(Libp2pHost::stop);
    }

    private Libp2pHost host() {
        Libp2pHost h = Hosts.start();
        hosts.add(h);
        return h;
    }

    /** What the component wires: service, trimmer (low 4, high 8), bootstrapper, the host's events. */
    private DiscoveryService discovery(Libp2pHost h, List<Multiaddr> bootstrap, DnsaddrResolver resolver) {
        ConnectionTrimmer trimmer = new ConnectionTrimmer(h, new ConnectionTrimmer.Limits(4, 8, Duration.ofSeconds(30)), System::nanoTime, p -> 0);
        DiscoveryService s = new DiscoveryService(h, new DiscoveredPeers(64), trimmer, new Bootstrapper(h, resolver, executor),
                new DiscoveryService.Settings(bootstrap, Duration.ofHours(1)), Clock.systemUTC(), System::nanoTime, executor);
        subscriptions.add(h.events().subscribe(s::onEvent));
        return s;
    }

    private static DnsaddrResolver noDns() {
        return new DnsaddrResolver(name -> {
            throw new AssertionError("no DNS lookup expected: " + name);
        }, 1, 8);
    }

    @Test
    void connectsToBootstrapAtStartAndRedialsAfterADisconnect() throws Exception {
        Libp2pHost boot = host();
        Libp2pHost node = host();
        DiscoveryService d = discovery(node, List.of(Hosts.full(boot)), noDns());
        d.tick(); // what the component's first tick does at activation
        await("the node connects to its bootstrap peer", () -> connected(node).contains(boot.peerId()));
        await("discovery lists it as found by bootstrap, connected", () -> d.peers().stream()
                .anyMatch(x -> x.peer().equals(boot.peerId()) && x.source() == DiscoverySource.BOOTSTRAP && x.connected()));
        // the bootstrap peer drops us: the Disconnected event runs an upkeep tick, below low water it redials
        Connection first = node.connections().stream().filter(c -> c.remotePeer().equals(boot.peerId())).findFirst().orElseThrow();
        boot.disconnect(node.peerId()).get(30, TimeUnit.SECONDS);
        await("the first connection is closed", () -> !first.isOpen());
        await("the node redials its bootstrap peer", () -> node.connections().stream()
                .anyMatch(c -> c.remotePeer().equals(boot.peerId()) && c != first && c.isOpen() && c.isOutbound()));
    }

    @Test
    void bootstrapReportsWhatConnectedAndWhatFailed() throws Exception {
        Libp2pHost boot = host();
        Libp2pHost node = host();
        Multiaddr dead = Multiaddr.parse("/ip4/127.0.0.1/tcp/1/p2p/" + new TestIdentity().peerId());
        DiscoveryService d = discovery(node, List.of(Hosts.full(boot), dead), noDns());
        BootstrapResult r = d.bootstrap().get(60, TimeUnit.SECONDS);
        assertEquals(List.of(boot.peerId() + " at " + Hosts.full(boot)), r.connected());
        assertEquals(1, r.failed().size());
        assertTrue(r.failed().get(0).startsWith(dead + ": "), r.failed().get(0));
        // a second round finds the peer connected and does not open another connection to it
        BootstrapResult again = d.bootstrap().get(60, TimeUnit.SECONDS);
        assertEquals(r.connected(), again.connected());
        assertEquals(1, node.connections().stream().filter(c -> c.remotePeer().equals(boot.peerId())).count());
    }

    @Test
    void bootstrapThroughDnsaddr() throws Exception {
        Libp2pHost boot = host();
        Libp2pHost node = host();
        try (Dnsmasq dns = new Dnsmasq(Map.of("_dnsaddr.boot.test", List.of("dnsaddr=" + Hosts.full(boot))))) {
            DnsClient client = new DnsClient(dns.address, Duration.ofSeconds(2));
            DiscoveryService d = discovery(node, List.of(Multiaddr.parse("/dnsaddr/boot.test/p2p/" + boot.peerId())),
                    new DnsaddrResolver(client::txt, 4, 8));
            BootstrapResult r = d.bootstrap().get(60, TimeUnit.SECONDS);
            assertEquals(List.of(boot.peerId() + " at " + Hosts.full(boot)), r.connected(), r.failed().toString());
            assertTrue(connected(node).contains(boot.peerId()));
        }
    }

    @Test
    void reportedPeersGoToThePeerStoreAndAreDialedBelowLowWater() throws Exception {
        Libp2pHost other = host();
        Libp2pHost node = host();
        DiscoveryService d = discovery(node, List.of(), noDns());
        Multiaddr addr = other.listenAddresses().get(0);
        d.report(other.peerId(), List.of(addr.encapsulate("/p2p/" + other.peerId())), DiscoverySource.PEER_EXCHANGE);
        await("the reported peer is dialed", () -> connected(node).contains(other.peerId()));
        assertTrue(node.peerStore().addresses(other.peerId()).contains(addr));
        DiscoveredPeer p = d.peers().get(0);
        assertEquals(other.peerId(), p.peer());
        assertEquals(DiscoverySource.PEER_EXCHANGE, p.source(), "reported before the dial, so never CONNECTION");
        assertEquals(List.of(addr), p.addresses());
        d.report(node.peerId(), List.of(addr), DiscoverySource.PEER_EXCHANGE);
        assertEquals(1, d.peers().size(), "this node itself is never listed");
        assertTrue(node.peerStore().addressSource(other.peerId(), addr).isPresent());
        assertTrue(node.peerStore().addressSource(other.peerId(), addr).get().compareTo(AddressSource.THIRD_PARTY) <= 0);
    }
}

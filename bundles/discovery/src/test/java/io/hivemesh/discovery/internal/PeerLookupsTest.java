package io.hivemesh.discovery.internal;

import static io.hivemesh.discovery.internal.Hosts.await;
import static io.hivemesh.discovery.internal.Hosts.connected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.discovery.DiscoverySource;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.ConnectionEvents;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.PeerInfo;
import io.hivemesh.transport.internal.Libp2pHost;
import io.hivemesh.transport.internal.TestIdentity;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Peers reported without addresses (gossipsub PX without a record, DHT) are looked up through
 * {@link io.hivemesh.api.routing.PeerRouting#findPeer} and dialed, with real hosts on loopback; the
 * lookups are bounded in number, per peer, and in time.
 */
class PeerLookupsTest {
    private final List<Libp2pHost> hosts = new ArrayList<>();
    private final ScheduledExecutorService executor = Executors.newSingleThreadScheduledExecutor();
    private final List<ConnectionEvents.Subscription> subscriptions = new ArrayList<>();
    private final MapPeerRoutingForTests routing = new MapPeerRoutingForTests();

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

    /** The component's wiring (low water 4, high 8), with {@link #routing} as the DHT. */
    private DiscoveryService discovery(Libp2pHost h) {
        ConnectionTrimmer trimmer = new ConnectionTrimmer(h, new ConnectionTrimmer.Limits(4, 8, Duration.ofSeconds(30)), System::nanoTime, p -> 0);
        DnsaddrResolver noDns = new DnsaddrResolver(name -> {
            throw new AssertionError("no DNS lookup expected: " + name);
        }, 1, 8);
        DiscoveryService s = new DiscoveryService(h, new DiscoveredPeers(64), trimmer, new Bootstrapper(h, noDns, executor),
                new DiscoveryService.Settings(List.of(), Duration.ofHours(1)), Clock.systemUTC(), System::nanoTime, executor,
                () -> routing);
        subscriptions.add(h.events().subscribe(s::onEvent));
        return s;
    }

    @Test
    void aPeerExchangePeerWithoutAddressesIsLookedUpAndDialed() throws Exception {
        Libp2pHost node = host();
        Libp2pHost target = host();
        routing.known.put(target.peerId(), new PeerInfo(target.peerId(), target.listenAddresses()));
        DiscoveryService d = discovery(node);
        d.report(target.peerId(), List.of(), DiscoverySource.PEER_EXCHANGE);
        await("the PX peer is dialed at the address the lookup found", () -> connected(node).contains(target.peerId()));
        assertEquals(List.of(target.peerId()), routing.asked);
        assertTrue(d.peers().stream().anyMatch(p -> p.peer().equals(target.peerId()) && p.source() == DiscoverySource.PEER_EXCHANGE
                && p.addresses().contains(target.listenAddresses().get(0))), "listed as found by PX, with the address");
    }

    @Test
    void aPeerNobodyKnowsIsLookedUpOnceAndNotDialed() throws Exception {
        Libp2pHost node = host();
        DiscoveryService d = discovery(node);
        PeerId ghost = new TestIdentity().peerId();
        d.report(ghost, List.of(), DiscoverySource.PEER_EXCHANGE);
        await("the lookup finished", () -> d.lookups().started() == 1 && d.lookups().inFlight() == 0);
        d.report(ghost, List.of(), DiscoverySource.DHT_WALK);
        d.tick();
        assertEquals(List.of(ghost), routing.asked, "not looked up again soon after");
        assertTrue(connected(node).isEmpty());
        assertTrue(d.peers().stream().anyMatch(p -> p.peer().equals(ghost) && p.addresses().isEmpty()), "still listed");
        d.report(new TestIdentity().peerId(), List.of(), DiscoverySource.MDNS);
        assertEquals(1, routing.asked.size(), "other sources are not looked up");
    }

    @Test
    void lookupsAreBoundedInNumberAndTime() throws Exception {
        routing.hold = true;
        AtomicLong now = new AtomicLong();
        PeerLookups lookups = new PeerLookups(() -> routing, now::get, Duration.ofMillis(200));
        List<CompletableFuture<List<Multiaddr>>> running = new ArrayList<>();
        for (int i = 0; i < PeerLookups.MAX_IN_FLIGHT + 3; i++) {
            lookups.lookUp(new TestIdentity().peerId()).ifPresent(running::add);
        }
        assertEquals(PeerLookups.MAX_IN_FLIGHT, running.size(), "at most " + PeerLookups.MAX_IN_FLIGHT + " at once");
        assertEquals(PeerLookups.MAX_IN_FLIGHT, routing.asked.size());
        for (CompletableFuture<List<Multiaddr>> f : running) {
            assertEquals(List.of(), f.get(30, TimeUnit.SECONDS), "an unanswered lookup ends empty at its deadline");
        }
        assertEquals(0, lookups.inFlight());
        PeerId first = routing.asked.get(0);
        assertFalse(lookups.lookUp(first).isPresent(), "the same peer is not asked again within the repeat interval");
        now.addAndGet(PeerLookups.REPEAT_AFTER.toNanos());
        routing.hold = false;
        assertTrue(lookups.lookUp(first).isPresent(), "after the repeat interval it is");
        assertFalse(new PeerLookups(() -> null, now::get, Duration.ofSeconds(1)).lookUp(first).isPresent(),
                "no routing bound: nothing looked up");
    }

    @Test
    void aLookupNamingAnotherPeerIsIgnored() throws Exception {
        PeerId asked = new TestIdentity().peerId();
        PeerId other = new TestIdentity().peerId();
        routing.known.put(asked, new PeerInfo(other, List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001"))));
        PeerLookups lookups = new PeerLookups(() -> routing, System::nanoTime, Duration.ofSeconds(30));
        assertEquals(List.of(), lookups.lookUp(asked).orElseThrow().get(30, TimeUnit.SECONDS));
    }
}

package io.hivemesh.discovery.internal;

import static io.hivemesh.discovery.internal.Hosts.await;
import static io.hivemesh.discovery.internal.Hosts.connected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.discovery.DiscoverySource;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.PeerInfo;
import io.hivemesh.api.routing.PeerRouting;
import io.hivemesh.transport.internal.Libp2pHost;
import java.lang.reflect.Proxy;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The DS shell without a framework: its {@code Config} is a proxy answering the annotation's
 * defaults unless overridden, the host real. mDNS stays off (multicast only in the IT's namespaces).
 */
class DiscoveryComponentTest {
    private Libp2pHost boot;
    private Libp2pHost node;
    private DiscoveryComponent component;

    @AfterEach
    void stop() {
        if (component != null) {
            component.deactivate();
        }
        if (node != null) {
            node.stop();
        }
        if (boot != null) {
            boot.stop();
        }
    }

    static DiscoveryComponent.Config config(Map<String, Object> overrides) {
        return (DiscoveryComponent.Config) Proxy.newProxyInstance(DiscoveryComponent.Config.class.getClassLoader(),
                new Class<?>[] {DiscoveryComponent.Config.class}, (proxy, m, args) -> {
                    if (m.getName().equals("annotationType")) {
                        return DiscoveryComponent.Config.class;
                    }
                    Object v = overrides.get(m.getName().replace("__", "_")); // DS reads "a__b()" as key "a_b"
                    return v != null ? v : m.getDefaultValue();
                });
    }

    @Test
    void connectsToTheBootstrapPeerAtActivationAndAppliesWaterMarksLive() throws Exception {
        boot = Hosts.start();
        node = Hosts.start();
        Map<String, Object> cfg = new HashMap<>(Map.of("bootstrap", Hosts.full(boot).toString(), "random_walk_interval_s", 0L));
        component = new DiscoveryComponent(config(cfg), node, node.events());
        await("the node connects to the bootstrap peer at start", () -> connected(node).contains(boot.peerId()));
        await("discovery lists it as found by bootstrap", () -> component.peers().stream()
                .anyMatch(p -> p.peer().equals(boot.peerId()) && p.source() == DiscoverySource.BOOTSTRAP && p.connected()));
        assertEquals(0, component.trim(), "1 peer is below the default high water");
        cfg.put("low_water", 0);
        cfg.put("high_water", 0);
        cfg.put("grace_period_s", 0L);
        component.modified(config(cfg));
        // identify's two streams right after connecting count as a transfer in progress until they close
        await("identify is done", () -> node.connections().stream().allMatch(c -> c.openStreams() == 0));
        assertEquals(1, component.trim(), "the new water marks apply at the next trim");
        await("trimmed", () -> !connected(node).contains(boot.peerId()));
    }

    @Test
    void theRandomWalkReportsWhatTheDhtFinds() throws Exception {
        boot = Hosts.start();
        node = Hosts.start();
        component = new DiscoveryComponent(config(Map.of("random_walk_interval_s", 0L, "low_water", 0)), node, node.events());
        PeerRouting fixedRouting = new PeerRouting() { // stands in for the DHT bundle; this test is about the wiring
            @Override
            public CompletableFuture<Optional<PeerInfo>> findPeer(PeerId peer) {
                return CompletableFuture.completedFuture(Optional.empty());
            }

            @Override
            public CompletableFuture<List<PeerInfo>> closestPeers(byte[] key) {
                return CompletableFuture.completedFuture(List.of(new PeerInfo(boot.peerId(), boot.listenAddresses())));
            }
        };
        component.bindRouting(fixedRouting);
        RandomWalk walk = new RandomWalk(() -> fixedRouting, component::report, new java.util.Random(1));
        assertEquals(1, walk.walk().get().intValue());
        assertTrue(component.peers().stream().anyMatch(p -> p.peer().equals(boot.peerId()) && p.source() == DiscoverySource.DHT_WALK));
        assertEquals(boot.listenAddresses(), node.peerStore().addresses(boot.peerId()));
        component.unbindRouting(fixedRouting);
    }

    @Test
    void aBadBootstrapAddressIsNamed() {
        HivemeshException e = assertThrows(HivemeshException.class, () -> DiscoveryComponent.bootstrapList("/ip4/1.2.3.4/tcp/1, /nonsense"));
        assertTrue(e.getMessage().contains("'/nonsense'"), e.getMessage());
        assertEquals(1, DiscoveryComponent.bootstrapList(" /ip4/1.2.3.4/tcp/1 ,").size());
    }
}

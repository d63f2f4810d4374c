package io.hivemesh.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.discovery.DiscoveredPeer;
import io.hivemesh.api.discovery.DiscoverySource;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.transport.internal.TestIdentity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class DiscoveredPeersTest {
    private static final Instant T0 = Instant.parse("2026-12-02T00:00:00Z");

    private static List<PeerId> ids(int n) {
        List<PeerId> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(new TestIdentity().peerId());
        }
        return out;
    }

    @Test
    void keepsFirstSourceAndTimesAndBoundsAddresses() {
        DiscoveredPeers d = new DiscoveredPeers(4);
        PeerId p = ids(1).get(0);
        assertTrue(d.report(p, List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/1")), DiscoverySource.MDNS, T0, x -> false));
        List<Multiaddr> many = new ArrayList<>();
        for (int i = 2; i < 40; i++) {
            many.add(Multiaddr.parse("/ip4/10.0.0.1/tcp/" + i));
        }
        assertFalse(d.report(p, many, DiscoverySource.PEER_EXCHANGE, T0.plusSeconds(5), x -> false));
        DiscoveredPeer e = d.snapshot(x -> true).get(0);
        assertEquals(DiscoverySource.MDNS, e.source());
        assertEquals(T0, e.firstSeen());
        assertEquals(T0.plusSeconds(5), e.lastSeen());
        assertEquals(DiscoveredPeers.MAX_ADDRESSES, e.addresses().size());
        assertEquals(Multiaddr.parse("/ip4/10.0.0.1/tcp/39"), e.addresses().get(e.addresses().size() - 1), "the newest are kept");
        assertTrue(e.connected());
    }

    @Test
    void aConnectionEntryTakesTheSourceThatFoundThePeer() {
        DiscoveredPeers d = new DiscoveredPeers(4);
        PeerId p = ids(1).get(0);
        d.report(p, List.of(), DiscoverySource.CONNECTION, T0, x -> false);
        d.report(p, List.of(), DiscoverySource.BOOTSTRAP, T0.plusSeconds(1), x -> false);
        d.report(p, List.of(), DiscoverySource.MDNS, T0.plusSeconds(2), x -> false);
        DiscoveredPeer e = d.snapshot(x -> false).get(0);
        assertEquals(DiscoverySource.BOOTSTRAP, e.source());
        assertEquals(T0, e.firstSeen());
    }

    @Test
    void fullItForgetsTheStalestUnconnectedPeerAndNeverAConnectedOne() {
        DiscoveredPeers d = new DiscoveredPeers(3);
        List<PeerId> p = ids(5);
        for (int i = 0; i < 3; i++) {
            d.report(p.get(i), List.of(), DiscoverySource.DHT_WALK, T0.plusSeconds(i), x -> false);
        }
        Set<PeerId> connected = Set.of(p.get(0));
        assertTrue(d.report(p.get(3), List.of(), DiscoverySource.DHT_WALK, T0.plusSeconds(10), connected::contains));
        assertEquals(Set.of(p.get(0), p.get(2), p.get(3)), d.peers(), "p1 was the stalest unconnected");
        Set<PeerId> all = Set.of(p.get(0), p.get(2), p.get(3));
        assertFalse(d.report(p.get(4), List.of(), DiscoverySource.DHT_WALK, T0.plusSeconds(11), all::contains));
        assertEquals(3, d.size());
        assertEquals(List.of(p.get(3), p.get(2), p.get(0)), d.byRecency());
    }
}

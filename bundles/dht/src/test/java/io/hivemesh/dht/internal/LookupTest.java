package io.hivemesh.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.peer.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LookupTest {
    private static final long TIMEOUT = 1_000;

    /** A network of n peers, each with a real routing table filled from all others. */
    private static Map<PeerId, RoutingTable> network(List<PeerId> peers, int k) {
        Map<PeerId, RoutingTable> tables = new HashMap<>();
        for (PeerId p : peers) {
            RoutingTable t = new RoutingTable(p, k);
            for (PeerId q : peers) {
                t.offer(q, 0);
            }
            tables.put(p, t);
        }
        return tables;
    }

    /** Drives a lookup to completion; replies come back in the order sent; dead peers never answer. */
    private static Lookup run(Lookup l, Map<PeerId, RoutingTable> tables, Set<PeerId> dead, int k) {
        long now = 0;
        List<PeerId> pendingDead = new ArrayList<>();
        for (int round = 0; round < 10_000 && !l.done(); round++) {
            List<PeerId> ask = l.next(now);
            for (PeerId p : ask) {
                if (dead.contains(p)) {
                    pendingDead.add(p);
                } else {
                    l.onReply(p, tables.get(p).closest(l.target(), k));
                }
            }
            if (ask.isEmpty()) {
                now = l.nextDeadline();
            }
        }
        assertTrue(l.done(), "lookup finished within the round bound");
        return l;
    }

    @Test
    void findsTheExactKClosestInANetworkOf300() {
        List<PeerId> peers = TestPeers.peers(300, 17);
        Map<PeerId, RoutingTable> tables = network(peers, 20);
        PeerId origin = peers.get(0);
        KadId target = KadId.of("the key".getBytes());
        Lookup l = new Lookup(target, origin, tables.get(origin).closest(target, 20), 10, 20, TIMEOUT);
        run(l, tables, Set.of(), 20);
        List<PeerId> expected = new ArrayList<>(peers);
        expected.remove(origin);
        expected.sort(Comparator.comparing(KadId::of, target.byDistance()));
        assertEquals(expected.subList(0, 20), l.result());
        assertTrue(l.queried() < 300, "a lookup does not ask everyone: " + l.queried());
    }

    @Test
    void deadPeersTimeOutAndTheLookupStillFindsTheLiveClosest() {
        List<PeerId> peers = TestPeers.peers(200, 23);
        Map<PeerId, RoutingTable> tables = network(peers, 20);
        PeerId origin = peers.get(0);
        KadId target = KadId.of("another key".getBytes());
        List<PeerId> sorted = new ArrayList<>(peers);
        sorted.remove(origin);
        sorted.sort(Comparator.comparing(KadId::of, target.byDistance()));
        Set<PeerId> dead = new HashSet<>(sorted.subList(0, 5));
        Lookup l = new Lookup(target, origin, tables.get(origin).closest(target, 20), 10, 20, TIMEOUT);
        run(l, tables, dead, 20);
        List<PeerId> result = l.result();
        assertEquals(20, result.size());
        assertTrue(result.stream().noneMatch(dead::contains), "dead peers are not in the result");
        // every reply still names the 5 dead peers among its 20, so the 15 closest live peers are
        // certain to be found; the last places go to whichever live peers the replies named
        assertEquals(sorted.subList(5, 20), result.subList(0, 15));
    }

    @Test
    void neverMoreThanAlphaInFlightAndLateRepliesAreIgnored() {
        List<PeerId> peers = TestPeers.peers(50, 31);
        KadId target = KadId.of(new byte[] {1});
        Lookup l = new Lookup(target, peers.get(0), peers.subList(1, 50), 3, 20, TIMEOUT);
        List<PeerId> first = l.next(0);
        assertEquals(3, first.size());
        assertTrue(l.next(1).isEmpty(), "alpha requests already in flight");
        assertEquals(TIMEOUT, l.nextDeadline());
        List<PeerId> second = l.next(TIMEOUT);
        assertEquals(3, second.size(), "timed-out requests free their slots");
        assertTrue(new HashSet<>(second).stream().noneMatch(first::contains), "no peer is asked twice");
        l.onReply(first.get(0), peers);
        assertFalse(l.result().contains(first.get(0)), "a reply after the timeout does not count");
    }

    @Test
    void aPeerThatAnswersWithItselfForeverCannotStallTheLookup() {
        List<PeerId> peers = TestPeers.peers(3, 37);
        PeerId self = peers.get(0);
        PeerId liar = peers.get(1);
        PeerId honest = peers.get(2);
        Lookup l = new Lookup(KadId.of(new byte[] {2}), self, List.of(liar, honest), 10, 20, TIMEOUT);
        int rounds = 0;
        while (!l.done() && rounds++ < 100) {
            for (PeerId p : l.next(0)) {
                l.onReply(p, p.equals(liar) ? List.of(liar, liar, self) : List.of(self));
            }
        }
        assertTrue(l.done());
        assertTrue(rounds <= 2, "finished in " + rounds + " rounds");
        assertEquals(Set.of(liar, honest), new HashSet<>(l.result()));
        assertEquals(2, l.queried());
    }

    @Test
    void hopDepthGrowsAlongTheChainOfReferrals() {
        List<PeerId> peers = TestPeers.peers(4, 41);
        Lookup l = new Lookup(KadId.of(new byte[] {3}), peers.get(0), List.of(peers.get(1)), 10, 20, TIMEOUT);
        l.onReply(l.next(0).get(0), List.of(peers.get(2)));
        l.onReply(l.next(0).get(0), List.of(peers.get(3)));
        assertEquals(1, l.depth(peers.get(1)));
        assertEquals(2, l.depth(peers.get(2)));
        assertEquals(3, l.depth(peers.get(3)));
        assertEquals(0, l.depth(peers.get(0)));
    }

    @Test
    void emptyStartIsDoneAtOnce() {
        PeerId self = TestPeers.peers(1, 43).get(0);
        Lookup l = new Lookup(KadId.of(new byte[] {4}), self, List.of(), 10, 20, TIMEOUT);
        assertTrue(l.next(0).isEmpty());
        assertTrue(l.done());
        assertTrue(l.result().isEmpty());
    }
}

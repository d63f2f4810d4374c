package io.hivemesh.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.peer.PeerId;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import org.junit.jupiter.api.Test;

class RoutingTableTest {
    private final PeerId self = TestPeers.peers(1, 42).get(0);

    /** {@code n} distinct peers that all fall in bucket {@code index} of {@code self}. */
    private List<PeerId> peersInBucket(int index, int n) {
        RoutingTable probe = new RoutingTable(self, 1);
        Random r = new Random(index);
        List<PeerId> out = new ArrayList<>();
        while (out.size() < n) {
            PeerId p = TestPeers.peer(r);
            if (probe.bucketIndex(p) == index) {
                out.add(p);
            }
        }
        return out;
    }

    @Test
    void bucketIndexIsTheCommonPrefixLengthOfTheSha256Points() {
        RoutingTable t = new RoutingTable(self, 20);
        for (PeerId p : TestPeers.peers(200, 7)) {
            assertEquals(KadId.of(self).commonPrefixLength(KadId.of(p.toBytes())), t.bucketIndex(p));
        }
        assertEquals(RoutingTable.Outcome.SELF, t.offer(self, 0).outcome());
        assertEquals(0, t.size());
    }

    @Test
    void aFullBucketAsksToPingTheOldestAndKeepsItWhenItAnswers() {
        RoutingTable t = new RoutingTable(self, 20);
        List<PeerId> ps = peersInBucket(0, 22);
        for (int i = 0; i < 20; i++) {
            assertEquals(RoutingTable.Outcome.ADDED, t.offer(ps.get(i), i).outcome());
        }
        // seeing peer 0 again makes it the most recent; the oldest is now peer 1
        assertEquals(RoutingTable.Outcome.REFRESHED, t.offer(ps.get(0), 100).outcome());
        RoutingTable.Offer offer = t.offer(ps.get(20), 101);
        assertEquals(RoutingTable.Outcome.PING_OLDEST, offer.outcome());
        assertEquals(ps.get(1), offer.toPing());
        // a second newcomer while the ping is pending is dropped
        assertEquals(RoutingTable.Outcome.DROPPED, t.offer(ps.get(21), 102).outcome());
        assertEquals(Optional.empty(), t.pingResult(ps.get(1), true, 103));
        assertTrue(t.contains(ps.get(1)));
        assertFalse(t.contains(ps.get(20)));
        assertEquals(20, t.size());
        // peer 1 answered, so it is now the most recent: the next oldest is peer 2
        assertEquals(ps.get(2), t.offer(ps.get(20), 104).toPing());
    }

    @Test
    void anUnresponsiveOldestIsEvictedForTheNewcomer() {
        RoutingTable t = new RoutingTable(self, 3);
        List<PeerId> ps = peersInBucket(1, 4);
        for (int i = 0; i < 3; i++) {
            t.offer(ps.get(i), i);
        }
        RoutingTable.Offer offer = t.offer(ps.get(3), 10);
        assertEquals(ps.get(0), offer.toPing());
        assertEquals(Optional.of(ps.get(3)), t.pingResult(ps.get(0), false, 11));
        assertFalse(t.contains(ps.get(0)));
        assertTrue(t.contains(ps.get(3)));
        assertEquals(3, t.size());
        assertNull(t.offer(ps.get(3), 12).toPing());
    }

    @Test
    void closestIsExactlyTheKNearestByXorDistance() {
        RoutingTable t = new RoutingTable(self, 20);
        List<PeerId> ps = TestPeers.peers(500, 3);
        List<PeerId> stored = new ArrayList<>();
        for (PeerId p : ps) {
            if (t.offer(p, 0).outcome() == RoutingTable.Outcome.ADDED) {
                stored.add(p);
            }
        }
        assertEquals(stored.size(), t.size());
        KadId target = KadId.of("some key".getBytes());
        stored.sort(Comparator.comparing(KadId::of, target.byDistance()));
        assertEquals(stored.subList(0, 20), t.closest(target, 20));
        assertEquals(stored, t.closest(target, 10_000));
    }

    @Test
    void removeAndBucketsView() {
        RoutingTable t = new RoutingTable(self, 20);
        List<PeerId> ps = TestPeers.peers(30, 9);
        ps.forEach(p -> t.offer(p, 5));
        int before = t.size();
        assertTrue(t.remove(ps.get(0)));
        assertFalse(t.remove(ps.get(0)));
        assertEquals(before - 1, t.size());
        Map<Integer, List<RoutingTable.Entry>> view = t.buckets();
        assertEquals(before - 1, view.values().stream().mapToInt(List::size).sum());
        view.forEach((i, entries) -> entries.forEach(e -> assertEquals(i, t.bucketIndex(e.peer()))));
    }

    @Test
    void refreshKeysLandInTheAskedBucketAndRefreshedBucketsAreSkipped() {
        RoutingTable t = new RoutingTable(self, 20);
        TestPeers.peers(100, 11).forEach(p -> t.offer(p, 0));
        Random r = new Random(5);
        for (int i = 0; i <= RoutingTable.MAX_REFRESH_CPL; i++) {
            byte[] key = t.randomKeyInBucket(i, r);
            assertEquals(i, KadId.of(self).commonPrefixLength(KadId.of(key)));
        }
        assertThrows(IllegalArgumentException.class, () -> t.randomKeyInBucket(16, r));
        long hour = 3_600_000_000_000L;
        List<Integer> due = t.bucketsToRefresh(hour, hour);
        assertFalse(due.isEmpty());
        assertEquals(0, due.get(0));
        t.lookedUp(KadId.of(t.randomKeyInBucket(0, r)), hour);
        assertFalse(t.bucketsToRefresh(hour + 1, hour).contains(0));
        assertTrue(t.bucketsToRefresh(2 * hour, hour).contains(0));
    }
}

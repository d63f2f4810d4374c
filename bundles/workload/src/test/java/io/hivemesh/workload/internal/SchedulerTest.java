package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.crypto.internal.Standalone;
import io.hivemesh.protocol.MachineMessage.Bid;
import io.hivemesh.protocol.MachineMessage.Tender;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SchedulerTest {
    private static final PeerId OWNER = Standalone.identity().peerId();
    private static final PeerId A = Standalone.identity().peerId();
    private static final PeerId B = Standalone.identity().peerId();
    private static final PeerId C = Standalone.identity().peerId();

    private static Tender tender(List<Integer> replicas, List<PeerId> excluded) {
        return new Tender("t1", "task", 3, OWNER, replicas, 200, 64L << 20, excluded, 0);
    }

    private static Bid bid(PeerId p, double score, long cpu) {
        return new Bid("t1", "task", 3, p, cpu, 1L << 30, 0, score);
    }

    @Test
    void scoreFavoursRoomAndSpreadAndRefusesWhatDoesNotFit() {
        Capacity total = new Capacity(1000, 1L << 30);
        double empty = Scheduler.score(total, total, 0, 200, 64L << 20);
        double busy = Scheduler.score(total, new Capacity(400, 256L << 20), 3, 200, 64L << 20);
        assertTrue(empty > busy, empty + " vs " + busy);
        assertTrue(empty <= 100 && busy >= 0);
        assertEquals(-1, Scheduler.score(total, new Capacity(100, 1L << 30), 0, 200, 64L << 20));
        assertEquals(-1, Scheduler.score(total, new Capacity(1000, 1L << 20), 0, 200, 64L << 20));
    }

    @Test
    void rankKeepsOnlyFittingBidsForThisTenderOnePerBidderBestFirst() {
        Tender t = tender(List.of(0, 1), List.of(C));
        List<Bid> bids = List.of(bid(A, 50, 500), bid(A, 70, 500), bid(B, 60, 500),
                bid(C, 99, 500), // excluded
                bid(B, 90, 100), // claims less CPU than the request
                new Bid("other", "task", 3, B, 500, 1L << 30, 0, 95), // another tender
                bid(A, Double.NaN, 500), bid(B, 1000, 500)); // nonsense scores
        List<Bid> ranked = Scheduler.rank(t, bids);
        assertEquals(List.of(A, B), ranked.stream().map(Bid::bidder).toList());
        assertEquals(70, ranked.get(0).score());
        Map<Integer, PeerId> winners = Scheduler.award(t, bids);
        assertEquals(Map.of(0, A, 1, B), winners);
        assertEquals(1, Scheduler.award(tender(List.of(0, 1, 2), List.of()), List.of(bid(A, 5, 500))).size(),
                "fewer fitting bids than replicas: the rest stay unplaced");
    }

    @Test
    void thresholdIsAMajorityOfAtLeastTwo() {
        assertEquals(1, Scheduler.threshold(1));
        assertEquals(2, Scheduler.threshold(2));
        assertEquals(2, Scheduler.threshold(3));
        assertEquals(3, Scheduler.threshold(4));
        assertEquals(3, Scheduler.threshold(5));
        assertEquals(6, Scheduler.threshold(10));
    }

    @Test
    void holdersAreTheOwnerThenBiddersThenOthersDistinctAndBounded() {
        List<PeerId> h = Scheduler.holders(OWNER, List.of(bid(A, 9, 500), bid(B, 8, 500)), List.of(B, C, OWNER), 3);
        assertEquals(List.of(OWNER, A, B), h);
        assertFalse(Scheduler.holders(OWNER, List.of(), List.of(), 5).isEmpty());
    }

    @Test
    void hostPortsAreGivenOnlyToUnpublishedContainerPorts() {
        String yaml = """
                apiVersion: v1
                kind: Pod
                metadata: {name: p}
                spec:
                  containers:
                  - name: a
                    image: x
                    ports: [{containerPort: 80}, {containerPort: 81, hostPort: 9081}]
                """;
        String out = HostPorts.assign(yaml, () -> 40001);
        assertTrue(out.contains("hostPort: 40001"), out);
        assertTrue(out.contains("hostPort: 9081"), out);
        var doc = io.hivemesh.runtime.manifest.Manifests.parse(out).get(0);
        assertEquals(40001, doc.containers().get(0).ports().get(0).hostPort());
    }
}

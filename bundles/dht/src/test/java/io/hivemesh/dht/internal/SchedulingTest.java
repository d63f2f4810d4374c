package io.hivemesh.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.peer.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** The small schedulers of the node: the republish {@link Throttle} and the admission {@link RefusedPeers}. */
class SchedulingTest {
    @Test
    void throttleRunsAtMostTwoAtATimeInOrderAndDeduplicatesByName() {
        Throttle t = new Throttle(2);
        List<CompletableFuture<Integer>> started = new ArrayList<>();
        List<CompletableFuture<Integer>> results = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            results.add(t.submit("task " + i, () -> {
                CompletableFuture<Integer> f = new CompletableFuture<>();
                started.add(f);
                return f;
            }));
        }
        assertEquals(2, started.size(), "only two start at once");
        assertEquals(3, t.queued());
        assertSame(results.get(3), t.submit("task 3", () -> {
            throw new AssertionError("a pending name is not queued twice");
        }));
        started.get(1).complete(7);
        assertEquals(7, results.get(1).join());
        assertEquals(3, started.size(), "a completion starts the next one");
        started.get(0).completeExceptionally(new IllegalStateException("boom"));
        assertTrue(results.get(0).isCompletedExceptionally());
        assertEquals(4, started.size(), "a failure starts the next one too");
        assertEquals(2, t.running());
        started.get(2).complete(1);
        started.get(3).complete(1);
        started.get(4).complete(1);
        assertEquals(0, t.running() + t.queued());
        assertFalse(t.pending("task 4"));
        CompletableFuture<Integer> thrown = t.submit("throws", () -> {
            throw new IllegalStateException("cannot start");
        });
        assertTrue(thrown.isCompletedExceptionally(), "a task that throws fails its result and frees its slot");
        assertEquals(0, t.running());
    }

    @Test
    void refusedPeersAreHeldForTheirTimeAndTheOldestIsForgottenFirst() {
        List<PeerId> peers = TestPeers.peers(4, 3);
        RefusedPeers r = new RefusedPeers(1_000, 3);
        r.refuse(peers.get(0), 0);
        assertTrue(r.isRefused(peers.get(0), 999));
        assertFalse(r.isRefused(peers.get(0), 1_000), "the hold ends");
        assertEquals(0, r.size(), "an ended hold is forgotten");
        for (int i = 0; i < 4; i++) {
            r.refuse(peers.get(i), 10 + i);
        }
        assertEquals(3, r.size());
        assertFalse(r.isRefused(peers.get(0), 20), "the oldest refusal made room");
        assertTrue(r.isRefused(peers.get(1), 20));
        assertTrue(r.isRefused(peers.get(3), 20));
    }
}

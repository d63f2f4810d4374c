package io.hivemesh.rest.internal.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemesh.rest.internal.http.Json;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** The hub with time as input and clients that record what they were sent. */
class DashboardHubTest {
    private static final long MS = 1_000_000L;

    /** A client that records frames; it refuses them once {@code gone}. */
    static final class Recorder implements SseClient {
        final List<String> frames = new ArrayList<>();
        boolean gone;
        boolean closed;

        @Override
        public boolean offer(Frame frame, long nowNanos) {
            if (gone) {
                return false;
            }
            frames.add(frame.text());
            return true;
        }

        @Override
        public void close() {
            closed = true;
        }

        long snapshots() {
            return frames.stream().filter(f -> f.contains("event: snapshot")).count();
        }

        long heartbeats() {
            return frames.stream().filter(f -> f.startsWith(": heartbeat")).count();
        }
    }

    private final AtomicInteger value = new AtomicInteger();
    private final AtomicInteger polls = new AtomicInteger();
    private final DashboardHub hub = new DashboardHub(() -> {
        polls.incrementAndGet();
        return Json.object().put("v", value.get());
    }, 2, Duration.ofMillis(500), Duration.ofSeconds(15));

    private Recorder join() {
        assertTrue(hub.reserve());
        Recorder r = new Recorder();
        hub.join(r);
        return r;
    }

    @Test
    void aClientGetsTheSnapshotAtOnceThenOnlyChanges() {
        Recorder a = join();
        hub.tick(0);
        assertEquals(1, a.snapshots());
        assertTrue(a.frames.get(0).contains("data: {\"v\":0}"), a.frames.toString());
        hub.tick(500 * MS);
        hub.tick(1000 * MS);
        assertEquals(1, a.snapshots(), "no change, nothing sent");
        value.set(1);
        hub.tick(1500 * MS);
        assertEquals(2, a.snapshots());
        assertTrue(a.frames.get(1).contains("data: {\"v\":1}"), a.frames.toString());
    }

    @Test
    void theServicesArePolledAtMostOncePerIntervalEvenWhenClientsJoinInBetween() {
        Recorder a = join();
        hub.tick(0);
        assertEquals(1, polls.get());
        value.set(7);
        Recorder b = join();
        hub.tick(100 * MS);
        assertEquals(1, polls.get(), "a join within the interval reuses the last snapshot");
        assertEquals(1, b.snapshots(), "the new client is welcomed at once");
        assertTrue(b.frames.get(0).contains("{\"v\":0}"));
        assertEquals(1, a.snapshots(), "the others are not sent the same snapshot again");
        hub.tick(499 * MS);
        assertEquals(1, polls.get());
        hub.tick(500 * MS);
        assertEquals(2, polls.get());
        assertEquals(2, a.snapshots());
        assertEquals(2, b.snapshots());
    }

    @Test
    void noClientNoPoll() {
        hub.tick(0);
        hub.tick(10_000 * MS);
        assertEquals(0, polls.get());
    }

    @Test
    void aQuietClientGetsAHeartbeatEveryInterval() {
        Recorder a = join();
        hub.tick(0);
        hub.tick(14_999 * MS);
        assertEquals(0, a.heartbeats());
        hub.tick(15_000 * MS);
        assertEquals(1, a.heartbeats());
        hub.tick(20_000 * MS);
        assertEquals(1, a.heartbeats());
        value.set(3);
        hub.tick(25_000 * MS);
        hub.tick(39_999 * MS);
        assertEquals(1, a.heartbeats(), "a snapshot resets the heartbeat clock");
        hub.tick(40_000 * MS);
        assertEquals(2, a.heartbeats());
    }

    @Test
    void clientsBeyondTheBoundAreRefusedAndASeatFreesWhenOneLeaves() {
        Recorder a = join();
        join();
        assertFalse(hub.reserve(), "a third client is refused (503)");
        hub.leave(a);
        hub.leave(a);
        assertTrue(hub.reserve(), "leaving twice frees one seat, not two");
        assertFalse(hub.reserve());
        hub.release();
        assertTrue(hub.reserve());
    }

    @Test
    void aClientThatWentAwayIsDroppedAndClosedAndItsSeatFreed() {
        Recorder a = join();
        Recorder b = join();
        hub.tick(0);
        a.gone = true;
        value.set(1);
        hub.tick(500 * MS);
        assertTrue(a.closed);
        assertEquals(1, hub.clients());
        assertEquals(2, b.snapshots());
        assertTrue(hub.reserve(), "the dropped client's seat is free");
    }

    @Test
    void aFailingReadKeepsTheLastSnapshotAndTheSchedule() {
        AtomicInteger calls = new AtomicInteger();
        DashboardHub h = new DashboardHub(() -> {
            if (calls.incrementAndGet() == 2) {
                throw new IllegalStateException("machine plane stopping");
            }
            JsonNode n = Json.object().put("call", calls.get());
            return n;
        }, 4, Duration.ofMillis(500), Duration.ofSeconds(15));
        assertTrue(h.reserve());
        Recorder a = new Recorder();
        h.join(a);
        h.tick(0);
        h.tick(500 * MS);
        assertEquals(1, a.snapshots());
        h.tick(1000 * MS);
        assertEquals(2, a.snapshots());
        assertTrue(a.frames.get(1).contains("{\"call\":3}"), a.frames.toString());
    }

    @Test
    void closeAllClosesEveryClient() {
        Recorder a = join();
        Recorder b = join();
        hub.closeAll();
        assertTrue(a.closed && b.closed);
        assertEquals(0, hub.clients());
        assertTrue(hub.reserve() && hub.reserve());
    }
}

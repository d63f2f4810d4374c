package io.hivemesh.rest.internal.ui;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemesh.rest.internal.http.Json;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

/**
 * The dashboard's live feed: a bounded set of SSE clients, each sent the current snapshot when it
 * joins and then every changed snapshot, with a heartbeat comment when it has been sent nothing for
 * the heartbeat interval. The services are polled at most once per poll interval and only while a
 * client is connected. Time is an input ({@link #tick(long)}), so the class runs without threads;
 * {@link DashboardEventsServlet} calls {@code tick} from a scheduler thread of its own. Thread-safe:
 * seats and membership are concurrent, {@code tick} is serialized.
 */
final class DashboardHub {
    private static final Logger LOG = LoggerFactory.getLogger(DashboardHub.class);

    private static final class Member {
        boolean welcomed;
        long lastSentNanos;
    }

    private final Supplier<? extends JsonNode> snapshots;
    private final int maxClients;
    private final long pollNanos;
    private final long heartbeatNanos;
    private final AtomicInteger seats = new AtomicInteger();
    private final Map<SseClient, Member> members = new ConcurrentHashMap<>();
    private final ChangeDetector detector = new ChangeDetector();
    private Frame latest;
    private long lastPollNanos;
    private String lastFailure;

    DashboardHub(Supplier<? extends JsonNode> snapshots, int maxClients, Duration poll, Duration heartbeat) {
        if (maxClients < 1) {
            throw new IllegalArgumentException("maxClients must be at least 1, not " + maxClients);
        }
        this.snapshots = snapshots;
        this.maxClients = maxClients;
        this.pollNanos = poll.toNanos();
        this.heartbeatNanos = heartbeat.toNanos();
    }

    /** Takes a seat for a client about to join; false when {@code maxClients} are connected (answer 503). */
    boolean reserve() {
        while (true) {
            int n = seats.get();
            if (n >= maxClients) {
                return false;
            }
            if (seats.compareAndSet(n, n + 1)) {
                return true;
            }
        }
    }

    /** Gives back a seat {@link #reserve() reserved} for a client that never joined. */
    void release() {
        seats.decrementAndGet();
    }

    /** Adds a client on a reserved seat; it gets the current snapshot on the next {@link #tick}. */
    void join(SseClient client) {
        members.put(client, new Member());
    }

    /** Removes a client (gone or dropped) and frees its seat; idempotent. */
    void leave(SseClient client) {
        if (members.remove(client) != null) {
            seats.decrementAndGet();
        }
    }

    int clients() {
        return members.size();
    }

    /**
     * One round: polls the snapshot if the poll interval has passed (or none was taken yet), sends
     * it to every client if it changed and to clients that just joined, sends heartbeats that are
     * due, and drops clients that are gone or stalled. Does nothing while no client is connected.
     */
    synchronized void tick(long nowNanos) {
        if (members.isEmpty()) {
            return;
        }
        boolean changed = false;
        if (latest == null || nowNanos - lastPollNanos >= pollNanos) {
            lastPollNanos = nowNanos;
            try {
                byte[] json = Json.bytes(snapshots.get());
                if (detector.changed(json)) {
                    latest = Frame.snapshot(json);
                    changed = true;
                }
                lastFailure = null;
            } catch (RuntimeException e) {
                String m = String.valueOf(e);
                if (!m.equals(lastFailure)) {
                    LOG.warn("dashboard: reading the node's state failed (clients keep the last snapshot)", e);
                }
                lastFailure = m;
            }
        }
        for (Map.Entry<SseClient, Member> e : members.entrySet()) {
            Member m = e.getValue();
            Frame f = null;
            if (latest != null && (!m.welcomed || changed)) {
                f = latest;
                m.welcomed = true;
            } else if (nowNanos - m.lastSentNanos >= heartbeatNanos) {
                f = Frame.HEARTBEAT;
            }
            if (f != null) {
                m.lastSentNanos = nowNanos;
                if (!e.getKey().offer(f, nowNanos)) {
                    drop(e.getKey());
                }
            }
        }
    }

    /** Closes every client (deactivation). */
    void closeAll() {
        for (SseClient c : members.keySet()) {
            drop(c);
        }
    }

    private void drop(SseClient c) {
        leave(c);
        try {
            c.close();
        } catch (RuntimeException e) {
            LOG.debug("dashboard: closing an SSE client failed", e);
        }
    }
}

package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.PeerId;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;

/**
 * Counts machine-plane messages from each peer that did not verify; a peer with more than
 * {@code limit} of them within {@code windowMillis} is handed to {@code punish} (the component
 * disconnects it) and its count starts over. Bounded in the peers it remembers. Thread-safe.
 */
public final class Misbehaviour implements Consumer<PeerId> {
    private static final Logger LOG = LoggerFactory.getLogger(Misbehaviour.class);
    private static final int MAX_PEERS = 4096;

    private final Clock clock;
    private final int limit;
    private final long windowMillis;
    private final Consumer<PeerId> punish;
    private final Map<PeerId, Deque<Long>> strikes = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<PeerId, Deque<Long>> e) {
            return size() > MAX_PEERS;
        }
    };

    public Misbehaviour(Clock clock, int limit, long windowMillis, Consumer<PeerId> punish) {
        this.clock = clock;
        this.limit = limit;
        this.windowMillis = windowMillis;
        this.punish = punish;
    }

    @Override
    public void accept(PeerId peer) {
        boolean over;
        synchronized (this) {
            long now = clock.millis();
            Deque<Long> q = strikes.computeIfAbsent(peer, p -> new ArrayDeque<>());
            q.addLast(now);
            while (!q.isEmpty() && q.peekFirst() < now - windowMillis) {
                q.pollFirst();
            }
            over = q.size() > limit;
            if (over) {
                strikes.remove(peer);
            }
        }
        if (over) {
            LOG.warn("peer {} sent more than {} machine-plane messages that do not verify within {} ms: disconnecting",
                    peer, limit, windowMillis);
            punish.accept(peer);
        }
    }

    /** Strikes currently counted against {@code peer}. */
    public synchronized int strikes(PeerId peer) {
        Deque<Long> q = strikes.get(peer);
        return q == null ? 0 : q.size();
    }
}

package io.hivemesh.dht.internal;

import io.hivemesh.api.peer.PeerId;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Peers recently refused admission to the routing table, each for {@code holdNanos} from its
 * refusal. Bounded: at most {@code maxPeers} are remembered, the oldest refusal forgotten first.
 * Time is an input. Thread-safe (synchronised, O(1) per call).
 */
final class RefusedPeers {
    private final long holdNanos;
    private final int maxPeers;
    /** Peer to refusal time, oldest refusal first. */
    private final LinkedHashMap<PeerId, Long> refused = new LinkedHashMap<>();

    RefusedPeers(long holdNanos, int maxPeers) {
        if (holdNanos <= 0 || maxPeers < 1) {
            throw new IllegalArgumentException("refusals need a positive hold time and capacity");
        }
        this.holdNanos = holdNanos;
        this.maxPeers = maxPeers;
    }

    /** Remembers that {@code peer} was refused at {@code nowNanos} (a repeat refusal restarts its hold). */
    synchronized void refuse(PeerId peer, long nowNanos) {
        refused.remove(peer);
        if (refused.size() >= maxPeers) {
            Iterator<Map.Entry<PeerId, Long>> it = refused.entrySet().iterator();
            it.next();
            it.remove();
        }
        refused.put(peer, nowNanos);
    }

    /** Whether {@code peer} was refused less than the hold time before {@code nowNanos}. */
    synchronized boolean isRefused(PeerId peer, long nowNanos) {
        Long at = refused.get(peer);
        if (at == null) {
            return false;
        }
        if (nowNanos - at >= holdNanos) {
            refused.remove(peer);
            return false;
        }
        return true;
    }

    synchronized int size() {
        return refused.size();
    }
}

package io.hivemesh.dht.internal;

import io.hivemesh.api.peer.PeerId;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Per-peer token buckets for inbound requests: {@code rate} tokens per second, burst {@code 2 * rate}.
 * Tracks at most {@code maxPeers} peers (the least recently seen is forgotten). Time is an input.
 */
final class RateLimiter {
    private static final class Bucket {
        double tokens;
        long last;
    }

    private final double rate;
    private final double burst;
    private final int maxPeers;
    private final LinkedHashMap<PeerId, Bucket> buckets = new LinkedHashMap<>(16, 0.75f, true);

    RateLimiter(int perSecond, int maxPeers) {
        this.rate = perSecond;
        this.burst = 2.0 * perSecond;
        this.maxPeers = maxPeers;
    }

    /** Takes one token for {@code peer}; false if its bucket is empty. */
    synchronized boolean allow(PeerId peer, long nowNanos) {
        Bucket b = buckets.get(peer);
        if (b == null) {
            if (buckets.size() >= maxPeers) {
                Iterator<Map.Entry<PeerId, Bucket>> it = buckets.entrySet().iterator();
                it.next();
                it.remove();
            }
            b = new Bucket();
            b.tokens = burst;
            b.last = nowNanos;
            buckets.put(peer, b);
        }
        b.tokens = Math.min(burst, b.tokens + (nowNanos - b.last) * rate / 1e9);
        b.last = nowNanos;
        if (b.tokens < 1) {
            return false;
        }
        b.tokens -= 1;
        return true;
    }
}

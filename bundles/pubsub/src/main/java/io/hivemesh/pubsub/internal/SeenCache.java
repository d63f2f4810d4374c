package io.hivemesh.pubsub.internal;

import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The ids of messages seen recently (gossipsub's seen cache): an id stays for the TTL after it was
 * first added, and at most {@code capacity} ids are kept (the oldest are evicted first). Time is
 * passed in. Not thread-safe (router thread).
 */
final class SeenCache {
    private final long ttlMillis;
    private final int capacity;
    private final LinkedHashMap<MessageId, Long> expiries = new LinkedHashMap<>();

    SeenCache(long ttlMillis, int capacity) {
        this.ttlMillis = ttlMillis;
        this.capacity = capacity;
    }

    /** Adds {@code id} unless present; returns whether it was new. */
    boolean add(MessageId id, long now) {
        expire(now);
        if (expiries.containsKey(id)) {
            return false;
        }
        while (expiries.size() >= capacity) {
            Iterator<MessageId> it = expiries.keySet().iterator();
            it.next();
            it.remove();
        }
        expiries.put(id, now + ttlMillis);
        return true;
    }

    boolean contains(MessageId id, long now) {
        expire(now);
        return expiries.containsKey(id);
    }

    /** Drops the ids whose TTL passed (they are in insertion order, so expiries are ascending). */
    void expire(long now) {
        Iterator<Map.Entry<MessageId, Long>> it = expiries.entrySet().iterator();
        while (it.hasNext()) {
            if (it.next().getValue() > now) {
                return;
            }
            it.remove();
        }
    }

    int size() {
        return expiries.size();
    }
}

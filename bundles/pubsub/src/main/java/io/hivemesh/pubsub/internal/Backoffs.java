package io.hivemesh.pubsub.internal;

import io.hivemesh.api.peer.PeerId;
import java.util.HashMap;
import java.util.Map;

/** Per topic and peer, the time until which the peer must not be (re)grafted (PRUNE backoff). */
final class Backoffs {
    private final Map<String, Map<PeerId, Long>> until = new HashMap<>();

    /** Extends the backoff of {@code peer} in {@code topic} to {@code untilMillis} (never shortens it). */
    void set(String topic, PeerId peer, long untilMillis) {
        until.computeIfAbsent(topic, t -> new HashMap<>()).merge(peer, untilMillis, Math::max);
    }

    boolean active(String topic, PeerId peer, long now) {
        Long t = expiry(topic, peer);
        return t != null && t > now;
    }

    /** The backoff's end, or null. */
    Long expiry(String topic, PeerId peer) {
        Map<PeerId, Long> m = until.get(topic);
        return m == null ? null : m.get(peer);
    }

    void expire(long now) {
        until.values().forEach(m -> m.values().removeIf(t -> t <= now));
        until.values().removeIf(Map::isEmpty);
    }

    int size() {
        return until.values().stream().mapToInt(Map::size).sum();
    }
}

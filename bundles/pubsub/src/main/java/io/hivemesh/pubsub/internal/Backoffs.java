package io.hivemesh.pubsub.internal;

import io.hivemesh.api.peer.PeerId;
import java.util.HashMap;
import java.util.Map;

/**
 * Per topic and peer, the end of a PRUNE backoff. A GRAFT received before the end is a violation; this
 * node itself waits {@code slackMillis} (one heartbeat) longer before it grafts the peer again, so that
 * clocks and heartbeat phases never make it graft early (gossipsub-v1.1 "PRUNE backoff").
 */
final class Backoffs {
    private final Map<String, Map<PeerId, Long>> until = new HashMap<>();
    private final long slackMillis;

    Backoffs(long slackMillis) {
        this.slackMillis = slackMillis;
    }

    /** Extends the backoff of {@code peer} in {@code topic} to {@code untilMillis} (never shortens it). */
    void set(String topic, PeerId peer, long untilMillis) {
        until.computeIfAbsent(topic, t -> new HashMap<>()).merge(peer, untilMillis, Math::max);
    }

    /** Whether this node must not graft {@code peer} yet (the backoff plus the slack). */
    boolean active(String topic, PeerId peer, long now) {
        Long t = expiry(topic, peer);
        return t != null && t + slackMillis > now;
    }

    /** The backoff's end, or null. */
    Long expiry(String topic, PeerId peer) {
        Map<PeerId, Long> m = until.get(topic);
        return m == null ? null : m.get(peer);
    }

    void expire(long now) {
        until.values().forEach(m -> m.values().removeIf(t -> t + slackMillis <= now));
        until.values().removeIf(Map::isEmpty);
    }

    int size() {
        return until.values().stream().mapToInt(Map::size).sum();
    }
}

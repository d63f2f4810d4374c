package io.hivemesh.pubsub.internal;

import io.hivemesh.api.peer.PeerId;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

/**
 * IWANT follow-up (gossipsub v1.1 "promises"): for each IWANT this node sends, one of the ids asked,
 * with a deadline. A message with that id arriving (from anyone) keeps the promise; at each heartbeat
 * the peers with expired promises are counted for a behaviour penalty.
 */
final class Promises {
    private final Map<MessageId, Map<PeerId, Long>> byId = new HashMap<>();

    void add(PeerId peer, MessageId id, long deadline) {
        byId.computeIfAbsent(id, i -> new HashMap<>()).putIfAbsent(peer, deadline);
    }

    /** The message arrived: every promise for it is kept. */
    void fulfilled(MessageId id) {
        byId.remove(id);
    }

    void forget(PeerId peer) {
        byId.values().forEach(m -> m.remove(peer));
        byId.values().removeIf(Map::isEmpty);
    }

    /** Removes expired promises and returns the number broken per peer. */
    Map<PeerId, Integer> broken(long now) {
        Map<PeerId, Integer> out = new HashMap<>();
        for (Iterator<Map<PeerId, Long>> it = byId.values().iterator(); it.hasNext(); ) {
            Map<PeerId, Long> m = it.next();
            m.entrySet().removeIf(e -> {
                if (e.getValue() <= now) {
                    out.merge(e.getKey(), 1, Integer::sum);
                    return true;
                }
                return false;
            });
            if (m.isEmpty()) {
                it.remove();
            }
        }
        return out;
    }

    int size() {
        return byId.values().stream().mapToInt(Map::size).sum();
    }
}

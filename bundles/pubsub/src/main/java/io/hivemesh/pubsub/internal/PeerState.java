package io.hivemesh.pubsub.internal;

import io.hivemesh.api.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/** What the router knows about one pubsub peer: its protocol, topics and per-heartbeat counters. */
final class PeerState {
    static final String MESHSUB_12 = "/meshsub/1.2.0";
    static final String MESHSUB_11 = "/meshsub/1.1.0";
    static final String MESHSUB_10 = "/meshsub/1.0.0";
    static final String FLOODSUB = "/floodsub/1.0.0";

    final PeerId id;
    final String protocol;
    final String ip;
    final boolean outbound;
    final Set<String> topics = new LinkedHashSet<>();
    /** Received IDONTWANT ids with the heartbeat at which they expire. */
    final Map<MessageId, Long> dontWant = new HashMap<>();
    int ihaves;
    int asked;
    int iwantsAnswered;
    int dontWantsThisHeartbeat;

    PeerState(PeerId id, String protocol, String ip, boolean outbound) {
        if (!protocol.equals(MESHSUB_12) && !protocol.equals(MESHSUB_11) && !protocol.equals(MESHSUB_10)
                && !protocol.equals(FLOODSUB)) {
            throw new IllegalArgumentException("pubsub peer " + id + ": unknown protocol " + protocol);
        }
        this.id = id;
        this.protocol = protocol;
        this.ip = ip;
        this.outbound = outbound;
    }

    boolean floodsub() {
        return protocol.equals(FLOODSUB);
    }

    /** v1.1+: PRUNE carries backoff and PX. */
    boolean backoffAware() {
        return protocol.equals(MESHSUB_11) || protocol.equals(MESHSUB_12);
    }

    /** v1.2: IDONTWANT. */
    boolean idontwant() {
        return protocol.equals(MESHSUB_12);
    }

    static int utf8Length(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    void resetHeartbeatCounters(long tick) {
        ihaves = 0;
        asked = 0;
        iwantsAnswered = 0;
        dontWantsThisHeartbeat = 0;
        dontWant.values().removeIf(expiry -> expiry <= tick);
    }
}

package io.hivemesh.pubsub.internal;

import java.util.HashMap;
import java.util.Map;

/**
 * The counters {@link PeerScore} keeps for one peer (connected, or disconnected and retained): its
 * IP, its behaviour penalty (P₇) and its per-topic counters. Mutable, not thread-safe.
 */
final class PeerStats {
    boolean connected = true;
    /** When a retained (disconnected) peer's stats are dropped. */
    long expireAt;
    /** The peer's IP address literal, or null. */
    String ip;
    /** Whether {@link #ip} is on the colocation whitelist. */
    boolean ipWhitelisted;
    /** The P₇ counter. */
    double behaviourPenalty;
    final Map<String, TopicStats> topics = new HashMap<>();

    /** Per-topic counters (P₁–P₄). */
    static final class TopicStats {
        boolean inMesh;
        long graftTime;
        /** Time in the mesh as of the last refresh (P₁, P₃ activation). */
        long meshTime;
        /** P₂ counter. */
        double firstMessageDeliveries;
        /** P₃ counter. */
        double meshMessageDeliveries;
        /** Whether P₃ applies: the peer has been in the mesh longer than the activation time. */
        boolean meshMessageDeliveriesActive;
        /** P₃b counter. */
        double meshFailurePenalty;
        /** P₄ counter. */
        double invalidMessageDeliveries;

        /** The P₃ deficit squared when P₃ is active and below its threshold, else 0. */
        double meshDeliveryDeficitSquared(TopicScoreParams p) {
            if (!meshMessageDeliveriesActive || meshMessageDeliveries >= p.meshMessageDeliveriesThreshold()) {
                return 0;
            }
            double deficit = p.meshMessageDeliveriesThreshold() - meshMessageDeliveries;
            return deficit * deficit;
        }
    }
}

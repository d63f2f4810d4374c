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

        /** This topic's term Σ wᵢPᵢ (P₁, P₂, P₃, P₃b, P₄), before the topic weight. */
        double score(TopicScoreParams tp) {
            double t = 0;
            if (inMesh && tp.timeInMeshWeight() != 0) {
                double p1 = Math.min((double) (meshTime / tp.timeInMeshQuantum().toMillis()), tp.timeInMeshCap());
                t += tp.timeInMeshWeight() * p1;
            }
            if (tp.firstMessageDeliveriesWeight() != 0) {
                t += tp.firstMessageDeliveriesWeight() * firstMessageDeliveries;
            }
            if (tp.meshMessageDeliveriesWeight() != 0) {
                t += tp.meshMessageDeliveriesWeight() * meshDeliveryDeficitSquared(tp);
            }
            if (tp.meshFailurePenaltyWeight() != 0) {
                t += tp.meshFailurePenaltyWeight() * meshFailurePenalty;
            }
            if (tp.invalidMessageDeliveriesWeight() != 0) {
                t += tp.invalidMessageDeliveriesWeight() * invalidMessageDeliveries * invalidMessageDeliveries;
            }
            return t;
        }
    }
}

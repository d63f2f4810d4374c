package io.hivemesh.pubsub.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * The per-topic parameters of the gossipsub v1.1 score function (gossipsub-v1.1.md, "The Score
 * Function" and "Topic Parameter Calculation and Decay"): the topic's weight and the weights, decays
 * and caps of P₁ (time in mesh), P₂ (first message deliveries), P₃ (mesh message delivery rate), P₃b
 * (mesh delivery failures) and P₄ (invalid messages). A term whose weight is 0 is off, and then its
 * other parameters are not checked. Decay factors multiply the counters once per
 * {@link ScoreParams#decayInterval()}.
 *
 * <p>The constructor checks the ranges the spec gives (positive weights for P₁ and P₂, negative ones
 * for P₃, P₃b and P₄, decays in (0, 1), caps above 0, the P₃ cap at least its threshold) and throws
 * {@link IllegalArgumentException} naming the parameter.
 *
 * @param topicWeight how much the topic counts in the total score (≥ 0)
 * @param timeInMeshWeight weight of P₁ (≥ 0)
 * @param timeInMeshQuantum mesh time that earns one point of P₁ (> 0 when P₁ is on)
 * @param timeInMeshCap the largest P₁ (> 0 when P₁ is on)
 * @param firstMessageDeliveriesWeight weight of P₂ (≥ 0)
 * @param firstMessageDeliveriesDecay decay of the P₂ counter
 * @param firstMessageDeliveriesCap the largest P₂ counter (> 0 when P₂ is on)
 * @param meshMessageDeliveriesWeight weight of P₃ (≤ 0)
 * @param meshMessageDeliveriesDecay decay of the P₃ counter
 * @param meshMessageDeliveriesCap the largest P₃ counter (≥ the threshold)
 * @param meshMessageDeliveriesThreshold deliveries below which a mesh peer is penalised by the square of the deficit (> 0)
 * @param meshMessageDeliveriesWindow how long after validation a duplicate still counts as a near-first delivery (≥ 0)
 * @param meshMessageDeliveriesActivation mesh time before P₃ applies (≥ 0)
 * @param meshFailurePenaltyWeight weight of P₃b (≤ 0)
 * @param meshFailurePenaltyDecay decay of the P₃b counter
 * @param invalidMessageDeliveriesWeight weight of P₄ (≤ 0)
 * @param invalidMessageDeliveriesDecay decay of the P₄ counter
 */
public record TopicScoreParams(
        double topicWeight,
        double timeInMeshWeight, Duration timeInMeshQuantum, double timeInMeshCap,
        double firstMessageDeliveriesWeight, double firstMessageDeliveriesDecay, double firstMessageDeliveriesCap,
        double meshMessageDeliveriesWeight, double meshMessageDeliveriesDecay, double meshMessageDeliveriesCap,
        double meshMessageDeliveriesThreshold, Duration meshMessageDeliveriesWindow,
        Duration meshMessageDeliveriesActivation,
        double meshFailurePenaltyWeight, double meshFailurePenaltyDecay,
        double invalidMessageDeliveriesWeight, double invalidMessageDeliveriesDecay) {

    public TopicScoreParams {
        Objects.requireNonNull(timeInMeshQuantum, "timeInMeshQuantum");
        Objects.requireNonNull(meshMessageDeliveriesWindow, "meshMessageDeliveriesWindow");
        Objects.requireNonNull(meshMessageDeliveriesActivation, "meshMessageDeliveriesActivation");
        check(finite(topicWeight) && topicWeight >= 0, "topicWeight", "must be >= 0", topicWeight);
        check(finite(timeInMeshWeight) && timeInMeshWeight >= 0, "timeInMeshWeight", "must be >= 0", timeInMeshWeight);
        if (timeInMeshWeight != 0) {
            check(positive(timeInMeshQuantum), "timeInMeshQuantum", "must be > 0", timeInMeshQuantum);
            check(finite(timeInMeshCap) && timeInMeshCap > 0, "timeInMeshCap", "must be > 0", timeInMeshCap);
        }
        check(finite(firstMessageDeliveriesWeight) && firstMessageDeliveriesWeight >= 0,
                "firstMessageDeliveriesWeight", "must be >= 0", firstMessageDeliveriesWeight);
        if (firstMessageDeliveriesWeight != 0) {
            checkDecay(firstMessageDeliveriesDecay, "firstMessageDeliveriesDecay");
            check(finite(firstMessageDeliveriesCap) && firstMessageDeliveriesCap > 0,
                    "firstMessageDeliveriesCap", "must be > 0", firstMessageDeliveriesCap);
        }
        check(finite(meshMessageDeliveriesWeight) && meshMessageDeliveriesWeight <= 0,
                "meshMessageDeliveriesWeight", "must be <= 0", meshMessageDeliveriesWeight);
        if (meshMessageDeliveriesWeight != 0) {
            checkDecay(meshMessageDeliveriesDecay, "meshMessageDeliveriesDecay");
            check(finite(meshMessageDeliveriesThreshold) && meshMessageDeliveriesThreshold > 0,
                    "meshMessageDeliveriesThreshold", "must be > 0", meshMessageDeliveriesThreshold);
            check(finite(meshMessageDeliveriesCap) && meshMessageDeliveriesCap >= meshMessageDeliveriesThreshold,
                    "meshMessageDeliveriesCap", "must be >= meshMessageDeliveriesThreshold "
                            + meshMessageDeliveriesThreshold, meshMessageDeliveriesCap);
            check(!meshMessageDeliveriesWindow.isNegative(), "meshMessageDeliveriesWindow", "must be >= 0",
                    meshMessageDeliveriesWindow);
            check(!meshMessageDeliveriesActivation.isNegative(), "meshMessageDeliveriesActivation",
                    "must be >= 0", meshMessageDeliveriesActivation);
        }
        check(finite(meshFailurePenaltyWeight) && meshFailurePenaltyWeight <= 0,
                "meshFailurePenaltyWeight", "must be <= 0", meshFailurePenaltyWeight);
        if (meshFailurePenaltyWeight != 0) {
            checkDecay(meshFailurePenaltyDecay, "meshFailurePenaltyDecay");
        }
        check(finite(invalidMessageDeliveriesWeight) && invalidMessageDeliveriesWeight <= 0,
                "invalidMessageDeliveriesWeight", "must be <= 0", invalidMessageDeliveriesWeight);
        if (invalidMessageDeliveriesWeight != 0) {
            checkDecay(invalidMessageDeliveriesDecay, "invalidMessageDeliveriesDecay");
        }
    }

    /**
     * The profile a Hivemesh node applies to every topic without explicit parameters (see
     * {@link ScoreParams#defaultTopicParams()}). It exists to push invalid-message senders out, which
     * js-libp2p does not do for topics without explicit parameters:
     * <ul>
     *   <li>P₄ weight −10, decay 0.95/s: 3 invalid messages give −90, below the graylist threshold
     *       (−80); 30 of them keep the sender graylisted for about 45 s after it stops.</li>
     *   <li>P₂ weight 1, cap 10, decay 0.9/s: peers that deliver first rank above idle ones, and one
     *       invalid message from an otherwise useful peer costs it its mesh place only briefly.</li>
     *   <li>P₁ weight 0.01 per second in the mesh, cap 300 s (at most +3): mesh members are kept
     *       over newcomers when pruning.</li>
     *   <li>P₃ and P₃b off: their threshold depends on the topic's message rate, which a default
     *       cannot know (a quiet topic would have every honest mesh peer pruned). Switch them on per
     *       topic with {@link #withMeshDeliveries} and {@link #withMeshFailurePenalty}.</li>
     * </ul>
     */
    public static TopicScoreParams defaultsForInvalidSpam() {
        return new TopicScoreParams(1.0,
                0.01, Duration.ofSeconds(1), 300,
                1.0, 0.9, 10,
                0, 0.5, 1, 1, Duration.ofMillis(10), Duration.ofSeconds(5),
                0, 0.5,
                -10, 0.95);
    }

    /** The defaults are {@link #defaultsForInvalidSpam()}: P₁, P₂ and P₄ on, P₃ and P₃b off. */
    public static TopicScoreParams defaults() {
        return defaultsForInvalidSpam();
    }

    /** A copy with the topic weight set. */
    public TopicScoreParams withTopicWeight(double weight) {
        return new TopicScoreParams(weight, timeInMeshWeight, timeInMeshQuantum, timeInMeshCap,
                firstMessageDeliveriesWeight, firstMessageDeliveriesDecay, firstMessageDeliveriesCap,
                meshMessageDeliveriesWeight, meshMessageDeliveriesDecay, meshMessageDeliveriesCap,
                meshMessageDeliveriesThreshold, meshMessageDeliveriesWindow, meshMessageDeliveriesActivation,
                meshFailurePenaltyWeight, meshFailurePenaltyDecay, invalidMessageDeliveriesWeight,
                invalidMessageDeliveriesDecay);
    }

    /** A copy with P₁ (time in mesh) set. */
    public TopicScoreParams withTimeInMesh(double weight, Duration quantum, double cap) {
        return new TopicScoreParams(topicWeight, weight, quantum, cap,
                firstMessageDeliveriesWeight, firstMessageDeliveriesDecay, firstMessageDeliveriesCap,
                meshMessageDeliveriesWeight, meshMessageDeliveriesDecay, meshMessageDeliveriesCap,
                meshMessageDeliveriesThreshold, meshMessageDeliveriesWindow, meshMessageDeliveriesActivation,
                meshFailurePenaltyWeight, meshFailurePenaltyDecay, invalidMessageDeliveriesWeight,
                invalidMessageDeliveriesDecay);
    }

    /** A copy with P₂ (first message deliveries) set. */
    public TopicScoreParams withFirstMessageDeliveries(double weight, double decay, double cap) {
        return new TopicScoreParams(topicWeight, timeInMeshWeight, timeInMeshQuantum, timeInMeshCap,
                weight, decay, cap,
                meshMessageDeliveriesWeight, meshMessageDeliveriesDecay, meshMessageDeliveriesCap,
                meshMessageDeliveriesThreshold, meshMessageDeliveriesWindow, meshMessageDeliveriesActivation,
                meshFailurePenaltyWeight, meshFailurePenaltyDecay, invalidMessageDeliveriesWeight,
                invalidMessageDeliveriesDecay);
    }

    /** A copy with P₃ (mesh message delivery rate) set. */
    public TopicScoreParams withMeshDeliveries(double weight, double decay, double cap, double threshold,
            Duration window, Duration activation) {
        return new TopicScoreParams(topicWeight, timeInMeshWeight, timeInMeshQuantum, timeInMeshCap,
                firstMessageDeliveriesWeight, firstMessageDeliveriesDecay, firstMessageDeliveriesCap,
                weight, decay, cap, threshold, window, activation,
                meshFailurePenaltyWeight, meshFailurePenaltyDecay, invalidMessageDeliveriesWeight,
                invalidMessageDeliveriesDecay);
    }

    /** A copy with P₃b (mesh delivery failure penalty) set. */
    public TopicScoreParams withMeshFailurePenalty(double weight, double decay) {
        return new TopicScoreParams(topicWeight, timeInMeshWeight, timeInMeshQuantum, timeInMeshCap,
                firstMessageDeliveriesWeight, firstMessageDeliveriesDecay, firstMessageDeliveriesCap,
                meshMessageDeliveriesWeight, meshMessageDeliveriesDecay, meshMessageDeliveriesCap,
                meshMessageDeliveriesThreshold, meshMessageDeliveriesWindow, meshMessageDeliveriesActivation,
                weight, decay, invalidMessageDeliveriesWeight, invalidMessageDeliveriesDecay);
    }

    /** A copy with P₄ (invalid messages) set. */
    public TopicScoreParams withInvalidMessageDeliveries(double weight, double decay) {
        return new TopicScoreParams(topicWeight, timeInMeshWeight, timeInMeshQuantum, timeInMeshCap,
                firstMessageDeliveriesWeight, firstMessageDeliveriesDecay, firstMessageDeliveriesCap,
                meshMessageDeliveriesWeight, meshMessageDeliveriesDecay, meshMessageDeliveriesCap,
                meshMessageDeliveriesThreshold, meshMessageDeliveriesWindow, meshMessageDeliveriesActivation,
                meshFailurePenaltyWeight, meshFailurePenaltyDecay, weight, decay);
    }

    static boolean finite(double v) {
        return !Double.isNaN(v) && !Double.isInfinite(v);
    }

    private static boolean positive(Duration d) {
        return !d.isNegative() && !d.isZero();
    }

    private static void checkDecay(double decay, String name) {
        check(finite(decay) && decay > 0 && decay < 1, name, "must be in (0, 1)", decay);
    }

    static void check(boolean ok, String name, String rule, Object value) {
        if (!ok) {
            throw new IllegalArgumentException("score parameter " + name + " " + rule + ", got " + value);
        }
    }
}

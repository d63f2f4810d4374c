package io.hivemesh.pubsub.internal;

import static io.hivemesh.pubsub.internal.TopicScoreParams.check;
import static io.hivemesh.pubsub.internal.TopicScoreParams.finite;

import io.hivemesh.api.peer.PeerId;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.ToDoubleFunction;

/**
 * The gossipsub v1.1 score function's global parameters (gossipsub-v1.1.md, "Overview of New
 * Parameters"): per-topic parameters, the topic cap, P₅ (application-specific), P₆ (IP colocation),
 * P₇ (behaviour penalty) and the decay and retention times. Immutable; the constructor checks the
 * ranges and throws {@link IllegalArgumentException} naming the parameter (and the topic).
 *
 * <p><b>Topics without explicit parameters.</b> The spec (and js-libp2p) leave them out of the score:
 * invalid messages there cost nothing. Hivemesh wants invalid-message senders pushed out, so
 * {@link #defaults()} sets {@link #defaultTopicParams()} to
 * {@link TopicScoreParams#defaultsForInvalidSpam()}, which then applies to every topic the router
 * reports (its subscribed topics) unless {@link #topics()} names it. Set it to null for the spec's
 * and js's behaviour (only P₅–P₇ for unconfigured topics).
 *
 * @param topics explicit parameters by topic
 * @param defaultTopicParams parameters for topics not in {@code topics}; null leaves them unscored
 * @param topicScoreCap the largest total of the topic terms (a cap on the positive side; 0 = none)
 * @param appSpecificWeight weight of P₅ (≥ 0)
 * @param appSpecificScore P₅ of a peer; null means 0 for every peer
 * @param ipColocationFactorWeight weight of P₆ (≤ 0)
 * @param ipColocationFactorThreshold peers on one IP before P₆ applies (≥ 1)
 * @param ipColocationWhitelist address literals or CIDR prefixes that P₆ never applies to
 * @param behaviourPenaltyWeight weight of P₇ (≤ 0)
 * @param behaviourPenaltyThreshold penalty count that is free; P₇ is the square of the excess (≥ 0)
 * @param behaviourPenaltyDecay decay of the penalty counter, in (0, 1)
 * @param decayInterval how often counters decay (> 0)
 * @param decayToZero a decayed counter below it becomes 0, in (0, 1)
 * @param retainScore how long a disconnected peer's non-positive score is kept (≥ 0)
 */
public record ScoreParams(
        Map<String, TopicScoreParams> topics,
        TopicScoreParams defaultTopicParams,
        double topicScoreCap,
        double appSpecificWeight,
        ToDoubleFunction<PeerId> appSpecificScore,
        double ipColocationFactorWeight,
        int ipColocationFactorThreshold,
        List<String> ipColocationWhitelist,
        double behaviourPenaltyWeight,
        double behaviourPenaltyThreshold,
        double behaviourPenaltyDecay,
        Duration decayInterval,
        double decayToZero,
        Duration retainScore) {

    public ScoreParams {
        for (Map.Entry<String, TopicScoreParams> e : Objects.requireNonNull(topics, "topics").entrySet()) {
            check(e.getKey() != null && !e.getKey().isEmpty(), "topics", "must not name a null or empty topic",
                    e.getKey());
            Objects.requireNonNull(e.getValue(), () -> "score params for topic '" + e.getKey() + "'");
        }
        topics = Map.copyOf(topics);
        ipColocationWhitelist = List.copyOf(Objects.requireNonNull(ipColocationWhitelist, "ipColocationWhitelist"));
        for (String entry : ipColocationWhitelist) {
            try {
                IpPrefix.parse(entry);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("score parameter ipColocationWhitelist: " + e.getMessage(), e);
            }
        }
        Objects.requireNonNull(decayInterval, "decayInterval");
        Objects.requireNonNull(retainScore, "retainScore");
        check(finite(topicScoreCap) && topicScoreCap >= 0, "topicScoreCap", "must be >= 0", topicScoreCap);
        check(finite(appSpecificWeight) && appSpecificWeight >= 0, "appSpecificWeight", "must be >= 0",
                appSpecificWeight);
        check(finite(ipColocationFactorWeight) && ipColocationFactorWeight <= 0, "ipColocationFactorWeight",
                "must be <= 0", ipColocationFactorWeight);
        if (ipColocationFactorWeight != 0) {
            check(ipColocationFactorThreshold >= 1, "ipColocationFactorThreshold", "must be >= 1",
                    ipColocationFactorThreshold);
        }
        check(finite(behaviourPenaltyWeight) && behaviourPenaltyWeight <= 0, "behaviourPenaltyWeight",
                "must be <= 0", behaviourPenaltyWeight);
        if (behaviourPenaltyWeight != 0) {
            check(finite(behaviourPenaltyDecay) && behaviourPenaltyDecay > 0 && behaviourPenaltyDecay < 1,
                    "behaviourPenaltyDecay", "must be in (0, 1)", behaviourPenaltyDecay);
            check(finite(behaviourPenaltyThreshold) && behaviourPenaltyThreshold >= 0,
                    "behaviourPenaltyThreshold", "must be >= 0", behaviourPenaltyThreshold);
        }
        check(!decayInterval.isNegative() && !decayInterval.isZero() && decayInterval.toMillis() > 0,
                "decayInterval", "must be at least 1 ms", decayInterval);
        check(finite(decayToZero) && decayToZero > 0 && decayToZero < 1, "decayToZero", "must be in (0, 1)",
                decayToZero);
        check(!retainScore.isNegative(), "retainScore", "must be >= 0", retainScore);
    }

    /**
     * Hivemesh's defaults: {@link TopicScoreParams#defaultsForInvalidSpam()} for every topic, topic
     * cap 10; js-libp2p's global values otherwise: P₅ weight 1 (no function), P₆ −5 above 10 peers per
     * IP, P₇ −10 × the penalty squared decaying ×0.2 per second, decay every 1 s, decay-to-zero 0.01,
     * scores kept 3600 s after a disconnect.
     */
    public static ScoreParams defaults() {
        return new ScoreParams(Map.of(), TopicScoreParams.defaultsForInvalidSpam(), 10,
                1, null,
                -5, 10, List.of(),
                -10, 0, 0.2,
                Duration.ofSeconds(1), 0.01, Duration.ofSeconds(3600));
    }

    /** The parameters that apply to {@code topic}: its own, else the default ones, else null (unscored). */
    public TopicScoreParams paramsFor(String topic) {
        TopicScoreParams p = topics.get(topic);
        return p != null ? p : defaultTopicParams;
    }

    /** A copy with {@code params} for {@code topic} (replacing any). */
    public ScoreParams withTopic(String topic, TopicScoreParams params) {
        Map<String, TopicScoreParams> m = new LinkedHashMap<>(topics);
        m.put(topic, params);
        return new ScoreParams(m, defaultTopicParams, topicScoreCap, appSpecificWeight, appSpecificScore,
                ipColocationFactorWeight, ipColocationFactorThreshold, ipColocationWhitelist, behaviourPenaltyWeight,
                behaviourPenaltyThreshold, behaviourPenaltyDecay, decayInterval, decayToZero, retainScore);
    }

    /** A copy with the parameters for unconfigured topics set; null scores them as js does (not at all). */
    public ScoreParams withDefaultTopicParams(TopicScoreParams params) {
        return new ScoreParams(topics, params, topicScoreCap, appSpecificWeight, appSpecificScore,
                ipColocationFactorWeight, ipColocationFactorThreshold, ipColocationWhitelist, behaviourPenaltyWeight,
                behaviourPenaltyThreshold, behaviourPenaltyDecay, decayInterval, decayToZero, retainScore);
    }

    /** A copy with the topic cap set (0 = none). */
    public ScoreParams withTopicScoreCap(double cap) {
        return new ScoreParams(topics, defaultTopicParams, cap, appSpecificWeight, appSpecificScore,
                ipColocationFactorWeight, ipColocationFactorThreshold, ipColocationWhitelist, behaviourPenaltyWeight,
                behaviourPenaltyThreshold, behaviourPenaltyDecay, decayInterval, decayToZero, retainScore);
    }

    /** A copy with P₅ set. */
    public ScoreParams withAppSpecific(double weight, ToDoubleFunction<PeerId> score) {
        return new ScoreParams(topics, defaultTopicParams, topicScoreCap, weight, score,
                ipColocationFactorWeight, ipColocationFactorThreshold, ipColocationWhitelist, behaviourPenaltyWeight,
                behaviourPenaltyThreshold, behaviourPenaltyDecay, decayInterval, decayToZero, retainScore);
    }

    /** A copy with P₆ set. */
    public ScoreParams withIpColocation(double weight, int threshold, List<String> whitelist) {
        return new ScoreParams(topics, defaultTopicParams, topicScoreCap, appSpecificWeight, appSpecificScore,
                weight, threshold, whitelist, behaviourPenaltyWeight,
                behaviourPenaltyThreshold, behaviourPenaltyDecay, decayInterval, decayToZero, retainScore);
    }

    /** A copy with P₇ set. */
    public ScoreParams withBehaviourPenalty(double weight, double threshold, double decay) {
        return new ScoreParams(topics, defaultTopicParams, topicScoreCap, appSpecificWeight, appSpecificScore,
                ipColocationFactorWeight, ipColocationFactorThreshold, ipColocationWhitelist, weight,
                threshold, decay, decayInterval, decayToZero, retainScore);
    }

    /** A copy with the retention time set. */
    public ScoreParams withRetainScore(Duration retain) {
        return new ScoreParams(topics, defaultTopicParams, topicScoreCap, appSpecificWeight, appSpecificScore,
                ipColocationFactorWeight, ipColocationFactorThreshold, ipColocationWhitelist, behaviourPenaltyWeight,
                behaviourPenaltyThreshold, behaviourPenaltyDecay, decayInterval, decayToZero, retain);
    }
}

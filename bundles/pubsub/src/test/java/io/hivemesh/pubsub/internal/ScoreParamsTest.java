package io.hivemesh.pubsub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/** Range checks of the score parameters: each error names the parameter. */
class ScoreParamsTest {
    private static final TopicScoreParams D = TopicScoreParams.defaults();
    private static final ScoreParams S = ScoreParams.defaults();

    private static void rejects(String name, Supplier<?> build) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, build::get);
        assertTrue(e.getMessage().contains(name), e.getMessage());
    }

    @Test
    void defaultsAreValidAndScoreUnconfiguredTopicsForInvalidSpam() {
        assertEquals(D, TopicScoreParams.defaultsForInvalidSpam());
        assertEquals(-10, D.invalidMessageDeliveriesWeight());
        assertEquals(0, D.meshMessageDeliveriesWeight(), "P3 needs the topic's rate: off by default");
        assertEquals(D, S.paramsFor("any-topic"));
        assertNull(S.withDefaultTopicParams(null).paramsFor("any-topic"));
        TopicScoreParams mine = D.withTopicWeight(3);
        assertEquals(mine, S.withTopic("mine", mine).paramsFor("mine"));
        assertEquals(Duration.ofSeconds(1), S.decayInterval());
        assertEquals(0.01, S.decayToZero());
        assertEquals(Duration.ofSeconds(3600), S.retainScore());
        assertEquals(-5, S.ipColocationFactorWeight());
        assertEquals(10, S.ipColocationFactorThreshold());
    }

    @Test
    void topicParamsOutOfRangeAreRefusedByName() {
        rejects("topicWeight", () -> D.withTopicWeight(-1));
        rejects("topicWeight", () -> D.withTopicWeight(Double.NaN));
        rejects("timeInMeshWeight", () -> D.withTimeInMesh(-0.1, Duration.ofSeconds(1), 10));
        rejects("timeInMeshQuantum", () -> D.withTimeInMesh(0.1, Duration.ZERO, 10));
        rejects("timeInMeshCap", () -> D.withTimeInMesh(0.1, Duration.ofSeconds(1), 0));
        rejects("firstMessageDeliveriesWeight", () -> D.withFirstMessageDeliveries(-1, 0.5, 10));
        rejects("firstMessageDeliveriesDecay", () -> D.withFirstMessageDeliveries(1, 1.0, 10));
        rejects("firstMessageDeliveriesCap", () -> D.withFirstMessageDeliveries(1, 0.5, -3));
        Duration ms = Duration.ofMillis(5);
        Duration s5 = Duration.ofSeconds(5);
        rejects("meshMessageDeliveriesWeight", () -> D.withMeshDeliveries(1, 0.5, 10, 4, ms, s5));
        rejects("meshMessageDeliveriesDecay", () -> D.withMeshDeliveries(-1, 0, 10, 4, ms, s5));
        rejects("meshMessageDeliveriesThreshold", () -> D.withMeshDeliveries(-1, 0.5, 10, 0, ms, s5));
        rejects("meshMessageDeliveriesCap", () -> D.withMeshDeliveries(-1, 0.5, 3, 4, ms, s5));
        rejects("meshMessageDeliveriesWindow", () -> D.withMeshDeliveries(-1, 0.5, 10, 4, ms.negated(), s5));
        rejects("meshMessageDeliveriesActivation", () -> D.withMeshDeliveries(-1, 0.5, 10, 4, ms, s5.negated()));
        rejects("meshFailurePenaltyWeight", () -> D.withMeshFailurePenalty(2, 0.5));
        rejects("meshFailurePenaltyDecay", () -> D.withMeshFailurePenalty(-2, 1.5));
        rejects("invalidMessageDeliveriesWeight", () -> D.withInvalidMessageDeliveries(1, 0.5));
        rejects("invalidMessageDeliveriesDecay", () -> D.withInvalidMessageDeliveries(-1, 0));
        // a term that is off does not check its other parameters
        assertEquals(0, D.withMeshDeliveries(0, 7, 0, 0, ms, s5).meshMessageDeliveriesWeight());
    }

    @Test
    void globalParamsOutOfRangeAreRefusedByName() {
        rejects("topicScoreCap", () -> S.withTopicScoreCap(-1));
        rejects("appSpecificWeight", () -> S.withAppSpecific(-1, p -> 0));
        rejects("ipColocationFactorWeight", () -> S.withIpColocation(5, 10, List.of()));
        rejects("ipColocationFactorThreshold", () -> S.withIpColocation(-5, 0, List.of()));
        rejects("ipColocationWhitelist", () -> S.withIpColocation(-5, 10, List.of("example.com")));
        rejects("ipColocationWhitelist", () -> S.withIpColocation(-5, 10, List.of("10.0.0.0/33")));
        rejects("behaviourPenaltyWeight", () -> S.withBehaviourPenalty(1, 0, 0.5));
        rejects("behaviourPenaltyDecay", () -> S.withBehaviourPenalty(-1, 0, 1));
        rejects("behaviourPenaltyThreshold", () -> S.withBehaviourPenalty(-1, -1, 0.5));
        rejects("retainScore", () -> S.withRetainScore(Duration.ofSeconds(-1)));
        rejects("topics", () -> S.withTopic("", D));
        rejects("decayInterval", () -> new ScoreParams(Map.of(), null, 0, 0, null, 0, 1, List.of(), 0, 0, 0.5,
                Duration.ZERO, 0.01, Duration.ZERO));
        rejects("decayToZero", () -> new ScoreParams(Map.of(), null, 0, 0, null, 0, 1, List.of(), 0, 0, 0.5,
                Duration.ofSeconds(1), 0, Duration.ZERO));
    }

    @Test
    void thresholdsDefaultToTheJsValuesAndKeepTheirOrder() {
        ScoreThresholds t = ScoreThresholds.DEFAULTS;
        assertEquals(List.of(-10.0, -50.0, -80.0, 10.0, 20.0),
                List.of(t.gossip(), t.publish(), t.graylist(), t.acceptPx(), t.opportunisticGraft()));
        rejects("score thresholds", () -> new ScoreThresholds(1, -50, -80, 10, 20));
        rejects("score thresholds", () -> new ScoreThresholds(-10, -5, -80, 10, 20));
        rejects("score thresholds", () -> new ScoreThresholds(-10, -50, -40, 10, 20));
        rejects("score thresholds", () -> new ScoreThresholds(-10, -50, -80, -1, 20));
        rejects("score thresholds", () -> new ScoreThresholds(-10, -50, -80, 10, -1));
    }

    @Test
    void ipPrefixesMatchByPrefixAndNeverResolveNames() {
        IpPrefix ten = IpPrefix.parse("10.0.0.0/8");
        assertTrue(ten.contains("10.200.3.4"));
        assertFalse(ten.contains("11.0.0.1"));
        IpPrefix odd = IpPrefix.parse("192.168.0.0/23");
        assertTrue(odd.contains("192.168.1.255"));
        assertFalse(odd.contains("192.168.2.0"));
        IpPrefix one = IpPrefix.parse("192.0.2.1");
        assertTrue(one.contains("192.0.2.1"));
        assertFalse(one.contains("192.0.2.2"));
        IpPrefix v6 = IpPrefix.parse("fd00::/8");
        assertTrue(v6.contains("fd12:3456::1"));
        assertFalse(v6.contains("fe80::1"));
        assertFalse(v6.contains("10.0.0.1"));
        assertFalse(ten.contains("localhost"));
        assertFalse(ten.contains(null));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("localhost"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("300.1.1.1"));
        assertThrows(IllegalArgumentException.class, () -> IpPrefix.parse("fd00::/129"));
        assertEquals("10.0.0.0/8", ten.toString());
    }
}

package io.hivemesh.pubsub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.pubsub.internal.PeerScoring.Rejection;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.LongSupplier;
import org.junit.jupiter.api.Test;

/** Every score term against a hand computation, with a manual clock. */
class PeerScoreTest {
    private static final double EPS = 1e-9;
    private static final String T = "t";
    private static final Duration SEEN_TTL = Duration.ofSeconds(120);
    /** All topic terms off; tests switch on the one they measure. */
    private static final TopicScoreParams OFF = new TopicScoreParams(1,
            0, Duration.ofSeconds(1), 1,
            0, 0.5, 1,
            0, 0.5, 1, 1, Duration.ZERO, Duration.ZERO,
            0, 0.5,
            0, 0.5);

    private final ManualClock clock = new ManualClock();
    private final List<PeerId> p = peers(12);

    /** Global terms off, only topic {@code T} with {@code tp}, decay every second, retain 10 s. */
    private static ScoreParams only(TopicScoreParams tp) {
        return new ScoreParams(Map.of(T, tp), null, 0, 0, null, 0, 1, List.of(), 0, 0, 0.5,
                Duration.ofSeconds(1), 0.01, Duration.ofSeconds(10));
    }

    private PeerScore scorer(ScoreParams params) {
        return new PeerScore(params, SEEN_TTL, clock);
    }

    private static byte[] id(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    /** {@code from} sends message {@code msg} first and it is accepted. */
    private static void firstDelivery(PeerScore s, PeerId from, String msg, String topic) {
        s.validateMessage(from, id(msg), topic);
        s.deliverMessage(from, id(msg), topic);
    }

    private static void rejected(PeerScore s, PeerId from, String msg, String topic) {
        s.validateMessage(from, id(msg), topic);
        s.rejectMessage(from, id(msg), topic, Rejection.VALIDATOR_REJECTED);
    }

    private void tick(PeerScore s, long millis) {
        clock.advance(millis);
        s.refresh(clock.now);
    }

    @Test
    void p1TimeInMeshCountsWholeQuantaSinceGraftUpToItsCapAndOnlyInTheMesh() {
        PeerScore s = scorer(only(OFF.withTimeInMesh(0.1, Duration.ofSeconds(1), 10).withTopicWeight(0.5)));
        s.addPeer(p.get(0), "10.0.0.1");
        s.graft(p.get(0), T);
        clock.advance(3500);
        assertEquals(0, s.score(p.get(0)), EPS, "mesh time is updated lazily, on refresh");
        s.refresh(clock.now);
        assertEquals(0.5 * 0.1 * 3, s.score(p.get(0)), EPS);  // 3.5 s = 3 whole quanta
        tick(s, 16_500);
        assertEquals(0.5 * 0.1 * 10, s.score(p.get(0)), EPS);  // 20 quanta, capped at 10
        s.prune(p.get(0), T);
        assertEquals(0, s.score(p.get(0)), EPS);
    }

    @Test
    void p2FirstDeliveriesRewardOnlyTheFirstSenderAreCappedAndDecay() {
        PeerScore s = scorer(only(OFF.withFirstMessageDeliveries(2, 0.5, 5)));
        s.addPeer(p.get(0), null);
        s.addPeer(p.get(1), null);
        for (int i = 0; i < 3; i++) {
            firstDelivery(s, p.get(0), "m" + i, T);
            s.duplicateMessage(p.get(1), id("m" + i), T);
        }
        assertEquals(2 * 3, s.score(p.get(0)), EPS);
        assertEquals(0, s.score(p.get(1)), EPS, "duplicates earn no P2");
        for (int i = 3; i < 7; i++) {
            firstDelivery(s, p.get(0), "m" + i, T);
        }
        assertEquals(2 * 5, s.score(p.get(0)), EPS, "7 first deliveries, counter capped at 5");
        tick(s, 1000);
        assertEquals(2 * 2.5, s.score(p.get(0)), EPS);
        tick(s, 2000);  // two intervals at once
        assertEquals(2 * 0.625, s.score(p.get(0)), EPS);
        tick(s, 999);
        assertEquals(2 * 0.625, s.score(p.get(0)), EPS, "no decay before a whole interval");
    }

    @Test
    void p3CountsFirstAndNearFirstMeshDeliveriesAfterActivationAndPenalisesTheDeficitSquared() {
        TopicScoreParams tp = OFF.withMeshDeliveries(-1, 0.5, 10, 4, Duration.ofMillis(10), Duration.ofSeconds(2));
        PeerScore s = scorer(only(tp));
        for (int i = 0; i < 6; i++) {
            s.addPeer(p.get(i), null);
        }
        for (int i = 0; i < 4; i++) {
            s.graft(p.get(i), T);
        }
        tick(s, 2500);
        s.graft(p.get(4), T);  // grafted late: not active yet
        for (int i = 0; i < 4; i++) {
            assertEquals(-16, s.score(p.get(i)), EPS, "active, no deliveries: deficit 4 squared");
        }
        s.validateMessage(p.get(0), id("m1"), T);
        clock.advance(1);
        s.duplicateMessage(p.get(1), id("m1"), T);  // while validating: near-first
        s.duplicateMessage(p.get(5), id("m1"), T);  // not in the mesh: nothing
        clock.advance(1);
        s.deliverMessage(p.get(0), id("m1"), T);
        clock.advance(10);
        s.duplicateMessage(p.get(2), id("m1"), T);  // 10 ms after validation: inside the window
        clock.advance(1);
        s.duplicateMessage(p.get(3), id("m1"), T);  // 11 ms: too late
        s.duplicateMessage(p.get(1), id("m1"), T);  // the same peer again: counted once
        assertEquals(-9, s.score(p.get(0)), EPS);
        assertEquals(-9, s.score(p.get(1)), EPS);
        assertEquals(-9, s.score(p.get(2)), EPS);
        assertEquals(-16, s.score(p.get(3)), EPS);
        assertEquals(0, s.score(p.get(5)), EPS);
        s.refresh(clock.now);
        assertEquals(0, s.score(p.get(4)), EPS, "13 ms in the mesh, activation is 2 s");
        for (int i = 0; i < 12; i++) {
            firstDelivery(s, p.get(0), "n" + i, T);
        }
        assertEquals(0, s.score(p.get(0)), EPS, "above the threshold");
        tick(s, 1000);  // 11 (capped 10) → 5
        assertEquals(0, s.score(p.get(0)), EPS);
        tick(s, 1000);  // 2.5: deficit 1.5
        assertEquals(-1.5 * 1.5, s.score(p.get(0)), EPS);
    }

    @Test
    void p3bPruneWithADeficitLeavesAStickyDecayingPenalty() {
        TopicScoreParams tp = OFF.withMeshDeliveries(-1, 0.5, 10, 4, Duration.ofMillis(10), Duration.ofSeconds(2))
                .withMeshFailurePenalty(-3, 0.5);
        PeerScore s = scorer(only(tp));
        s.addPeer(p.get(0), null);
        s.addPeer(p.get(1), null);
        s.graft(p.get(0), T);
        s.graft(p.get(1), T);
        tick(s, 2500);
        firstDelivery(s, p.get(0), "m", T);
        assertEquals(-9, s.score(p.get(0)), EPS);
        s.prune(p.get(0), T);
        assertEquals(-3 * 9, s.score(p.get(0)), EPS, "P3 is for mesh peers; the deficit moved to P3b");
        tick(s, 1000);
        assertEquals(-3 * 4.5, s.score(p.get(0)), EPS);
        s.prune(p.get(1), T);
        s.prune(p.get(1), T);
        assertEquals(-3 * 16, s.score(p.get(1)), EPS, "a second prune outside the mesh adds nothing");
    }

    @Test
    void p4InvalidMessagesPenaliseEverySenderOfARejectedMessageSquared() {
        PeerScore s = scorer(only(OFF.withInvalidMessageDeliveries(-4, 0.5)));
        for (PeerId q : p) {
            s.addPeer(q, null);
        }
        rejected(s, p.get(0), "bad0", T);
        s.validateMessage(p.get(0), id("bad1"), T);
        s.duplicateMessage(p.get(1), id("bad1"), T);  // forwarded it too, during validation
        s.rejectMessage(p.get(0), id("bad1"), T, Rejection.VALIDATOR_REJECTED);
        rejected(s, p.get(0), "bad2", T);
        s.duplicateMessage(p.get(2), id("bad2"), T);  // after the verdict
        s.duplicateMessage(p.get(2), id("bad2"), T);  // counted once
        assertEquals(-4 * 9, s.score(p.get(0)), EPS);
        assertEquals(-4, s.score(p.get(1)), EPS);
        assertEquals(-4, s.score(p.get(2)), EPS);
        // a bad signature penalises its sender only and leaves the id's record alone
        firstDelivery(s, p.get(4), "good", T);
        s.rejectMessage(p.get(3), id("good"), T, Rejection.INVALID_SIGNATURE);
        s.rejectMessage(p.get(3), id("x"), T, Rejection.MALFORMED);
        assertEquals(-4 * 4, s.score(p.get(3)), EPS);
        assertEquals(0, s.score(p.get(4)), EPS);
        // IGNORED costs nothing, nor do later copies of an ignored message
        s.validateMessage(p.get(5), id("meh"), T);
        s.rejectMessage(p.get(5), id("meh"), T, Rejection.IGNORED);
        s.duplicateMessage(p.get(6), id("meh"), T);
        assertEquals(0, s.score(p.get(5)), EPS);
        assertEquals(0, s.score(p.get(6)), EPS);
        tick(s, 1000);
        assertEquals(-4 * 1.5 * 1.5, s.score(p.get(0)), EPS);
    }

    @Test
    void p5AppSpecificScoreIsWeighted() {
        PeerId bad = p.get(0);
        ScoreParams params = only(OFF).withAppSpecific(2, q -> q.equals(bad) ? -3 : 1.5);
        PeerScore s = scorer(params);
        s.addPeer(p.get(0), null);
        s.addPeer(p.get(1), null);
        assertEquals(-6, s.score(p.get(0)), EPS);
        assertEquals(3, s.score(p.get(1)), EPS);
    }

    @Test
    void p6ColocationPenalisesTheSurplusSquaredOutsideTheWhitelist() {
        ScoreParams params = only(OFF).withIpColocation(-5, 2, List.of("10.0.0.0/8", "fd00::/8"));
        PeerScore s = scorer(params);
        for (int i = 0; i < 4; i++) {
            s.addPeer(p.get(i), "192.0.2.7");
        }
        for (int i = 4; i < 10; i++) {
            s.addPeer(p.get(i), i < 7 ? "10.1.2.3" : "fd00::1");
        }
        s.addPeer(p.get(10), "192.0.2.8");
        for (int i = 0; i < 4; i++) {
            assertEquals(-5 * 2 * 2, s.score(p.get(i)), EPS, "4 peers on one IP, threshold 2");
        }
        for (int i = 4; i < 11; i++) {
            assertEquals(0, s.score(p.get(i)), EPS);
        }
        s.removePeer(p.get(3));
        assertEquals(-5, s.score(p.get(0)), EPS, "3 left: surplus 1");
        s.addPeer(p.get(2), "192.0.2.8");  // a peer that reconnected from elsewhere
        assertEquals(0, s.score(p.get(0)), EPS);
        assertEquals(0, s.score(p.get(2)), EPS);
    }

    @Test
    void p6WithJsValuesCostsFivePerSurplusSquaredAboveTenPeers() {
        PeerScore s = scorer(ScoreParams.defaults());
        for (int i = 0; i < 12; i++) {
            s.addPeer(p.get(i), "127.0.0.1");
        }
        assertEquals(-5 * 4, s.score(p.get(0)), EPS);
    }

    @Test
    void p7BehaviourPenaltyIsTheExcessOverTheThresholdSquaredAndDecays() {
        PeerScore s = scorer(only(OFF).withBehaviourPenalty(-10, 1, 0.5));
        s.addPeer(p.get(0), null);
        s.addPenalty(p.get(0), 1);
        assertEquals(0, s.score(p.get(0)), EPS, "at the threshold");
        s.addPenalty(p.get(0), 2);
        assertEquals(-10 * 2 * 2, s.score(p.get(0)), EPS);
        tick(s, 1000);
        assertEquals(-10 * 0.5 * 0.5, s.score(p.get(0)), EPS);
        tick(s, 1000);
        assertEquals(0, s.score(p.get(0)), EPS, "0.75 is under the threshold");
        s.addPenalty(p.get(1), 5);  // unknown peer: nothing to penalise
        assertEquals(0, s.score(p.get(1)), EPS);
    }

    @Test
    void countersUnderDecayToZeroBecomeZero() {
        ScoreParams params = new ScoreParams(Map.of(T, OFF.withFirstMessageDeliveries(2, 0.5, 10)), null, 0, 0,
                null, 0, 1, List.of(), 0, 0, 0.5, Duration.ofSeconds(1), 0.1, Duration.ofSeconds(10));
        PeerScore s = scorer(params);
        s.addPeer(p.get(0), null);
        firstDelivery(s, p.get(0), "m", T);
        tick(s, 3000);
        assertEquals(2 * 0.125, s.score(p.get(0)), EPS);
        tick(s, 1000);
        assertEquals(0, s.score(p.get(0)), 0, "0.0625 < decayToZero 0.1");
    }

    @Test
    void topicCapLimitsOnlyThePositiveTopicSumAndTopicsAreWeighted() {
        TopicScoreParams good = OFF.withFirstMessageDeliveries(2, 0.5, 100).withTopicWeight(0.5);
        TopicScoreParams strict = OFF.withInvalidMessageDeliveries(-1, 0.5).withTopicWeight(2);
        ScoreParams params = new ScoreParams(Map.of("a", good, "b", strict), null, 0, 0, null, 0, 1, List.of(),
                -1, 0, 0.5, Duration.ofSeconds(1), 0.01, Duration.ofSeconds(10));
        PeerScore uncapped = scorer(params);
        PeerScore capped = scorer(params.withTopicScoreCap(5));
        for (PeerScore s : List.of(uncapped, capped)) {
            s.addPeer(p.get(0), null);
            for (int i = 0; i < 10; i++) {
                firstDelivery(s, p.get(0), "m" + i, "a");
            }
            s.addPenalty(p.get(0), 3);
        }
        assertEquals(0.5 * 2 * 10 - 9, uncapped.score(p.get(0)), EPS);
        assertEquals(5 - 9, capped.score(p.get(0)), EPS, "the cap applies before P5-P7");
        for (int i = 0; i < 3; i++) {
            rejected(capped, p.get(0), "bad" + i, "b");
        }
        assertEquals(Math.min(10 - 2 * 9, 5) - 9, capped.score(p.get(0)), EPS);
        rejected(capped, p.get(0), "other", "unconfigured");
        assertEquals(Math.min(10 - 2 * 9, 5) - 9, capped.score(p.get(0)), EPS, "no params: no P4");
    }

    @Test
    void aDisconnectedPeerKeepsItsNonPositiveScoreForRetainScoreWithoutDecay() {
        TopicScoreParams tp = OFF.withFirstMessageDeliveries(1, 0.5, 10).withInvalidMessageDeliveries(-4, 0.5);
        PeerScore s = scorer(only(tp));  // retain 10 s
        s.addPeer(p.get(0), null);
        s.addPeer(p.get(1), null);
        s.addPeer(p.get(2), null);
        firstDelivery(s, p.get(0), "ok", T);
        for (int i = 0; i < 3; i++) {
            rejected(s, p.get(0), "bad" + i, T);
        }
        assertEquals(1 - 36, s.score(p.get(0)), EPS);
        firstDelivery(s, p.get(1), "good", T);
        rejected(s, p.get(2), "bad", T);
        s.removePeer(p.get(0));
        s.removePeer(p.get(1));
        s.removePeer(p.get(2));
        assertEquals(-36, s.score(p.get(0)), EPS, "retained, first deliveries zeroed");
        assertEquals(0, s.score(p.get(1)), EPS, "a positive score is not retained");
        assertEquals(2, s.trackedPeers());
        tick(s, 5000);
        assertEquals(-36, s.score(p.get(0)), EPS, "retained counters do not decay");
        firstDelivery(s, p.get(0), "while-away", T);  // events for a disconnected peer are ignored
        s.addPeer(p.get(0), null);
        assertEquals(-36, s.score(p.get(0)), EPS, "reconnecting within retainScore keeps the score");
        tick(s, 1000);
        assertEquals(-4 * 1.5 * 1.5, s.score(p.get(0)), EPS, "connected again: it decays again");
        tick(s, 5000);  // p2 was removed 11 s ago
        assertEquals(0, s.score(p.get(2)), EPS);
        assertEquals(1, s.trackedPeers(), "expired stats are dropped");
    }

    @Test
    void withTheDefaultsInvalidMessagesInAnyTopicPushASenderBelowGraylist() {
        double graylist = -80;  // ScoreThresholds' default (gossipsub v1.1 deployments and js)
        PeerScore s = scorer(ScoreParams.defaults());
        s.addPeer(p.get(0), "192.0.2.1");
        s.addPeer(p.get(1), "192.0.2.2");
        for (int i = 0; i < 2; i++) {
            rejected(s, p.get(0), "spam" + i, "some-topic");
        }
        assertTrue(s.score(p.get(0)) > graylist, "2 invalid messages: " + s.score(p.get(0)));
        rejected(s, p.get(0), "spam2", "some-topic");
        assertEquals(-10 * 9, s.score(p.get(0)), EPS);
        assertTrue(s.score(p.get(0)) < graylist);
        for (int i = 0; i < 5; i++) {
            firstDelivery(s, p.get(1), "ham" + i, "some-topic");
        }
        assertEquals(5, s.score(p.get(1)), EPS, "an honest first deliverer scores positive");

        PeerScore js = scorer(ScoreParams.defaults().withDefaultTopicParams(null));
        js.addPeer(p.get(0), "192.0.2.1");
        for (int i = 0; i < 30; i++) {
            rejected(js, p.get(0), "spam" + i, "some-topic");
        }
        assertEquals(0, js.score(p.get(0)), EPS, "js behaviour: unconfigured topics are not scored");
    }

    @Test
    void deliveryRecordsAreBoundedAndExpireWithTheSeenTtl() {
        TopicScoreParams tp = OFF.withMeshDeliveries(-1, 0.5, 10, 1, Duration.ofSeconds(200), Duration.ZERO);
        PeerScore s = new PeerScore(only(tp), SEEN_TTL, 3, clock);
        s.addPeer(p.get(0), null);
        s.addPeer(p.get(1), null);
        s.graft(p.get(1), T);
        for (int i = 0; i < 5; i++) {
            firstDelivery(s, p.get(0), "m" + i, T);
        }
        assertEquals(3, s.deliveryRecords());
        tick(s, SEEN_TTL.toMillis());
        assertEquals(0, s.deliveryRecords());
        assertEquals(-1, s.score(p.get(1)), EPS);
        s.duplicateMessage(p.get(1), id("m4"), T);  // its record is gone: not a near-first delivery
        assertEquals(-1, s.score(p.get(1)), EPS);
    }

    @Test
    void eventsAboutUnknownPeersOrBeforeAddPeerChangeNothing() {
        PeerScore s = scorer(ScoreParams.defaults());
        s.graft(p.get(0), T);
        rejected(s, p.get(0), "x", T);
        s.addPenalty(p.get(0), 10);
        s.removePeer(p.get(0));
        assertEquals(0, s.score(p.get(0)), EPS);
        assertEquals(0, s.trackedPeers());
    }

    @Test
    void retainedPeersAndTopicsPerPeerAreBounded() {
        PeerScore s = scorer(ScoreParams.defaults());
        List<PeerId> many = peers(PeerScore.MAX_RETAINED_PEERS + 1);
        for (PeerId q : many) {
            s.addPeer(q, null);
            rejected(s, q, "bad-" + q, "x");
            s.removePeer(q);  // negative: retained
            clock.advance(1);
        }
        assertEquals(PeerScore.MAX_RETAINED_PEERS, s.trackedPeers());
        assertEquals(0, s.score(many.get(0)), EPS, "the earliest to expire was dropped");
        assertEquals(-10, s.score(many.get(1)), EPS);

        PeerScore t = scorer(ScoreParams.defaults());
        t.addPeer(p.get(0), null);
        for (int i = 0; i < PeerScore.MAX_TOPICS_PER_PEER + 50; i++) {
            rejected(t, p.get(0), "bad" + i, "topic-" + i);
        }
        assertEquals(-10.0 * PeerScore.MAX_TOPICS_PER_PEER, t.score(p.get(0)), EPS,
                "topics beyond the bound get no counters");
    }

    private static List<PeerId> peers(int n) {
        Random r = new Random(11);
        List<PeerId> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] key = new byte[32];
            r.nextBytes(key);
            out.add(PeerId.fromPublicKey(new PublicKey(KeyType.ED25519, key)));
        }
        return out;
    }

    /** Virtual time in milliseconds, moved by hand. */
    private static final class ManualClock implements LongSupplier {
        long now = 1_000_000;

        void advance(long millis) {
            now += millis;
        }

        @Override
        public long getAsLong() {
            return now;
        }
    }
}

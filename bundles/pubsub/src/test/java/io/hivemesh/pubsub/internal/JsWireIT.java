package io.hivemesh.pubsub.internal;

import static io.hivemesh.pubsub.internal.TestMessages.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemesh.pubsub.internal.TestMessages.Tamper;
import io.hivemesh.pubsub.internal.pb.RpcProto.Message;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The test tools against real js-libp2p gossipsub, before any Java router is involved: a message signed
 * by {@link TestMessages} is one js accepts (so the tampered ones are rejected for their tampering
 * alone), js rejects both tampered forms without delivering them, and on a topic with score parameters
 * it lowers the sender's score for them.
 */
class JsWireIT {
    private static final String TOPIC = "wire-topic";

    @Test
    void jsAcceptsTestSignedMessagesAndRejectsTamperedOnes() throws Exception {
        Map<String, Object> scored = Map.of("scoreTopics", Map.of(TOPIC, Map.of(
                "topicWeight", 1, "timeInMeshWeight", 0, "meshMessageDeliveriesWeight", 0,
                "meshFailurePenaltyWeight", 0, "invalidMessageDeliveriesWeight", -100,
                "invalidMessageDeliveriesDecay", 0.9)));
        try (JsGossipPeer js = new JsGossipPeer(scored); RawGossipPeer raw = new RawGossipPeer()) {
            js.subscribe(TOPIC);
            raw.connect(js.peerId, js.address());
            raw.subscribe(TOPIC);
            Waits.until("js sees the raw peer subscribed", 30, () -> js.subscribers(TOPIC).contains(raw.peerId().toString()));

            Message good = TestMessages.message(raw.identity, TOPIC, utf8("good"), Tamper.NONE);
            raw.send(TestMessages.rpcOf(good));
            Waits.until("js delivers the correctly signed message", 30, () -> js.texts(TOPIC).contains("good"));
            JsonNode got = js.messages(TOPIC).get(0);
            assertEquals(raw.peerId().toString(), got.get("from").asText());
            assertEquals(HexFormat.of().formatHex(TestMessages.fromSeqnoId(good)), got.get("id").asText(),
                    "js's message id (configured from ‖ seqno) is the Java FROM_SEQNO id");

            double before = js.score(raw.peerId());
            raw.send(TestMessages.rpcOf(TestMessages.message(raw.identity, TOPIC, utf8("bad signature"), Tamper.SIGNATURE),
                    TestMessages.message(raw.identity, TOPIC, utf8("bad data"), Tamper.DATA)));
            // a marker after the tampered ones: once it is delivered, js has processed them too
            raw.send(TestMessages.rpcOf(TestMessages.message(raw.identity, TOPIC, utf8("marker"), Tamper.NONE)));
            Waits.until("js delivers the marker", 30, () -> js.texts(TOPIC).contains("marker"));
            Waits.until(() -> "js lowers the score of the sender of invalid messages (was " + before + ")", 30,
                    () -> js.score(raw.peerId()) < before - 100);
            assertEquals(List.of("good", "marker"), js.texts(TOPIC));
            assertFalse(js.texts(TOPIC).stream().anyMatch(t -> t.startsWith("bad")));
            assertTrue(js.score(raw.peerId()) < 0);
        }
    }
}

package io.hivemesh.pubsub.internal;

import static io.hivemesh.pubsub.internal.TestMessages.utf8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemesh.api.pubsub.PubSubMessage;
import io.hivemesh.api.pubsub.PublishResult;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The Java gossipsub against js-libp2p 3.3.11 + @libp2p/gossipsub 17.1.1 on loopback, both directions:
 * mesh membership, messages each way (up to the size limit), both message id forms, StrictNoSign,
 * unsubscribes, gossip (IHAVE/IWANT) outside the mesh, a js message relayed along a line of Java nodes,
 * and tampered messages rejected by each side. Every test builds its own small network (so a lowered score in one
 * cannot leak into another); every wait is a bounded poll of a condition.
 */
class GossipJsInteropIT {
    private static final String TOPIC = "interop-topic";
    private static final long WAIT_S = 30;

    private final List<AutoCloseable> closing = new ArrayList<>();

    private <T extends AutoCloseable> T track(T c) {
        closing.add(0, c);
        return c;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    /** js's P4 applies only to topics with explicit parameters: these make invalid messages visible in its score. */
    private static Map<String, Object> jsScoringInvalid(String topic) {
        return Map.of("scoreTopics", Map.of(topic, Map.of(
                "topicWeight", 1, "timeInMeshWeight", 0, "meshMessageDeliveriesWeight", 0,
                "meshFailurePenaltyWeight", 0, "invalidMessageDeliveriesWeight", -100,
                "invalidMessageDeliveriesDecay", 0.9)));
    }

    private static void awaitMesh(JsGossipPeer js, JavaNode j, String topic) throws Exception {
        Waits.until(() -> "js and " + j.peerId() + " in each other's mesh for " + topic, WAIT_S,
                () -> js.mesh(topic).contains(j.peerId().toString()) && j.pubsub.mesh(topic).contains(js.peerId));
    }

    @Test
    void jsAndJavaAreInEachOthersMesh() throws Exception {
        JsGossipPeer js = track(new JsGossipPeer());
        JavaNode j = track(new JavaNode());
        js.subscribe(TOPIC);
        j.subscribe(TOPIC);
        j.connect(js.peerId, js.address());
        awaitMesh(js, j, TOPIC);
        assertTrue(js.subscribers(TOPIC).contains(j.peerId().toString()));
        assertTrue(j.pubsub.peers(TOPIC).contains(js.peerId));
        assertTrue(j.pubsub.peers().contains(js.peerId));
    }

    @Test
    void messagesCrossBothWays() throws Exception {
        JsGossipPeer js = track(new JsGossipPeer());
        JavaNode j = track(new JavaNode());
        js.subscribe(TOPIC);
        j.subscribe(TOPIC);
        js.dial(j.fullAddress()); // this time js dials
        awaitMesh(js, j, TOPIC);

        PublishResult r = j.pubsub.publish(TOPIC, utf8("from java")).get(WAIT_S, TimeUnit.SECONDS);
        assertTrue(r.peers().contains(js.peerId), "sent to " + r.peers());
        Waits.until("js delivers the Java message", WAIT_S, () -> js.texts(TOPIC).contains("from java"));
        JsonNode got = js.messages(TOPIC).get(0);
        assertEquals(j.peerId().toString(), got.get("from").asText());
        assertEquals(j.peerId().toString(), got.get("receivedFrom").asText());
        assertEquals(HexFormat.of().formatHex(r.messageId()), got.get("id").asText(), "one message id function on both sides");

        assertTrue(js.publish(TOPIC, "from js").contains(j.peerId().toString()));
        PubSubMessage m = j.awaitMessage(TOPIC, "from js", WAIT_S);
        assertEquals(js.peerId, m.from().orElseThrow());
        assertEquals(js.peerId, m.receivedFrom());
        assertEquals("from js", new String(m.data(), StandardCharsets.UTF_8));
        assertTrue(m.seqno().isPresent());

        // a larger message (over js's 512-byte IDONTWANT threshold) crosses too
        String big = "x".repeat(4000);
        j.pubsub.publish(TOPIC, utf8(big)).get(WAIT_S, TimeUnit.SECONDS);
        Waits.until("js delivers the 4000-byte Java message", WAIT_S, () -> js.texts(TOPIC).contains(big));
        js.publish(TOPIC, big + "js");
        j.awaitMessage(TOPIC, big + "js", WAIT_S);
    }

    @Test
    void jsDefaultMessageIdsWorkWithPubkeySeqno() throws Exception {
        // js's own default id function (PublicKey protobuf ‖ seqno) against Java's PUBKEY_SEQNO
        JsGossipPeer js = track(new JsGossipPeer(Map.of("msgId", "pubkey-seqno")));
        JavaNode j = track(new JavaNode(GossipSettings.defaults().toBuilder()
                .messageIdFunction(MessageIdFunction.PUBKEY_SEQNO).emitSelf(false).build()));
        js.subscribe(TOPIC);
        j.subscribe(TOPIC);
        j.connect(js.peerId, js.address());
        awaitMesh(js, j, TOPIC);
        PublishResult r = j.pubsub.publish(TOPIC, utf8("keyed id")).get(WAIT_S, TimeUnit.SECONDS);
        byte[] id = r.messageId();
        assertEquals(44, id.length, "PublicKey protobuf (36 bytes for Ed25519) ‖ 8-byte seqno");
        Waits.until("js delivers the Java message", WAIT_S, () -> js.texts(TOPIC).contains("keyed id"));
        assertEquals(HexFormat.of().formatHex(id), js.messages(TOPIC).get(0).get("id").asText());
        js.publish(TOPIC, "keyed from js");
        PubSubMessage m = j.awaitMessage(TOPIC, "keyed from js", WAIT_S);
        assertEquals(44, m.id().length);
        assertTrue(HexFormat.of().formatHex(m.id()).startsWith("08011220"), "the id starts with the key protobuf");
    }

    @Test
    void strictNoSignTopicsCrossBothWays() throws Exception {
        // js's signature policy is global; the Java node makes just this topic StrictNoSign
        JsGossipPeer js = track(new JsGossipPeer(Map.of("signaturePolicy", "StrictNoSign")));
        JavaNode j = track(new JavaNode(GossipSettings.defaults().toBuilder()
                .messageIdFunction(MessageIdFunction.FROM_SEQNO).emitSelf(false).noSignTopics(Set.of(TOPIC)).build()));
        js.subscribe(TOPIC);
        j.subscribe(TOPIC);
        j.connect(js.peerId, js.address());
        awaitMesh(js, j, TOPIC);
        PublishResult r = j.pubsub.publish(TOPIC, utf8("unsigned from java")).get(WAIT_S, TimeUnit.SECONDS);
        Waits.until("js delivers the unsigned Java message", WAIT_S, () -> js.texts(TOPIC).contains("unsigned from java"));
        JsonNode got = js.messages(TOPIC).get(0);
        assertTrue(got.get("from").isNull(), "no author on a StrictNoSign message: " + got);
        assertEquals(HexFormat.of().formatHex(r.messageId()), got.get("id").asText(), "id = sha-256(data) on both sides");
        assertEquals(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(utf8("unsigned from java"))),
                got.get("id").asText());

        js.publish(TOPIC, "unsigned from js");
        PubSubMessage m = j.awaitMessage(TOPIC, "unsigned from js", WAIT_S);
        assertTrue(m.from().isEmpty() && m.seqno().isEmpty(), m.toString());
        assertEquals(js.peerId, m.receivedFrom());
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(utf8("unsigned from js")), m.id());
    }

    @Test
    void messagesUpToTheJavaLimitCrossAndLargerOnesFromJsAreDropped() throws Exception {
        JsGossipPeer js = track(new JsGossipPeer());
        JavaNode j = track(new JavaNode());
        js.subscribe(TOPIC);
        j.subscribe(TOPIC);
        j.connect(js.peerId, js.address());
        awaitMesh(js, j, TOPIC);
        int limit = j.pubsub.settings().maxMessageBytes();
        String nearLimit = "j".repeat(limit - 1024); // the encoded Message adds from, seqno, topic, signature, key
        j.pubsub.publish(TOPIC, utf8(nearLimit)).get(WAIT_S, TimeUnit.SECONDS);
        Waits.until("js delivers the Java message of " + nearLimit.length() + " bytes", WAIT_S,
                () -> js.texts(TOPIC).contains(nearLimit));
        String fromJs = "s".repeat(limit - 1024);
        js.publish(TOPIC, fromJs);
        j.awaitMessage(TOPIC, fromJs, WAIT_S);

        // over the Java limit (js itself allows up to its 4 MiB frame): dropped, and js stays a pubsub peer
        js.publish(TOPIC, "o".repeat(2 * limit));
        js.publish(TOPIC, "small after the large one");
        j.awaitMessage(TOPIC, "small after the large one", WAIT_S);
        assertEquals(2, j.texts(TOPIC).size(), "the oversized message was not delivered");
        assertTrue(j.pubsub.peers(TOPIC).contains(js.peerId));
    }

    @Test
    void unsubscribingLeavesTheOtherSidesMesh() throws Exception {
        JsGossipPeer js = track(new JsGossipPeer());
        JavaNode j = track(new JavaNode());
        js.subscribe(TOPIC);
        js.subscribe("other");
        j.subscribe(TOPIC);
        j.subscribe("other");
        j.connect(js.peerId, js.address());
        awaitMesh(js, j, TOPIC);
        awaitMesh(js, j, "other");

        js.unsubscribe(TOPIC);
        Waits.until("Java drops js from the topic's subscribers and mesh", WAIT_S,
                () -> !j.pubsub.peers(TOPIC).contains(js.peerId) && !j.pubsub.mesh(TOPIC).contains(js.peerId));
        j.unsubscribe("other");
        Waits.until("js drops the Java node from the other topic's subscribers and mesh", WAIT_S,
                () -> !js.subscribers("other").contains(j.peerId().toString()) && !js.mesh("other").contains(j.peerId().toString()));
        assertTrue(j.pubsub.peers().contains(js.peerId), "still pubsub peers");
        assertFalse(j.pubsub.topics().contains("other"));
    }

    @Test
    void aJsMessageReachesEveryNodeOfAJavaLine() throws Exception {
        JsGossipPeer js = track(new JsGossipPeer());
        JavaNode j1 = track(new JavaNode());
        JavaNode j2 = track(new JavaNode());
        JavaNode j3 = track(new JavaNode());
        for (JavaNode j : List.of(j1, j2, j3)) {
            j.subscribe(TOPIC);
        }
        js.subscribe(TOPIC);
        // js – j1 – j2 – j3
        j1.connect(js.peerId, js.address());
        j2.connect(j1);
        j3.connect(j2);
        awaitMesh(js, j1, TOPIC);
        Waits.until("the Java line's meshes", WAIT_S, () -> j1.pubsub.mesh(TOPIC).contains(j2.peerId())
                && j2.pubsub.mesh(TOPIC).containsAll(List.of(j1.peerId(), j3.peerId()))
                && j3.pubsub.mesh(TOPIC).contains(j2.peerId()));
        assertFalse(j2.connectedTo(js.peerId) || j3.connectedTo(js.peerId), "only j1 is connected to js");

        js.publish(TOPIC, "down the line");
        PubSubMessage at1 = j1.awaitMessage(TOPIC, "down the line", WAIT_S);
        PubSubMessage at2 = j2.awaitMessage(TOPIC, "down the line", WAIT_S);
        PubSubMessage at3 = j3.awaitMessage(TOPIC, "down the line", WAIT_S);
        assertEquals(js.peerId, at1.receivedFrom());
        assertEquals(j1.peerId(), at2.receivedFrom(), "j1 relayed");
        assertEquals(j2.peerId(), at3.receivedFrom(), "j2 relayed");
        for (PubSubMessage m : List.of(at1, at2, at3)) {
            assertEquals(js.peerId, m.from().orElseThrow());
        }

        // and back up: j3's message reaches js through j2 and j1
        j3.pubsub.publish(TOPIC, utf8("up the line")).get(WAIT_S, TimeUnit.SECONDS);
        Waits.until("js delivers j3's message", WAIT_S, () -> js.texts(TOPIC).contains("up the line"));
        JsonNode got = js.messages(TOPIC).stream().filter(n -> n.get("text").asText().equals("up the line")).findFirst().orElseThrow();
        assertEquals(j3.peerId().toString(), got.get("from").asText());
        assertEquals(j1.peerId().toString(), got.get("receivedFrom").asText());
    }

    /**
     * IHAVE/IWANT across the two implementations: raw – J – X – Y with X (js) and J (Java) subscribed but
     * kept out of each other's mesh by the 120 s backoff of X's unsubscribe-and-rejoin. A message Y
     * publishes reaches J only by X's gossip, and one the raw peer sends J reaches X only by J's gossip.
     */
    @Test
    void gossipCrossesBothWaysOutsideTheMesh() throws Exception {
        JsGossipPeer x = track(new JsGossipPeer(Map.of("unsubscribeBackoffMs", 120_000)));
        JsGossipPeer y = track(new JsGossipPeer());
        JavaNode j = track(new JavaNode());
        RawGossipPeer raw = track(new RawGossipPeer());
        x.subscribe(TOPIC);
        y.subscribe(TOPIC);
        j.subscribe(TOPIC);
        j.connect(x.peerId, x.address());
        y.dial(x.fullAddress());
        raw.connect(j.peerId(), j.address());
        raw.subscribe(TOPIC);
        raw.graft(TOPIC);
        awaitMesh(x, j, TOPIC);
        Waits.until("the raw peer in J's mesh", WAIT_S, () -> j.pubsub.mesh(TOPIC).contains(raw.peerId()));

        x.unsubscribe(TOPIC);
        Waits.until("J sees X leave the topic", WAIT_S, () -> !j.pubsub.peers(TOPIC).contains(x.peerId));
        x.subscribe(TOPIC);
        Waits.until("J sees X subscribed again", WAIT_S, () -> j.pubsub.peers(TOPIC).contains(x.peerId));
        String jId = j.peerId().toString();
        assertFalse(j.pubsub.mesh(TOPIC).contains(x.peerId), "J honours X's PRUNE backoff");
        assertFalse(x.mesh(TOPIC).contains(jId), "X keeps its own backoff");
        assertFalse(j.connectedTo(y.peerId), "J hears Y only through X");

        Waits.until("Y sees X subscribed again", WAIT_S, () -> y.subscribers(TOPIC).contains(x.peerId.toString()));
        assertTrue(y.publish(TOPIC, "gossiped to java").contains(x.peerId.toString()));
        Waits.until("X delivers Y's message", WAIT_S, () -> x.texts(TOPIC).contains("gossiped to java"));
        PubSubMessage m = j.awaitMessage(TOPIC, "gossiped to java", WAIT_S);
        assertEquals(x.peerId, m.receivedFrom());
        assertEquals(y.peerId, m.from().orElseThrow());
        assertFalse(x.mesh(TOPIC).contains(jId), "X sent it by IHAVE/IWANT, not by forwarding to its mesh");

        raw.send(TestMessages.rpcOf(TestMessages.message(raw.identity, TOPIC, utf8("gossiped to js"), TestMessages.Tamper.NONE)));
        Waits.until("X delivers the raw peer's message", WAIT_S, () -> x.texts(TOPIC).contains("gossiped to js"));
        JsonNode got = x.messages(TOPIC).stream().filter(n -> n.get("text").asText().equals("gossiped to js")).findFirst().orElseThrow();
        assertEquals(jId, got.get("receivedFrom").asText());
        assertEquals(raw.peerId().toString(), got.get("from").asText());
        assertFalse(j.pubsub.mesh(TOPIC).contains(x.peerId), "J sent it by IHAVE/IWANT, not by forwarding to its mesh");
    }

    @Test
    void jsRejectsAMessageTheJavaSideSignsWrongly() throws Exception {
        JsGossipPeer js = track(new JsGossipPeer(jsScoringInvalid(TOPIC)));
        JavaNode j = track(new JavaNode());
        js.subscribe(TOPIC);
        j.subscribe(TOPIC);
        j.connect(js.peerId, js.address());
        awaitMesh(js, j, TOPIC);
        j.pubsub.publish(TOPIC, utf8("honest")).get(WAIT_S, TimeUnit.SECONDS);
        Waits.until("js delivers the honest message", WAIT_S, () -> js.texts(TOPIC).contains("honest"));
        double before = js.score(j.peerId());

        // the node's own publications, signed wrongly through the test-only signing hook, on the node's own streams
        j.signing.tamperNext(2);
        j.pubsub.publish(TOPIC, utf8("tampered by java")).get(WAIT_S, TimeUnit.SECONDS);
        j.pubsub.publish(TOPIC, utf8("tampered again by java")).get(WAIT_S, TimeUnit.SECONDS);
        j.pubsub.publish(TOPIC, utf8("marker")).get(WAIT_S, TimeUnit.SECONDS);
        Waits.until("js delivers the marker sent after the tampered messages", WAIT_S, () -> js.texts(TOPIC).contains("marker"));
        Waits.until(() -> "js lowers the Java node's score (was " + before + ")", WAIT_S,
                () -> js.score(j.peerId()) < before - 100);
        assertEquals(List.of("honest", "marker"), js.texts(TOPIC), "js delivered no tampered message");
    }

    @Test
    void javaRejectsAMessageJsSignsWrongly() throws Exception {
        JsGossipPeer js = track(new JsGossipPeer());
        JavaNode j1 = track(new JavaNode());
        JavaNode j2 = track(new JavaNode());
        js.subscribe(TOPIC);
        j1.subscribe(TOPIC);
        j2.subscribe(TOPIC);
        j1.connect(js.peerId, js.address());
        j2.connect(j1);
        awaitMesh(js, j1, TOPIC);
        Waits.until("j1 and j2 meshed", WAIT_S, () -> j2.pubsub.mesh(TOPIC).contains(j1.peerId()));
        js.publish(TOPIC, "honest");
        j2.awaitMessage(TOPIC, "honest", WAIT_S);
        double before = j1.pubsub.score(js.peerId);

        JsonNode sent = js.publishTampered(TOPIC, "tampered by js", j1.peerId(), "signature");
        assertTrue(sent.get("sent").toString().contains(j1.peerId().toString()), sent.toString());
        js.publishTampered(TOPIC, "data changed by js", j1.peerId(), "data");
        // a correctly signed hand-built message after them: once it is through, the tampered ones were handled
        js.publishTampered(TOPIC, "marker", j1.peerId(), "none");
        j2.awaitMessage(TOPIC, "marker", WAIT_S);
        Waits.until(() -> "j1 lowers js's score (was " + before + ")", WAIT_S, () -> j1.pubsub.score(js.peerId) < before);
        for (JavaNode j : List.of(j1, j2)) {
            List<String> texts = j.texts(TOPIC);
            assertEquals(List.of("honest", "marker"), texts, j.peerId() + " delivered a tampered message (not forwarded either: j2 only hears through j1)");
        }
    }
}

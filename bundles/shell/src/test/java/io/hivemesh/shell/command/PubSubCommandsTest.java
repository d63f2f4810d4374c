package io.hivemesh.shell.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.api.pubsub.PubSubMessage;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PubSubCommandsTest {
    private static final PeerId A = PeerId.fromPublicKey(new PublicKey(KeyType.ED25519, new byte[32]));
    private static final PeerId B = PeerId.fromPublicKey(new PublicKey(KeyType.ED25519, filled(7)));

    private static byte[] filled(int v) {
        byte[] b = new byte[32];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    private final InMemoryPubSubForTests pubsub = new InMemoryPubSubForTests(A);
    private final PubSubCollector collector = new PubSubCollector(3, 2);

    /** Runs a command with System.out captured; returns what it printed. */
    private static String run(Supplier<Object> command) {
        PrintStream old = System.out;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        System.setOut(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        try {
            command.get();
        } finally {
            System.setOut(old);
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }

    private PubSubSubCommand sub(String topic) {
        PubSubSubCommand c = new PubSubSubCommand();
        c.pubsub = pubsub;
        c.collector = collector;
        c.topic = topic;
        return c;
    }

    private PubSubMsgsCommand msgs(String topic) {
        PubSubMsgsCommand c = new PubSubMsgsCommand();
        c.collector = collector;
        c.topic = topic;
        return c;
    }

    private PubSubPubCommand pub(String topic, String text) {
        PubSubPubCommand c = new PubSubPubCommand();
        c.pubsub = pubsub;
        c.topic = topic;
        c.text = text;
        return c;
    }

    private PubSubUnsubCommand unsub(String topic) {
        PubSubUnsubCommand c = new PubSubUnsubCommand();
        c.collector = collector;
        c.topic = topic;
        return c;
    }

    @Test
    void subscriptionsOutliveTheCommandAndKeepTheLastMessages() {
        assertTrue(run(sub("news")::execute).startsWith("subscribed to news"));
        assertTrue(run(sub("news")::execute).startsWith("already subscribed to news"));
        for (int i = 1; i <= 5; i++) {
            assertTrue(run(pub("news", "item " + i)::execute).contains("on news to 1 peers"));
        }
        PubSubCollector.Snapshot s = collector.messages("news");
        assertEquals(List.of("item 3", "item 4", "item 5"),
                s.messages().stream().map(m -> new String(m.data(), StandardCharsets.UTF_8)).toList());
        assertEquals(5, s.received());
        assertEquals(2, s.evicted());

        String out = run(msgs("news")::execute);
        assertTrue(out.contains(A.toString()), out);
        assertTrue(out.contains("item 5") && !out.contains("item 2"), out);
        assertTrue(out.contains("3 shown of 5 received on news (2 older evicted)"), out);
    }

    @Test
    void messagesOfATopicNotSubscribedNameTheCommandToRun() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> msgs("x").execute());
        assertEquals("not subscribed to x: pubsub:sub x first", e.getMessage());
        assertThrows(IllegalStateException.class, () -> unsub("x").execute());
    }

    @Test
    void unsubClosesTheSubscription() {
        run(sub("t")::execute);
        assertEquals(java.util.Set.of("t"), pubsub.topics());
        assertTrue(run(unsub("t")::execute).startsWith("unsubscribed from t"));
        assertTrue(pubsub.topics().isEmpty(), "the subscription was closed");
        assertThrows(IllegalStateException.class, () -> msgs("t").execute());
    }

    @Test
    void publishFailuresNameTopicAndReason() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pub("lonely", "hi").execute());
        assertTrue(e.getMessage().startsWith("publish on lonely failed (NO_PEERS)"), e.getMessage());
    }

    @Test
    void anEndedSubscriptionIsReportedAndReplacedBySubAgain() {
        run(sub("t")::execute);
        pubsub.stop();
        String out = run(msgs("t")::execute);
        assertTrue(out.contains("the subscription ended (pubsub restarted?): pubsub:sub t again"), out);
        assertTrue(run(sub("t")::execute).startsWith("subscribed to t"));
        run(pub("t", "after")::execute);
        assertEquals(1, collector.messages("t").messages().size());
    }

    @Test
    void topicsAreBoundedAndCloseAllClosesEverything() {
        run(sub("a")::execute);
        run(sub("b")::execute);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> sub("c").execute());
        assertTrue(e.getMessage().contains("already collecting 2 topics"), e.getMessage());
        collector.closeAll();
        assertTrue(pubsub.topics().isEmpty());
        assertFalse(collector.collecting("a"));
    }

    @Test
    void withoutPubsubTheCommandsSaySo() {
        PubSubSubCommand c = sub("t");
        c.pubsub = null;
        assertEquals(PubSubCommands.NO_PUBSUB, assertThrows(IllegalStateException.class, c::execute).getMessage());
        PubSubTopicsCommand topics = new PubSubTopicsCommand();
        assertEquals(PubSubCommands.NO_PUBSUB, assertThrows(IllegalStateException.class, topics::execute).getMessage());
    }

    @Test
    void topicsPeersAndMeshListWhatTheServiceReports() {
        run(sub("t")::execute);
        pubsub.peers.put("t", List.of(A, B));
        pubsub.mesh.put("t", List.of(B));
        PubSubTopicsCommand topics = new PubSubTopicsCommand();
        topics.pubsub = pubsub;
        topics.collector = collector;
        String out = run(topics::execute);
        assertTrue(out.matches("(?s).*t\\s+\\|\\s+2\\s+\\|\\s+1\\s+\\|\\s+yes.*"), out);

        PubSubMeshCommand mesh = new PubSubMeshCommand();
        mesh.pubsub = pubsub;
        mesh.topic = "t";
        out = run(mesh::execute);
        assertTrue(out.contains(B.toString()) && !out.contains(A.toString()) && out.contains("1.50"), out);
        mesh.topic = "other";
        assertTrue(assertThrows(IllegalStateException.class, mesh::execute).getMessage().startsWith("not subscribed to other"));

        PubSubPeersCommand peers = new PubSubPeersCommand();
        peers.pubsub = pubsub;
        peers.topic = "t";
        out = run(peers::execute);
        assertTrue(out.contains(A.toString()) && out.contains(B.toString()), out);
    }

    @Test
    void dataIsShownAsTextOrHex() {
        assertEquals("hello", PubSubCommands.text("hello".getBytes(StandardCharsets.UTF_8)));
        assertEquals("a.b", PubSubCommands.text("a\nb".getBytes(StandardCharsets.UTF_8)));
        assertEquals("0xff00", PubSubCommands.text(new byte[] {(byte) 0xff, 0}));
        String longText = PubSubCommands.text("x".repeat(500).getBytes(StandardCharsets.UTF_8));
        assertTrue(longText.startsWith("x".repeat(PubSubCommands.MAX_TEXT) + "…") && longText.endsWith("(500 bytes)"), longText);
    }

    @Test
    void relayedMessagesShowTheirSender() {
        run(sub("t")::execute);
        PubSubCollector.Snapshot s = collector.messages("t");
        PubSubMessage relayed = new PubSubMessage("t", new byte[] {'r'}, java.util.Optional.of(A),
                java.util.OptionalLong.of(-1), new byte[] {1}, B);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PubSubCommands.printMessages(new PubSubCollector.Snapshot("t", List.of(relayed), 1, 0, 0, false),
                new PrintStream(bytes, true, StandardCharsets.UTF_8));
        String out = bytes.toString(StandardCharsets.UTF_8);
        assertTrue(out.contains(B.toString()) && out.contains(Long.toUnsignedString(-1)), out);
        assertEquals(0, s.messages().size());
    }
}

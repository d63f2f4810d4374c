package io.hivemesh.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.function.Predicate;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three real nodes through scripts/hivemesh-node: nodes 2 and 3 know only node 1, as their
 * {@code bootstrap} in {@code etc/io.hivemesh.discovery.cfg}; they find it at start, and a message
 * published with {@code pubsub:pub} on node 3 reaches node 2 through node 1's gossipsub mesh, as the
 * operator sees it with {@code pubsub:msgs}. Every wait is a bounded poll.
 */
class PubSubNodesIT {
    /** A port range apart from NodeScriptIT's. */
    private static final NodeScript SCRIPT = new NodeScript(Path.of("target/pubsub-nodes"),
            Integer.getInteger("hivemesh.it.portBase", 24000) + 1000);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TOPIC = "it-hive";

    private static String peer1;

    @BeforeAll
    static void startNodesWithNodeOneAsBootstrap() throws Exception {
        NodeScript.Result one = node("start", 1);
        assertEquals(0, one.exit(), "start node 1: " + one.out());
        peer1 = peerId(1);
        String boot = "/ip4/127.0.0.1/tcp/" + SCRIPT.port(1, 4) + "/p2p/" + peer1;
        for (int n = 2; n <= 3; n++) {
            NodeScript.Result c = node("create", n);
            assertEquals(0, c.exit(), "create node " + n + ": " + c.out());
            Path cfg = SCRIPT.nodeDir(n).resolve("etc/io.hivemesh.discovery.cfg");
            assertTrue(Files.isRegularFile(cfg), "the distribution ships " + cfg.getFileName());
            Files.writeString(cfg, "\nbootstrap = " + boot + "\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            NodeScript.Result s = node("start", n);
            assertEquals(0, s.exit(), "start node " + n + ": " + s.out());
        }
    }

    @AfterAll
    static void destroyNodes() throws Exception {
        for (int n = 1; n <= 3; n++) {
            node("destroy", n);
        }
    }

    @Test
    void bootstrapConnectsAndAMessageCrossesTheMeshThroughTheRelay() throws Exception {
        for (int n = 2; n <= 3; n++) {
            int node = n;
            String peers = waitForOutput(n, "discovery:peers", out -> out.contains(peer1) && out.contains("BOOTSTRAP"),
                    "node " + node + " found node 1 through its bootstrap address");
            assertTrue(peers.contains(peer1), peers);
        }
        for (int n = 1; n <= 3; n++) {
            NodeScript.Result sub = node("exec", n, "pubsub:sub " + TOPIC);
            assertEquals(0, sub.exit(), sub.out());
            assertTrue(sub.out().contains(TOPIC), sub.out());
        }
        String peer2 = peerId(2);
        String peer3 = peerId(3);
        waitForOutput(1, "pubsub:mesh " + TOPIC, out -> out.contains(peer2) && out.contains(peer3),
                "node 1's mesh for " + TOPIC + " holds nodes 2 and 3");
        NodeScript.Result topics = node("exec", 2, "pubsub:topics");
        assertTrue(topics.out().contains(TOPIC), topics.out());

        NodeScript.Result pub = node("exec", 3, "pubsub:pub " + TOPIC + " hello-from-three");
        assertEquals(0, pub.exit(), pub.out());
        for (int n = 1; n <= 2; n++) {
            String msgs = waitForOutput(n, "pubsub:msgs " + TOPIC, out -> out.contains("hello-from-three"),
                    "node " + n + " received node 3's message");
            assertTrue(msgs.contains(peer3), "the author is node 3: " + msgs);
        }

        NodeScript.Result unsub = node("exec", 2, "pubsub:unsub " + TOPIC);
        assertEquals(0, unsub.exit(), unsub.out());
        waitForOutput(1, "pubsub:peers " + TOPIC, out -> !out.contains(peer2) && out.contains(peer3),
                "node 1 sees node 2 leave " + TOPIC);
    }

    @Test
    void publishingWithoutSubscribedPeersNamesTheProblem() throws Exception {
        NodeScript.Result pub = node("exec", 1, "pubsub:pub nobody-listens-here hello");
        assertTrue(pub.out().toLowerCase().contains("no peer"), pub.out());
    }

    private static String waitForOutput(int n, String command, Predicate<String> ok, String what) throws Exception {
        return SCRIPT.await(n, command, ok, what, WAIT);
    }

    private static String peerId(int n) throws Exception {
        return SCRIPT.peerId(n);
    }

    private static NodeScript.Result node(String command, int n, String... args) throws Exception {
        return SCRIPT.run(command, n, args);
    }
}

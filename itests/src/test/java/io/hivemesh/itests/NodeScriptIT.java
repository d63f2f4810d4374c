package io.hivemesh.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Three real nodes side by side through scripts/hivemesh-node, each with its own data directory
 * and ports; a node's PeerId survives a full restart.
 */
class NodeScriptIT {
    private static final Path NODES = Path.of("target/nodes").toAbsolutePath();
    /** A port range of its own, apart from the defaults a developer's nodes use (-Dhivemesh.it.portBase). */
    private static final int PORT_BASE = Integer.getInteger("hivemesh.it.portBase", 24000);
    private static final NodeScript SCRIPT = new NodeScript(NODES, PORT_BASE);

    @BeforeAll
    static void startThreeNodes() throws Exception {
        for (int n = 1; n <= 3; n++) {
            NodeScript.Result r = node("start", n);
            assertEquals(0, r.exit(), "start node " + n + ": " + r.out());
        }
    }

    @AfterAll
    static void destroyNodes() throws Exception {
        for (int n = 1; n <= 3; n++) {
            node("destroy", n);
        }
    }

    @Test
    void threeNodesRunSideBySideWithTheirOwnIdentityAndPorts() throws Exception {
        Set<String> peers = new HashSet<>();
        for (int n = 1; n <= 3; n++) {
            String peer = peerId(n);
            peers.add(peer);
            assertTrue(Files.isRegularFile(NODES.resolve("node" + n + "/data/hivemesh/identity/node.key")),
                    "node " + n + " keeps its key in its own data directory");
            assertTrue(listening(PORT_BASE + 10 * n), "node " + n + " SSH port");
            assertTrue(node("status", n).out().startsWith("running pid"));
        }
        assertEquals(3, peers.size(), "three distinct PeerIds: " + peers);
    }

    @Test
    void peerIdIsUnchangedAfterARestartWithTheSameDataDirectory() throws Exception {
        String before = peerId(2);
        NodeScript.Result stop = node("stop", 2);
        assertEquals(0, stop.exit(), stop.out());
        assertEquals("stopped", node("status", 2).out().trim());
        NodeScript.Result start = node("start", 2);
        assertEquals(0, start.exit(), start.out());
        assertEquals(before, peerId(2));
        assertNotEquals(before, peerId(1));
    }

    @Test
    void nodesDialPingListAndDisconnectEachOtherOverLibp2p() throws Exception {
        String peer3 = peerId(3);
        String addr3 = "/ip4/127.0.0.1/tcp/" + (PORT_BASE + 10 * 3 + 4) + "/p2p/" + peer3;
        NodeScript.Result dial = node("exec", 1, "mesh:dial " + addr3);
        assertEquals(0, dial.exit(), dial.out());
        assertTrue(dial.out().contains("Connected to " + peer3), dial.out());
        NodeScript.Result ping = node("exec", 1, "mesh:ping -c 2 " + peer3);
        assertEquals(0, ping.exit(), ping.out());
        assertTrue(Pattern.compile("ping 2 " + peer3 + ": [0-9.]+ ms").matcher(ping.out()).find(), ping.out());
        NodeScript.Result peers = node("exec", 3, "mesh:peers");
        assertTrue(peers.out().contains(peerId(1)), "node 3 lists node 1: " + peers.out());
        NodeScript.Result bye = node("exec", 1, "mesh:disconnect " + peer3);
        assertEquals(0, bye.exit(), bye.out());
        assertTrue(bye.out().contains("Closed 1 connection(s)"), bye.out());
    }

    @Test
    void anUnknownCommandFailsWithTheShellsError() throws Exception {
        NodeScript.Result r = node("exec", 1, "mesh:no-such-command");
        assertNotEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("not found"), r.out());
    }

    private static String peerId(int n) throws Exception {
        return SCRIPT.peerId(n);
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 2000);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    static NodeScript.Result node(String command, int n, String... args) throws Exception {
        return SCRIPT.run(command, n, args);
    }
}

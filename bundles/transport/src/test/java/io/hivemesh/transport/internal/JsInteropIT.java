package io.hivemesh.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.Stream;
import io.hivemesh.api.peer.PeerId;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * Interop with js-libp2p (versions pinned in src/test/js-peer/package.json): both dial directions,
 * ping, identify, an echo protocol on both sides, 64 MiB each way with SHA-256, and a connection
 * kept open past js's periodic pings. Never skipped: a missing Node or npm fails the test.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class JsInteropIT {
    static final String ECHO = HostLoopbackTest.ECHO;
    static final int BIG = 64 * 1024 * 1024;
    static JsPeer js;
    static Libp2pHost java;
    static PeerId jsId;

    @BeforeAll
    static void start() throws Exception {
        js = new JsPeer();
        jsId = PeerId.parse(js.peerId);
        java = HostLoopbackTest.host();
        java.addStreamHandler(ECHO, HostLoopbackTest.ECHO_HANDLER);
    }

    @AfterAll
    static void stop() throws Exception {
        if (js != null) {
            js.close();
        }
        if (java != null) {
            java.stop();
        }
    }

    String javaAddr() {
        return java.listenAddresses().get(0).encapsulate("/p2p/" + java.peerId()).toString();
    }

    @Test
    @Order(1)
    void javaDialsJsPingsAndBothSidesIdentify() throws Exception {
        Connection c = java.connect(Multiaddr.parse(js.address)).get(20, TimeUnit.SECONDS);
        assertEquals(jsId, c.remotePeer());
        assertTrue(java.ping(jsId).get(10, TimeUnit.SECONDS).toNanos() > 0);
        HostLoopbackTest.waitFor(() -> java.peerStore().protocols(jsId).contains(ECHO));
        assertTrue(java.peerStore().protocols(jsId).contains("/ipfs/ping/1.0.0"));
        assertTrue(java.agentVersion(jsId).startsWith("js-libp2p"), java.agentVersion(jsId));
        JsonNode info = awaitJsKnows(java.peerId().toString());
        assertEquals("hivemesh/test", info.get("agent").asText());
        assertTrue(info.get("protocols").toString().contains(ECHO), info.toString());
        assertTrue(info.get("protocols").toString().contains("/ipfs/ping/1.0.0"), info.toString());
    }

    private JsonNode awaitJsKnows(String peer) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                JsonNode info = js.call("peerInfo", Map.of("peer", peer), 10);
                if (!info.get("agent").isNull()) {
                    return info;
                }
            } catch (AssertionError notYet) {
                if (System.nanoTime() > end) {
                    throw notYet;
                }
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("js never identified " + peer);
            }
            Thread.sleep(50);
        }
    }

    @Test
    @Order(2)
    void jsDialsJavaAndPingsIt() throws Exception {
        java.disconnect(jsId).get(10, TimeUnit.SECONDS);
        HostLoopbackTest.waitFor(() -> java.connections().isEmpty());
        HostLoopbackTest.waitFor(() -> {
            try {
                return !js.call("connections", Map.of(), 10).toString().contains(java.peerId().toString());
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        JsonNode r = js.call("dial", Map.of("addr", javaAddr()), 20);
        assertEquals(java.peerId().toString(), r.get("peer").asText());
        JsonNode ping = js.call("ping", Map.of("addr", javaAddr()), 20);
        assertTrue(ping.get("rtt").asDouble() >= 0);
        assertEquals(1, java.connections().size());
        assertTrue(!java.connections().get(0).isOutbound(), "the connection is js's: inbound here");
        Stream s = java.newStream(jsId, List.of(ECHO)).get(10, TimeUnit.SECONDS);
        s.write(ByteBuffer.wrap(new byte[] {9, 8, 7})).get(10, TimeUnit.SECONDS);
        assertEquals(3, s.read().get(10, TimeUnit.SECONDS).orElseThrow().remaining());
        s.close();
    }

    @Test
    @Order(3)
    void javaSends64MiBThroughJsEcho() throws Exception {
        Stream s = java.newStream(jsId, List.of(ECHO)).get(20, TimeUnit.SECONDS);
        byte[] data = new byte[BIG];
        new Random(7).nextBytes(data);
        CompletableFuture<byte[]> back = Streams.readAll(s, BIG);
        for (int off = 0; off < BIG; off += 1 << 20) {
            s.write(ByteBuffer.wrap(data, off, 1 << 20)).get(30, TimeUnit.SECONDS);
        }
        s.closeWrite().get(10, TimeUnit.SECONDS);
        byte[] echoed = back.get(120, TimeUnit.SECONDS);
        assertEquals(BIG, echoed.length);
        assertEquals(sha256(data), sha256(echoed));
    }

    @Test
    @Order(4)
    void jsSends64MiBThroughJavaEcho() throws Exception {
        JsonNode r = js.call("transfer", Map.of("peer", java.peerId().toString(), "protocol", ECHO, "bytes", BIG,
                "seed", 42), 180);
        assertEquals(BIG, r.get("receivedBytes").asInt());
        assertEquals(r.get("sent").asText(), r.get("received").asText());
    }

    @Test
    @Order(5)
    void connectionSurvivesJsPeriodicPingsFor45Seconds() throws Exception {
        java.disconnect(jsId).get(10, TimeUnit.SECONDS);
        HostLoopbackTest.waitFor(() -> java.connections().isEmpty());
        Connection c = java.connect(Multiaddr.parse(js.address)).get(20, TimeUnit.SECONDS);
        Thread.sleep(45_000);
        assertTrue(c.isOpen(), "connection closed during 45 s idle");
        assertEquals(1, java.connections().size());
        assertSame(c, java.connections().get(0));
        JsonNode conns = js.call("connections", Map.of(), 10);
        assertTrue(conns.toString().contains(java.peerId().toString()), conns.toString());
        assertTrue(java.ping(jsId).get(10, TimeUnit.SECONDS).toNanos() > 0);
    }

    static String sha256(byte[] b) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
    }
}

package io.hivemesh.transport.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.Stream;
import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two Java hosts over loopback: the whole stack (TCP, multistream, Noise, yamux, identify, ping). */
class HostLoopbackTest {
    static final String ECHO = "/hivemesh/test/echo/1.0.0";
    private Libp2pHost a;
    private Libp2pHost b;

    static HostConfig config() {
        return HostConfig.defaults(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))).withPerf(true);
    }

    static Libp2pHost host() {
        return host(config());
    }

    static Libp2pHost host(HostConfig c) {
        Libp2pHost h = new Libp2pHost(new TestIdentity(), c);
        h.start();
        return h;
    }

    /** Echoes every chunk back (a raw byte-stream protocol), then half-closes at end of stream. */
    static final Consumer<Stream> ECHO_HANDLER = new Consumer<>() {
        @Override
        public void accept(Stream s) {
            s.read().whenComplete((chunk, e) -> {
                if (e != null) {
                    return;
                }
                if (chunk.isEmpty()) {
                    s.close();
                    return;
                }
                s.write(chunk.get()).thenRun(() -> accept(s));
            });
        }
    };

    @BeforeEach
    void start() {
        a = host();
        b = host();
        b.addStreamHandler(ECHO, ECHO_HANDLER);
    }

    @AfterEach
    void stop() {
        a.stop();
        b.stop();
    }

    Multiaddr addrOf(Libp2pHost h) {
        return h.listenAddresses().get(0).encapsulate("/p2p/" + h.peerId());
    }

    @Test
    void dialsPingsAndIdentifies() throws Exception {
        Connection c = a.connect(addrOf(b)).get(10, TimeUnit.SECONDS);
        assertEquals(b.peerId(), c.remotePeer());
        assertTrue(c.isOutbound());
        Duration rtt = a.ping(b.peerId()).get(10, TimeUnit.SECONDS);
        assertTrue(rtt.toNanos() > 0);
        assertTrue(a.peerStore().latency(b.peerId()).isPresent());
        waitFor(() -> a.peerStore().protocols(b.peerId()).contains(ECHO));
        assertEquals("hivemesh/test", a.agentVersion(b.peerId()));
        assertTrue(a.peerStore().addresses(b.peerId()).contains(b.listenAddresses().get(0)));
        waitFor(() -> b.peerStore().protocols(a.peerId()).contains(Libp2pHost.PING));
    }

    @Test
    void echoesEightMebibytesWithMatchingDigest() throws Exception {
        a.connect(addrOf(b)).get(10, TimeUnit.SECONDS);
        Stream s = a.newStream(b.peerId(), List.of("/not/served", ECHO)).get(10, TimeUnit.SECONDS);
        assertEquals(ECHO, s.protocol());
        byte[] data = new byte[8 * 1024 * 1024];
        new Random(1).nextBytes(data);
        CompletableFuture<byte[]> echoed = Streams.readAll(s, data.length);
        for (int off = 0; off < data.length; off += 1 << 20) {
            s.write(ByteBuffer.wrap(data, off, 1 << 20)).get(10, TimeUnit.SECONDS);
        }
        s.closeWrite().get(10, TimeUnit.SECONDS);
        byte[] back = echoed.get(30, TimeUnit.SECONDS);
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(data),
                MessageDigest.getInstance("SHA-256").digest(back));
    }

    @Test
    void requestResponseCarriesMessagesOfEverySizeIntact() throws Exception {
        String proto = "/hivemesh/test/rr/1.0.0";
        b.addRequestHandler(proto, (from, req) -> {
            byte[] resp = new byte[req.length + 1];
            System.arraycopy(req, 0, resp, 1, req.length);
            resp[0] = 42;
            return CompletableFuture.completedFuture(resp);
        }, io.hivemesh.api.net.ProtocolLimits.defaults());
        a.connect(addrOf(b)).get(10, TimeUnit.SECONDS);
        Random r = new Random(7);
        List<CompletableFuture<Void>> calls = new java.util.ArrayList<>();
        for (int i = 0; i < 60; i++) {
            byte[] req = new byte[i < 5 ? i : r.nextInt(600_000)];
            r.nextBytes(req);
            calls.add(a.requestResponse().request(b.peerId(), List.of(proto), req, Duration.ofSeconds(30))
                    .thenAccept(resp -> {
                        assertEquals(req.length + 1, resp.length);
                        assertEquals(42, resp[0]);
                        assertArrayEquals(req, java.util.Arrays.copyOfRange(resp, 1, resp.length));
                    }));
        }
        for (CompletableFuture<Void> c : calls) {
            c.get(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void perfProtocolMovesTheRequestedBytesBothWays() throws Exception {
        a.connect(addrOf(b)).get(10, TimeUnit.SECONDS);
        io.hivemesh.api.net.PerfResult r = a.perf(b.peerId(), 3 * 1024 * 1024 + 5, 5 * 1024 * 1024 + 7)
                .get(30, TimeUnit.SECONDS);
        assertEquals(3 * 1024 * 1024 + 5, r.uploaded());
        assertEquals(5 * 1024 * 1024 + 7, r.downloaded());
        assertTrue(r.upload().toNanos() > 0 && r.download().toNanos() > 0, r.toString());
        assertTrue(r.total().compareTo(r.upload().plus(r.download())) >= 0, r.toString());
        assertTrue(r.uploadMiBps() > 0 && r.downloadMiBps() > 0, r.toString());
    }

    @Test
    void unregisteredProtocolGetsNaAndLeavesIdentify() throws Exception {
        a.connect(addrOf(b)).get(10, TimeUnit.SECONDS);
        waitFor(() -> a.peerStore().protocols(b.peerId()).contains(ECHO));
        b.removeHandler(ECHO, ECHO_HANDLER);
        waitFor(() -> !a.peerStore().protocols(b.peerId()).contains(ECHO));
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> a.newStream(b.peerId(), List.of(ECHO)).get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("supports none"), e.getCause().getMessage());
        assertTrue(a.ping(b.peerId()).get(10, TimeUnit.SECONDS).toNanos() > 0, "connection survives the na");
    }

    @Test
    void wrongPeerIdInAddressFailsTheDial() {
        Multiaddr wrong = b.listenAddresses().get(0).encapsulate("/p2p/" + new TestIdentity().peerId());
        ExecutionException e = assertThrows(ExecutionException.class, () -> a.connect(wrong).get(10, TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("dialed address names"), e.getCause().getMessage());
        assertTrue(a.connections().isEmpty());
    }

    @Test
    void disconnectClosesAndNewStreamRedials() throws Exception {
        a.connect(addrOf(b)).get(10, TimeUnit.SECONDS);
        a.disconnect(b.peerId()).get(10, TimeUnit.SECONDS);
        waitFor(() -> a.connections().isEmpty());
        Stream s = a.newStream(b.peerId(), List.of(ECHO)).get(10, TimeUnit.SECONDS);
        s.write(ByteBuffer.wrap(new byte[] {1, 2, 3})).get(10, TimeUnit.SECONDS);
        Optional<ByteBuffer> r = s.read().get(10, TimeUnit.SECONDS);
        assertEquals(3, r.orElseThrow().remaining());
        assertFalse(a.connections().isEmpty());
    }

    @Test
    void idleConnectionIsClosedAfterTheIdleTimeout() throws Exception {
        Libp2pHost quick = host(config().withIdleTimeout(Duration.ofSeconds(1)));
        try {
            Connection c = quick.connect(addrOf(b)).get(10, TimeUnit.SECONDS);
            waitFor(() -> !c.isOpen());
            assertTrue(quick.connections().isEmpty());
        } finally {
            quick.stop();
        }
    }

    /** Garbage instead of multistream closes that connection only; the host keeps serving others. */
    @Test
    void malformedPeerLosesItsConnectionAndTheHostServesOthers() throws Exception {
        java.net.InetSocketAddress at = HostAddresses.toSocketAddress(b.listenAddresses().get(0));
        try (java.net.Socket raw = new java.net.Socket(at.getAddress(), at.getPort())) {
            raw.setSoTimeout(10_000);
            raw.getOutputStream().write(new byte[] {(byte) 0xff, (byte) 0xff, (byte) 0xff, 0x7f, 'x'});
            raw.getOutputStream().flush();
            assertEquals(-1, raw.getInputStream().read(), "the host closed the connection");
        }
        try (java.net.Socket raw = new java.net.Socket(at.getAddress(), at.getPort())) {
            raw.setSoTimeout(10_000);
            byte[] header = {19, '/', 'm', 'u', 'l', 't', 'i', 's', 't', 'r', 'e', 'a', 'm', '/', '1', '.', '0', '.', '0', '\n'};
            raw.getOutputStream().write(header);
            raw.getOutputStream().write(new byte[] {7, '/', 'n', 'o', 'i', 's', 'e', '\n'});
            raw.getOutputStream().write(new byte[] {0, 4, 1, 2, 3, 4});
            raw.getOutputStream().flush();
            byte[] buf = new byte[256];
            int n;
            while ((n = raw.getInputStream().read(buf)) >= 0) {
                assertTrue(n >= 0);
            }
        }
        assertTrue(a.ping(b.peerId()).handle((d, e) -> e).get(10, TimeUnit.SECONDS) != null,
                "no address known yet: the ping must fail cleanly");
        a.connect(addrOf(b)).get(10, TimeUnit.SECONDS);
        assertTrue(a.ping(b.peerId()).get(10, TimeUnit.SECONDS).toNanos() > 0);
    }

    @Test
    void yamuxPingMeasuresTheRoundTrip() throws Exception {
        Connection c = a.connect(addrOf(b)).get(10, TimeUnit.SECONDS);
        long rtt = ((HostConnection) c).session.ping().get(10, TimeUnit.SECONDS);
        assertTrue(rtt > 0 && rtt < TimeUnit.SECONDS.toNanos(10), "round trip " + rtt + " ns");
    }

    @Test
    void inboundConnectionsBeyondMaxConnectionsAreRefused() throws Exception {
        ResourceScopes.Config d = ResourceScopes.Config.defaults(256L << 20);
        Libp2pHost small = host(config().withLimits(new ResourceScopes.Config(
                new ResourceScopes.Limits(d.system().memory(), 1, 512, 8192, 8192), d.transientScope(), d.peer(),
                d.connection(), d.stream(), d.inboundPerIp(), d.transientPerIp(), d.connectionBuffer(), d.protocolCap())));
        try {
            a.connect(addrOf(small)).get(10, TimeUnit.SECONDS);
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> b.connect(addrOf(small)).get(10, TimeUnit.SECONDS));
            assertTrue(e.getCause().getMessage().contains("cannot dial"), e.getCause().getMessage());
            assertTrue(a.ping(small.peerId()).get(10, TimeUnit.SECONDS).toNanos() > 0, "the first one still works");
        } finally {
            small.stop();
        }
    }

    static void waitFor(java.util.function.BooleanSupplier cond) throws InterruptedException {
        waitFor(cond, Duration.ofSeconds(10));
    }

    static void waitFor(java.util.function.BooleanSupplier cond, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("condition not met within " + limit);
            }
            Thread.sleep(20);
        }
    }
}

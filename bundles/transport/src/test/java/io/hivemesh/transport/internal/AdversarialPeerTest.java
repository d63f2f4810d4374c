package io.hivemesh.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.MessageStream;
import io.hivemesh.api.net.ProtocolLimits;
import io.hivemesh.api.net.ScopeUsage;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * One test per attack class against a real node (a {@link Libp2pHost} on loopback with small,
 * explicit limits): each asserts that the attacker loses its stream or connection, that the node's
 * accounted memory stays within its limits (and returns to where it was), and that an honest peer
 * on another loopback address is still served. Attackers connect from 127.0.0.2.
 */
class AdversarialPeerTest {
    static final String SILENT = "/hivemesh/test/silent/1.0.0";
    static final String ECHO = "/hivemesh/test/echo-messages/1.0.0";
    static final long SYSTEM_MEMORY = 24L << 20;
    static final long PEER_MEMORY = 8L << 20;
    static InetAddress attackerIp;

    Libp2pHost node;
    Libp2pHost honest;
    final List<MessageStream> held = new ArrayList<>();

    static ResourceScopes.Config limits() {
        ResourceScopes.Config d = ResourceScopes.Config.defaults(256L << 20);
        return new ResourceScopes.Config(
                new ResourceScopes.Limits(SYSTEM_MEMORY, 64, 64, 1024, 1024),
                new ResourceScopes.Limits(4L << 20, 16, 16, 64, 64),
                new ResourceScopes.Limits(PEER_MEMORY, 4, 4, 64, 64),
                new ResourceScopes.Limits(PEER_MEMORY, 1, 1, 48, 48),
                d.stream(), 8, 4, d.connectionBuffer(), d.protocolCap());
    }

    @BeforeEach
    void start() throws Exception {
        attackerIp = InetAddress.getByName("127.0.0.2");
        HostConfig c = HostConfig.defaults(List.of(Multiaddr.parse("/ip4/0.0.0.0/tcp/0"))).withLimits(limits());
        node = new Libp2pHost(new TestIdentity(), new HostConfig(c.listen(), c.dialTimeout(), Duration.ofSeconds(2),
                c.maxWindow(), c.idleTimeout(), 2, false, limits(), null));
        node.start();
        // a protocol that never reads its streams (the handler keeps them), and one that echoes messages
        node.addHandler(SILENT, held::add, new ProtocolLimits(1024 * 1024, Duration.ofSeconds(3), Duration.ZERO, 64, 64,
                256, 2, 64));
        node.addHandler(ECHO, AdversarialPeerTest::echo, ProtocolLimits.defaults());
        honest = HostLoopbackTest.host();
        int port = HostAddresses.toSocketAddress(node.listenAddresses().get(0)).getPort();
        honest.connect(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port + "/p2p/" + node.peerId())).get(10, TimeUnit.SECONDS);
    }

    @AfterEach
    void stop() {
        honest.stop();
        node.stop();
    }

    static void echo(MessageStream s) {
        s.read().whenComplete((m, e) -> {
            if (e != null) {
                return;
            }
            if (m.isEmpty()) {
                s.close();
                return;
            }
            s.write(m.get()).thenRun(() -> echo(s));
        });
    }

    /** The honest peer is served: a ping and a message round trip. */
    void honestPeerIsServed() throws Exception {
        assertTrue(honest.ping(node.peerId()).get(10, TimeUnit.SECONDS).toNanos() > 0);
        MessageStream s = honest.newMessageStream(node.peerId(), List.of(ECHO)).get(10, TimeUnit.SECONDS);
        s.write(ByteBuffer.wrap("still here".getBytes())).get(10, TimeUnit.SECONDS);
        assertEquals("still here", new String(s.read().get(10, TimeUnit.SECONDS).orElseThrow().array()));
        s.close();
    }

    void memoryWithinLimits() {
        ScopeUsage sys = node.resources().system();
        assertTrue(sys.memory() <= SYSTEM_MEMORY, "system memory " + sys.memory() + " over " + SYSTEM_MEMORY);
        node.resources().usage().stream().filter(u -> u.scope().startsWith("peer:"))
                .forEach(u -> assertTrue(u.memory() <= PEER_MEMORY, u.scope() + " holds " + u.memory()));
    }

    /** After the attacker is gone, its resources are released (only the honest connection remains). */
    void attackerResourcesReleased(long baseline) throws Exception {
        HostLoopbackTest.waitFor(() -> node.resources().system().memory() <= baseline
                && node.resources().transientUsage().inboundConnections() == 0);
    }

    long baseline() {
        return node.resources().system().memory();
    }

    @Test
    void handshakeFloodAndSlowlorisAreBoundedPerIpAndTimedOut() throws Exception {
        InetSocketAddress at = HostAddresses.toSocketAddress(node.listenAddresses().get(0));
        List<Socket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < 30; i++) {
                Socket s = new Socket();
                s.bind(new InetSocketAddress(attackerIp, 0));
                s.connect(new InetSocketAddress("127.0.0.1", at.getPort()), 5000);
                s.setSoTimeout(10_000);
                // stall mid-multistream: a header, nothing after it
                s.getOutputStream().write(new byte[] {19});
                sockets.add(s);
            }
            HostLoopbackTest.waitFor(() -> node.resources().transientUsage().inboundConnections() <= 4);
            assertTrue(node.resources().transientUsage().inboundConnections() <= 4,
                    "at most handshakes_per_ip handshakes from the attacker's IP at once");
            memoryWithinLimits();
            honestPeerIsServed();
            // slowloris: every stalled handshake is closed by the upgrade deadline
            for (Socket s : sockets) {
                InputStream in = s.getInputStream();
                try {
                    while (in.read() >= 0) {
                        // the node may answer the multistream header before it gives up
                    }
                } catch (java.net.SocketException reset) {
                    // closed by the node: what we wait for
                }
            }
            HostLoopbackTest.waitFor(() -> node.resources().transientUsage().inboundConnections() == 0);
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
        }
        honestPeerIsServed();
    }

    @Test
    void tinyFramesOnAnUnreadStreamCostTheWindowAndThenTheConnection() throws Exception {
        long base = baseline();
        try (Attacker a = Attacker.connect(node, attackerIp)) {
            a.openStream(1, SILENT);
            HostLoopbackTest.waitFor(() -> held.size() == 1);
            YamuxStream raw = ((FramedStream) held.get(0)).raw();
            // fewer frames than the tiny-frame sample: buffered in the stream's one buffer, charged its window
            ByteBuf frames = Unpooled.buffer();
            for (int i = 0; i < 50_000; i++) {
                YamuxFrame.writeHeader(frames, YamuxFrame.TYPE_DATA, 0, 1, 1);
                frames.writeByte(i);
            }
            a.send(frames);
            HostLoopbackTest.waitFor(() -> raw.inbound.size() >= 50_000, Duration.ofSeconds(60));
            memoryWithinLimits();
            assertTrue(raw.scope.reserved() <= 2L * ReceiveWindow.INITIAL, "the stream holds its window, "
                    + raw.scope.reserved() + " bytes reserved");
            // a whole sample of one-byte frames: a flood of headers, and the connection is closed for it
            ByteBuf more = Unpooled.buffer();
            for (int i = 0; i < YamuxSession.TINY_FRAME_SAMPLE; i++) {
                YamuxFrame.writeHeader(more, YamuxFrame.TYPE_DATA, 0, 1, 1);
                more.writeByte(i);
            }
            a.send(more);
            HostLoopbackTest.waitFor(() -> !a.isOpen(), Duration.ofSeconds(60));
            assertTrue(raw.inbound.size() <= ReceiveWindow.INITIAL);
        }
        attackerResourcesReleased(base);
        honestPeerIsServed();
    }

    @Test
    void dataBeyondTheWindowClosesTheConnectionBeforeTheBody() throws Exception {
        long base = baseline();
        try (Attacker a = Attacker.connect(node, attackerIp)) {
            a.openStream(1, SILENT);
            HostLoopbackTest.waitFor(() -> held.size() == 1);
            a.send(Attacker.header(YamuxFrame.TYPE_DATA, 0, 1, 8L << 20));
            HostLoopbackTest.waitFor(() -> !a.isOpen());
            assertTrue(a.frames().stream().anyMatch(f -> f.type() == YamuxFrame.TYPE_GO_AWAY
                    && f.length() == YamuxFrame.GO_AWAY_PROTOCOL_ERROR), "go-away with a protocol error");
        }
        attackerResourcesReleased(base);
        honestPeerIsServed();
    }

    @Test
    void pingFloodFromAPeerThatNeverReadsIsBounded() throws Exception {
        long base = baseline();
        try (Attacker a = Attacker.connect(node, attackerIp, 4096)) {
            a.stopReading();
            HostLoopbackTest.waitFor(() -> node.connections().stream().anyMatch(c -> c.remotePeer().equals(a.id)));
            HostConnection victim = (HostConnection) node.connections().stream()
                    .filter(c -> c.remotePeer().equals(a.id)).findFirst().orElseThrow();
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            int sent = 0;
            while (System.nanoTime() < end && a.isOpen() && sent < 2000 && victim.channel().config().isAutoRead()) {
                if (!a.channel.isWritable()) {
                    Thread.sleep(5);
                    continue;
                }
                ByteBuf pings = Unpooled.buffer();
                for (int i = 0; i < 4096; i++) {
                    YamuxFrame.writeHeader(pings, YamuxFrame.TYPE_PING, YamuxFrame.FLAG_SYN, 0, i);
                }
                a.channel.writeAndFlush(pings);
                sent++;
            }
            HostLoopbackTest.waitFor(() -> !victim.channel().config().isAutoRead());
            memoryWithinLimits();
            honestPeerIsServed();
        }
        attackerResourcesReleased(base);
    }

    @Test
    void streamFloodIsResetBeyondTheLimitsAndHalfNegotiatedStreamsTimeOut() throws Exception {
        long base = baseline();
        try (Attacker a = Attacker.connect(node, attackerIp)) {
            ByteBuf syns = Unpooled.buffer();
            for (int id = 1; id < 2 * 500; id += 2) {
                // half-negotiated: SYN and nothing else
                YamuxFrame.writeHeader(syns, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, id, 0);
            }
            a.send(syns);
            HostLoopbackTest.waitFor(() -> a.count(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_RST) >= 400);
            ScopeUsage peer = node.resources().peer(a.id).orElseThrow();
            assertTrue(peer.inboundStreams() <= 48, "streams admitted: " + peer.inboundStreams());
            memoryWithinLimits();
            honestPeerIsServed();
            // the admitted ones never negotiate: the negotiation deadline resets them
            HostLoopbackTest.waitFor(() -> node.resources().peer(a.id).map(ScopeUsage::inboundStreams).orElse(0) == 0,
                    Duration.ofSeconds(20));
            assertTrue(a.isOpen(), "the connection survives; only its streams were reset");
        }
        attackerResourcesReleased(base);
    }

    @Test
    void partialMessagesAreBoundedByMemoryAndTheMessageDeadline() throws Exception {
        long base = baseline();
        try (Attacker a = Attacker.connect(node, attackerIp)) {
            AtomicInteger opened = new AtomicInteger();
            for (int id = 1; id < 2 * 20; id += 2) {
                a.openStream(id, SILENT);
                opened.incrementAndGet();
            }
            HostLoopbackTest.waitFor(() -> held.size() >= 20);
            // each held stream is read by a reader that wants a message: announce 1 MiB, send 10 bytes
            List<CompletableFuture<?>> reads = new ArrayList<>();
            for (MessageStream s : List.copyOf(held)) {
                reads.add(s.read());
            }
            for (int id = 1; id < 2 * 20; id += 2) {
                ByteBuf f = Unpooled.buffer();
                YamuxFrame.writeHeader(f, YamuxFrame.TYPE_DATA, 0, id, 13);
                f.writeBytes(new byte[] {(byte) 0x80, (byte) 0x80, 0x40});
                f.writeBytes(new byte[10]);
                a.send(f);
            }
            HostLoopbackTest.waitFor(() -> reads.stream().allMatch(CompletableFuture::isDone), Duration.ofSeconds(15));
            assertTrue(reads.stream().allMatch(CompletableFuture::isCompletedExceptionally),
                    "every partial message ended in a reset (memory refused or message deadline)");
            memoryWithinLimits();
            honestPeerIsServed();
        }
        attackerResourcesReleased(base);
    }

    @Test
    void garbageAfterTheHandshakeLosesOnlyThatConnection() throws Exception {
        long base = baseline();
        try (Attacker a = Attacker.connect(node, attackerIp)) {
            a.send(Unpooled.wrappedBuffer(new byte[] {9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9, 9}));
            HostLoopbackTest.waitFor(() -> !a.isOpen());
        }
        InetSocketAddress at = HostAddresses.toSocketAddress(node.listenAddresses().get(0));
        try (Socket s = new Socket()) {
            s.bind(new InetSocketAddress(attackerIp, 0));
            s.connect(new InetSocketAddress("127.0.0.1", at.getPort()), 5000);
            s.setSoTimeout(10_000);
            OutputStream out = s.getOutputStream();
            out.write(new byte[] {19, '/', 'm', 'u', 'l', 't', 'i', 's', 't', 'r', 'e', 'a', 'm', '/', '1', '.', '0', '.',
                '0', '\n', 7, '/', 'n', 'o', 'i', 's', 'e', '\n', 0, 40});
            out.write(new byte[40]);
            out.flush();
            InputStream in = s.getInputStream();
            while (in.read() >= 0) {
                // the node closes the connection on the bad Noise message
            }
        } catch (java.net.SocketException reset) {
            // closed by the node
        }
        attackerResourcesReleased(base);
        honestPeerIsServed();
    }
}

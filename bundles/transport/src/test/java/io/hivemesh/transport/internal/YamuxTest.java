package io.hivemesh.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.net.StreamTimeoutException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The yamux session as a listener, fed raw frames: bad input, flow control, limits, deadlines. */
class YamuxTest {
    EmbeddedChannel ch;
    YamuxSession session;
    ResourceScopes scopes;
    ResourceScopes.ConnectionScope conn;
    final AtomicLong clock = new AtomicLong(1_000_000_000L);
    final List<YamuxStream> accepted = new ArrayList<>();

    @BeforeEach
    void open() {
        ch = channel(ResourceScopes.Config.defaults(256L << 20));
    }

    @AfterEach
    void close() {
        ch.finishAndReleaseAll();
    }

    EmbeddedChannel channel(ResourceScopes.Config limits) {
        accepted.clear();
        scopes = new ResourceScopes(limits);
        conn = scopes.openConnection(true, InetAddress.getLoopbackAddress());
        conn.setPeer(new TestIdentity().peerId());
        EmbeddedChannel c = new EmbeddedChannel();
        session = new YamuxSession(false, YamuxSession.Limits.defaults(16 * 1024 * 1024), new TestIdentity().peerId(),
                conn, accepted::add, clock::get);
        c.pipeline().addLast(new YamuxFrameDecoder(session));
        c.pipeline().addLast(session);
        ByteBuf ping = c.readOutbound();
        assertEquals(YamuxFrame.TYPE_PING, ping.getByte(1));
        ping.release();
        return c;
    }

    static ResourceScopes.Config withConnectionStreams(int n) {
        ResourceScopes.Config d = ResourceScopes.Config.defaults(256L << 20);
        return new ResourceScopes.Config(d.system(), d.transientScope(), d.peer(),
                new ResourceScopes.Limits(d.connection().memory(), 1, 1, n, n), d.stream(), d.inboundPerIp(),
                d.transientPerIp(), d.connectionBuffer(), d.protocolCap());
    }

    static ByteBuf frame(int type, int flags, int id, long length, byte[] data) {
        ByteBuf b = Unpooled.buffer();
        YamuxFrame.writeHeader(b, type, flags, id, length);
        if (data != null) {
            b.writeBytes(data);
        }
        return b;
    }

    record Header(int type, int flags, int id, long length) {
    }

    List<Header> sent() {
        List<Header> out = new ArrayList<>();
        ByteBuf b;
        while ((b = ch.readOutbound()) != null) {
            while (b.readableBytes() >= 12) {
                Header h = new Header(b.getByte(b.readerIndex() + 1), b.getUnsignedShort(b.readerIndex() + 2),
                        b.getInt(b.readerIndex() + 4), b.getUnsignedInt(b.readerIndex() + 8));
                b.skipBytes(12);
                if (h.type() == YamuxFrame.TYPE_DATA) {
                    b.skipBytes((int) h.length());
                }
                out.add(h);
            }
            b.release();
        }
        return out;
    }

    void open(int id) {
        ch.writeInbound(frame(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, id, 0, null));
    }

    @Test
    void unknownVersionClosesTheConnection() {
        ByteBuf f = frame(0, 0, 1, 0, null);
        f.setByte(0, 1);
        ch.writeInbound(f);
        assertFalse(ch.isOpen());
    }

    @Test
    void unknownTypeSendsGoAwayAndCloses() {
        ch.writeInbound(frame(4, 0, 1, 0, null));
        assertFalse(ch.isOpen());
        assertEquals(List.of(new Header(YamuxFrame.TYPE_GO_AWAY, 0, 0, YamuxFrame.GO_AWAY_PROTOCOL_ERROR)), sent());
    }

    @Test
    void streamOpenedWithSynIsAcknowledgedAndDataSplitAnywhereArrives() throws Exception {
        ByteBuf in = Unpooled.buffer();
        in.writeBytes(frame(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 1, 0, null));
        in.writeBytes(frame(YamuxFrame.TYPE_DATA, 0, 1, 5, "hello".getBytes()));
        in.writeBytes(frame(YamuxFrame.TYPE_DATA, YamuxFrame.FLAG_FIN, 1, 0, null));
        while (in.isReadable()) {
            ch.writeInbound(in.readRetainedSlice(1));
        }
        in.release();
        assertEquals(1, accepted.size());
        assertEquals(List.of(new Header(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_ACK, 1, 0)), sent());
        YamuxStream s = accepted.get(0);
        assertEquals("hello", new String(s.read().get().orElseThrow().array()));
        assertTrue(s.read().get().isEmpty(), "FIN reads as end of stream");
    }

    @Test
    void dataBeyondTheGrantedWindowIsRefusedOnItsHeaderBeforeAnyBody() {
        open(1);
        sent();
        ch.writeInbound(frame(YamuxFrame.TYPE_DATA, 0, 1, ReceiveWindow.INITIAL + 1, null));
        List<Header> out = sent();
        assertEquals(new Header(YamuxFrame.TYPE_GO_AWAY, 0, 0, YamuxFrame.GO_AWAY_PROTOCOL_ERROR), out.get(out.size() - 1));
        assertFalse(ch.isOpen(), "closed on the header alone: no body was sent or buffered");
    }

    @Test
    void streamIdOfTheWrongParityIsAProtocolError() {
        open(2);
        assertFalse(ch.isOpen());
    }

    @Test
    void streamsBeyondTheConnectionLimitAreResetAndAFreedSlotAdmitsAgain() {
        ch.finishAndReleaseAll();
        ch = channel(withConnectionStreams(4));
        for (int id = 1; id <= 19; id += 2) {
            open(id);
        }
        assertEquals(4, accepted.size());
        long resets = sent().stream().filter(h -> h.flags() == YamuxFrame.FLAG_RST).count();
        assertEquals(6, resets);
        assertTrue(ch.isOpen(), "the connection itself keeps serving");
        accepted.get(0).reset();
        ch.runPendingTasks();
        open(21);
        assertEquals(5, accepted.size(), "a freed slot admits a new stream");
    }

    @Test
    void oneByteFramesAreAppendedIntoOneBufferAndTheWindowBoundsThem() throws Exception {
        open(1);
        sent();
        ByteBuf many = Unpooled.buffer();
        for (int i = 0; i < 10_000; i++) {
            YamuxFrame.writeHeader(many, YamuxFrame.TYPE_DATA, 0, 1, 1);
            many.writeByte(i);
        }
        ch.writeInbound(many);
        YamuxStream s = accepted.get(0);
        assertEquals(10_000, s.inbound.size());
        assertEquals(ReceiveWindow.INITIAL, s.scope.reserved(), "memory charged is the window, whatever the framing");
        assertEquals(ReceiveWindow.INITIAL - 10_000, s.receiveWindow.credit());
        assertEquals(10_000, s.read().get().orElseThrow().remaining());
    }

    @Test
    void aSampleOfTinyDataFramesClosesTheConnectionAndFramesOfEightBytesDoNot() throws Exception {
        open(1);
        open(3);
        sent();
        ByteBuf eight = Unpooled.buffer();
        for (int i = 0; i < YamuxSession.TINY_FRAME_SAMPLE; i++) {
            YamuxFrame.writeHeader(eight, YamuxFrame.TYPE_DATA, 0, 1 + 2 * (i % 2), YamuxSession.MIN_AVERAGE_DATA_FRAME);
            eight.writeZero(YamuxSession.MIN_AVERAGE_DATA_FRAME);
            if (i % 16_384 == 16_383) {
                ch.writeInbound(eight);
                eight = Unpooled.buffer();
                accepted.get(0).read().get();
                accepted.get(1).read().get();
            }
        }
        ch.writeInbound(eight);
        assertTrue(ch.isOpen(), "frames of the minimum average size are fine");
        ByteBuf tiny = Unpooled.buffer();
        for (int i = 0; i < YamuxSession.TINY_FRAME_SAMPLE; i++) {
            YamuxFrame.writeHeader(tiny, YamuxFrame.TYPE_DATA, 0, 1, 1);
            tiny.writeByte(i);
        }
        ch.writeInbound(tiny);
        assertFalse(ch.isOpen(), "a sample of one-byte frames is a flood");
        assertTrue(session.failure().getMessage().contains("tiny frames"), session.failure().getMessage());
    }

    @Test
    void aSlowReaderNeverLetsUnreadBytesExceedTheWindow() throws Exception {
        open(1);
        sent();
        YamuxStream s = accepted.get(0);
        long unreadMax = 0;
        for (int round = 0; round < 40; round++) {
            long credit = s.receiveWindow.credit();
            if (credit > 0) {
                int n = (int) Math.min(credit, 64 * 1024);
                ch.writeInbound(frame(YamuxFrame.TYPE_DATA, 0, 1, n, new byte[n]));
            }
            unreadMax = Math.max(unreadMax, s.inbound.size());
            if (round % 3 == 0) {
                s.read().get();
            }
        }
        assertTrue(unreadMax <= s.receiveWindow.target(), "unread " + unreadMax + " > window " + s.receiveWindow.target());
        assertTrue(s.receiveWindow.credit() + s.receiveWindow.buffered() <= s.receiveWindow.target());
    }

    @Test
    void streamRefusedByMemoryLimitIsReset() {
        ResourceScopes.Config d = ResourceScopes.Config.defaults(256L << 20);
        ch.finishAndReleaseAll();
        ch = channel(new ResourceScopes.Config(d.system(), d.transientScope(),
                new ResourceScopes.Limits(d.connectionBuffer() + 2L * ReceiveWindow.INITIAL, 8, 8, 256, 256),
                d.connection(), d.stream(), d.inboundPerIp(), d.transientPerIp(), d.connectionBuffer(), d.protocolCap()));
        open(1);
        open(3);
        open(5);
        assertEquals(2, accepted.size(), "two stream windows fit in the peer's memory, the third does not");
        assertTrue(sent().stream().anyMatch(h -> h.id() == 5 && h.flags() == YamuxFrame.FLAG_RST));
    }

    @Test
    void peerThatNeverReadsBlocksTheWriterAtItsWindow() {
        open(1);
        sent();
        YamuxStream s = accepted.get(0);
        CompletableFuture<Void> w = s.write(ByteBuffer.allocate(1024 * 1024));
        long bytes = sent().stream().filter(h -> h.type() == YamuxFrame.TYPE_DATA).mapToLong(Header::length).sum();
        assertEquals(ReceiveWindow.INITIAL, bytes, "only the granted window went out");
        assertFalse(w.isDone(), "the writer waits");
        ch.writeInbound(frame(YamuxFrame.TYPE_WINDOW_UPDATE, 0, 1, 1024 * 1024, null));
        bytes = sent().stream().filter(h -> h.type() == YamuxFrame.TYPE_DATA).mapToLong(Header::length).sum();
        assertEquals(1024 * 1024 - ReceiveWindow.INITIAL, bytes);
        assertTrue(w.isDone());
    }

    @Test
    void pingIsAnsweredWithAckAndTheSameOpaqueAndDoesNotCountAsActivity() {
        long before = session.lastActivityNanos();
        clock.addAndGet(5);
        ch.writeInbound(frame(YamuxFrame.TYPE_PING, YamuxFrame.FLAG_SYN, 0, 0xCAFEL, null));
        assertEquals(List.of(new Header(YamuxFrame.TYPE_PING, YamuxFrame.FLAG_ACK, 0, 0xCAFEL)), sent());
        assertEquals(before, session.lastActivityNanos(), "a ping keeps nothing alive");
        open(1);
        assertTrue(session.lastActivityNanos() > before, "a stream does");
    }

    @Test
    void pingsOfAPeerThatDoesNotReadAreHeldBackAndThenItIsNoLongerRead() {
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, false);
        assertFalse(ch.isWritable());
        ByteBuf pings = Unpooled.buffer();
        for (int i = 0; i < 10_000; i++) {
            YamuxFrame.writeHeader(pings, YamuxFrame.TYPE_PING, YamuxFrame.FLAG_SYN, 0, i);
        }
        ch.writeInbound(pings);
        assertTrue(sent().isEmpty(), "nothing written while the channel is not writable");
        assertFalse(ch.config().isAutoRead(), "reading from the peer paused");
        ch.unsafe().outboundBuffer().setUserDefinedWritability(1, true);
        ch.pipeline().fireChannelWritabilityChanged();
        assertEquals(10_000, sent().stream().filter(h -> h.type() == YamuxFrame.TYPE_PING).count(),
                "every ping answered once the peer reads");
        assertTrue(ch.config().isAutoRead());
    }

    @Test
    void aStreamThatDoesNotNegotiateInTimeIsResetByTheSweep() throws Exception {
        open(1);
        sent();
        YamuxStream s = accepted.get(0);
        CompletableFuture<?> r = s.read();
        clock.addAndGet(TimeUnit.SECONDS.toNanos(11));
        ch.advanceTimeBy(1, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertTrue(r.isCompletedExceptionally());
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, r::get);
        assertInstanceOf(StreamTimeoutException.class, e.getCause());
        assertTrue(sent().stream().anyMatch(h -> h.id() == 1 && h.flags() == YamuxFrame.FLAG_RST));
        assertEquals(0, conn.usage().inboundStreams(), "the stream's scope was released");
    }

    @Test
    void unansweredKeepAlivePingClosesTheConnection() {
        session.ping();
        sent();
        ch.advanceTimeBy(21, TimeUnit.SECONDS);
        ch.runScheduledPendingTasks();
        assertFalse(ch.isOpen());
    }

    @Test
    void resetFailsPendingReadsAndConnectionLossResetsStreams() {
        open(1);
        open(3);
        CompletableFuture<?> r1 = accepted.get(0).read();
        CompletableFuture<?> r3 = accepted.get(1).read();
        ch.writeInbound(frame(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_RST, 1, 0, null));
        assertTrue(r1.isCompletedExceptionally());
        assertFalse(r3.isDone());
        ch.close();
        assertTrue(r3.isCompletedExceptionally());
    }

    @Test
    void receiveWindowGrowsTo16MiBWhenTheReaderKeepsUpAndNotOtherwise() {
        ReceiveWindow fast = new ReceiveWindow(16 * 1024 * 1024);
        long now = 0;
        long rtt = 10_000_000L;
        for (int i = 0; i < 200 && fast.target() < 16 * 1024 * 1024; i++) {
            long chunk = fast.credit();
            assertTrue(fast.onReceived(chunk));
            now += rtt;
            fast.onConsumed(chunk, now, rtt, n -> true);
        }
        assertEquals(16 * 1024 * 1024, fast.target());
        ReceiveWindow slow = new ReceiveWindow(16 * 1024 * 1024);
        for (int i = 0; i < 50; i++) {
            long chunk = slow.credit();
            slow.onReceived(chunk);
            now += 100 * rtt;
            slow.onConsumed(chunk, now, rtt, n -> true);
        }
        assertEquals(ReceiveWindow.INITIAL, slow.target());
        assertFalse(slow.onReceived(slow.credit() + 1));
        ReceiveWindow refused = new ReceiveWindow(16 * 1024 * 1024);
        for (int i = 0; i < 20; i++) {
            long chunk = refused.credit();
            refused.onReceived(chunk);
            now += rtt;
            refused.onConsumed(chunk, now, rtt, n -> false);
        }
        assertEquals(ReceiveWindow.INITIAL, refused.target(), "no growth without memory");
    }
}

package io.hivemesh.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The yamux session as a listener, fed raw frames; every case from the bad-input list. */
class YamuxTest {
    EmbeddedChannel ch;
    YamuxSession session;
    final List<YamuxStream> accepted = new ArrayList<>();

    @BeforeEach
    void open() {
        ch = channel(512);
    }

    EmbeddedChannel channel(int maxStreams) {
        accepted.clear();
        EmbeddedChannel c = new EmbeddedChannel();
        c.pipeline().addLast(new YamuxFrameDecoder(16 * 1024 * 1024));
        session = new YamuxSession(false, new YamuxSession.Limits(maxStreams, 16 * 1024 * 1024),
                new TestIdentity().peerId(), accepted::add);
        c.pipeline().addLast(session);
        ByteBuf ping = c.readOutbound();
        assertEquals(YamuxFrame.TYPE_PING, ping.getByte(1));
        ping.release();
        return c;
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

    @Test
    void unknownVersionClosesTheConnection() {
        ByteBuf f = frame(0, 0, 1, 0, null);
        f.setByte(0, 1);
        ch.writeInbound(f);
        assertFalse(ch.isOpen());
        ch.finishAndReleaseAll();
    }

    @Test
    void unknownTypeSendsGoAwayAndCloses() {
        ch.writeInbound(frame(4, 0, 1, 0, null));
        assertFalse(ch.isOpen());
        assertEquals(List.of(new Header(YamuxFrame.TYPE_GO_AWAY, 0, 0, YamuxFrame.GO_AWAY_PROTOCOL_ERROR)), sent());
        ch.finishAndReleaseAll();
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
        ch.finishAndReleaseAll();
    }

    @Test
    void dataBeyondTheGrantedWindowIsAProtocolError() {
        ch.writeInbound(frame(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 1, 0, null));
        sent();
        ch.writeInbound(frame(YamuxFrame.TYPE_DATA, 0, 1, ReceiveWindow.INITIAL + 1, new byte[ReceiveWindow.INITIAL + 1]));
        List<Header> out = sent();
        assertEquals(new Header(YamuxFrame.TYPE_GO_AWAY, 0, 0, YamuxFrame.GO_AWAY_PROTOCOL_ERROR), out.get(out.size() - 1));
        assertFalse(ch.isOpen());
        ch.finishAndReleaseAll();
    }

    @Test
    void streamIdOfTheWrongParityIsAProtocolError() {
        ch.writeInbound(frame(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 2, 0, null));
        assertFalse(ch.isOpen());
        ch.finishAndReleaseAll();
    }

    @Test
    void floodOfStreamOpeningsIsResetBeyondTheLimit() {
        ch.close();
        ch = channel(4);
        for (int id = 1; id <= 19; id += 2) {
            ch.writeInbound(frame(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, id, 0, null));
        }
        assertEquals(4, accepted.size());
        long resets = sent().stream().filter(h -> h.flags() == YamuxFrame.FLAG_RST).count();
        assertEquals(6, resets);
        assertTrue(ch.isOpen(), "the connection itself keeps serving");
        accepted.get(0).reset();
        ch.writeInbound(frame(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 21, 0, null));
        assertEquals(5, accepted.size(), "a freed slot admits a new stream");
        ch.finishAndReleaseAll();
    }

    @Test
    void peerThatNeverReadsBlocksTheWriterAtItsWindow() {
        ch.writeInbound(frame(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 1, 0, null));
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
        ch.finishAndReleaseAll();
    }

    @Test
    void pingIsAnsweredWithAckAndTheSameOpaqueAndDoesNotCountAsActivity() throws Exception {
        long before = session.lastActivityNanos();
        Thread.sleep(2);
        ch.writeInbound(frame(YamuxFrame.TYPE_PING, YamuxFrame.FLAG_SYN, 0, 0xCAFEL, null));
        assertEquals(List.of(new Header(YamuxFrame.TYPE_PING, YamuxFrame.FLAG_ACK, 0, 0xCAFEL)), sent());
        assertEquals(before, session.lastActivityNanos(), "a ping keeps nothing alive");
        ch.writeInbound(frame(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 1, 0, null));
        assertTrue(session.lastActivityNanos() > before, "a stream does");
        ch.finishAndReleaseAll();
    }

    @Test
    void resetFailsPendingReadsAndConnectionLossResetsStreams() throws Exception {
        ch.writeInbound(frame(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 1, 0, null));
        ch.writeInbound(frame(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, 3, 0, null));
        CompletableFuture<?> r1 = accepted.get(0).read();
        CompletableFuture<?> r3 = accepted.get(1).read();
        ch.writeInbound(frame(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_RST, 1, 0, null));
        assertTrue(r1.isCompletedExceptionally());
        assertFalse(r3.isDone());
        ch.close();
        assertTrue(r3.isCompletedExceptionally());
        ch.finishAndReleaseAll();
    }

    @Test
    void receiveWindowGrowsTo16MiBWhenTheReaderKeepsUpAndNotOtherwise() {
        ReceiveWindow fast = new ReceiveWindow(16 * 1024 * 1024);
        long now = 0;
        long rtt = 10_000_000L;
        for (int i = 0; i < 200 && fast.target() < 16 * 1024 * 1024; i++) {
            int chunk = fast.target() / 2;
            assertTrue(fast.onReceived(chunk));
            now += rtt;
            fast.onConsumed(chunk, now, rtt);
        }
        assertEquals(16 * 1024 * 1024, fast.target());
        ReceiveWindow slow = new ReceiveWindow(16 * 1024 * 1024);
        for (int i = 0; i < 50; i++) {
            int chunk = slow.target() / 2;
            slow.onReceived(chunk);
            now += 100 * rtt;
            slow.onConsumed(chunk, now, rtt);
        }
        assertEquals(ReceiveWindow.INITIAL, slow.target());
        assertFalse(slow.onReceived(slow.credit() + 1));
    }
}

package io.hivemesh.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MultistreamTest {
    static final Multistream.Responder.Protocols ECHO_ONLY = new Multistream.Responder.Protocols() {
        @Override
        public boolean supports(String p) {
            return p.equals("/echo/1.0.0");
        }

        @Override
        public Collection<String> all() {
            return List.of("/echo/1.0.0");
        }
    };

    static ByteBuf messages(String... texts) {
        ByteBuf b = Unpooled.buffer();
        for (String t : texts) {
            Multistream.writeMessage(b, t);
        }
        return b;
    }

    @Test
    void naIsTheFourBytesJsSends() {
        ByteBuf b = messages("na");
        assertEquals("036e610a", ByteBufUtil.hexDump(b));
        b.release();
    }

    @Test
    void initiatorPipelinesHeaderAndProposalInOneWrite() {
        ByteBuf out = Unpooled.buffer();
        new Multistream.Initiator(List.of("/noise")).start(out);
        ByteBuf expected = messages(Multistream.PROTOCOL_ID, "/noise");
        assertEquals(expected, out);
        out.release();
        expected.release();
    }

    /** Responder in a channel: input split into single bytes, leftover application bytes passed on. */
    @Test
    void responderHandlesByteByByteInputAndPassesLeftoverOn() {
        AtomicReference<String> agreed = new AtomicReference<>();
        List<ByteBuf> after = new ArrayList<>();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("ms", new MultistreamHandler(new Multistream.Responder(ECHO_ONLY, ch.alloc()),
                (ctx, p) -> {
                    agreed.set(p);
                    ctx.pipeline().addAfter(ctx.name(), "app", new ChannelInboundHandlerAdapter() {
                        @Override
                        public void channelRead(ChannelHandlerContext c, Object msg) {
                            after.add((ByteBuf) msg);
                        }
                    });
                }));
        ByteBuf in = messages(Multistream.PROTOCOL_ID, "/unknown/1", "/echo/1.0.0");
        in.writeBytes("hello".getBytes(StandardCharsets.UTF_8));
        while (in.isReadable()) {
            ch.writeInbound(in.readRetainedSlice(1));
        }
        in.release();
        assertEquals("/echo/1.0.0", agreed.get());
        ByteBuf replies = Unpooled.buffer();
        ByteBuf o;
        while ((o = ch.readOutbound()) != null) {
            replies.writeBytes(o);
            o.release();
        }
        ByteBuf expected = messages(Multistream.PROTOCOL_ID, "na", "/echo/1.0.0");
        assertEquals(expected, replies);
        StringBuilder rest = new StringBuilder();
        after.forEach(b -> {
            rest.append(b.toString(StandardCharsets.UTF_8));
            b.release();
        });
        assertEquals("hello", rest.toString());
        assertNull(ch.pipeline().get("ms"));
        replies.release();
        expected.release();
        ch.finishAndReleaseAll();
    }

    @Test
    void coalescedLsAndProposalAreAnsweredInOrder() {
        Multistream.Responder r = new Multistream.Responder(ECHO_ONLY, Unpooled.buffer().alloc());
        ByteBuf in = messages(Multistream.PROTOCOL_ID, "ls", "/echo/1.0.0");
        ByteBuf out = Unpooled.buffer();
        assertEquals("/echo/1.0.0", r.receive(in, out));
        assertEquals(Multistream.PROTOCOL_ID, Multistream.readMessage(out));
        ByteBuf ls = Unpooled.buffer();
        Multistream.writeLsReply(ls, List.of("/echo/1.0.0"), ls.alloc());
        assertEquals(ls, out.readSlice(ls.readableBytes()));
        assertEquals("/echo/1.0.0", Multistream.readMessage(out));
        in.release();
        out.release();
        ls.release();
    }

    @Test
    void oversizedLengthIsRejectedBeforeBuffering() {
        ByteBuf in = Unpooled.buffer();
        Multistream.writeUvarint(in, Multistream.MAX_MESSAGE_LENGTH + 1);
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class, () -> Multistream.readMessage(in));
        assertTrue(e.getMessage().contains("message length"));
        in.release();
    }

    @Test
    void overlongVarintZeroLengthAndMissingNewlineAreRejected() {
        ByteBuf varint = Unpooled.wrappedBuffer(new byte[] {(byte) 0x80, (byte) 0x80, (byte) 0x80, 1});
        assertThrows(ProtocolViolationException.class, () -> Multistream.readMessage(varint));
        ByteBuf zero = Unpooled.wrappedBuffer(new byte[] {0});
        assertThrows(ProtocolViolationException.class, () -> Multistream.readMessage(zero));
        ByteBuf noNewline = Unpooled.wrappedBuffer(new byte[] {3, 'a', 'b', 'c'});
        assertThrows(ProtocolViolationException.class, () -> Multistream.readMessage(noNewline));
        ByteBuf nonMinimal = Unpooled.wrappedBuffer(new byte[] {(byte) 0x83, 0, 'n', 'a', '\n'});
        assertThrows(ProtocolViolationException.class, () -> Multistream.readMessage(nonMinimal));
    }

    @Test
    void wrongHeaderAndExhaustedProposalsFail() {
        Multistream.Initiator i = new Multistream.Initiator(List.of("/a", "/b"));
        ByteBuf out = Unpooled.buffer();
        i.start(out);
        ByteBuf in = messages(Multistream.PROTOCOL_ID, "na", "na");
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class, () -> i.receive(in, out));
        assertTrue(e.getMessage().contains("supports none"), e.getMessage());
        ByteBuf bad = messages("/multistream/2.0.0");
        assertThrows(ProtocolViolationException.class,
                () -> new Multistream.Responder(ECHO_ONLY, out.alloc()).receive(bad, out));
        in.release();
        out.release();
        bad.release();
    }

    @Test
    void incompleteMessageConsumesNothing() {
        ByteBuf in = messages(Multistream.PROTOCOL_ID);
        ByteBuf part = in.readRetainedSlice(5);
        assertNull(Multistream.readMessage(part));
        assertEquals(5, part.readableBytes());
        assertFalse(part.readerIndex() > 0);
        part.release();
        in.release();
    }
}

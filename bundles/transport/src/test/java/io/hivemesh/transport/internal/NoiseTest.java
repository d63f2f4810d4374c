package io.hivemesh.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.peer.PeerId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import java.security.SecureRandom;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class NoiseTest {
    final SecureRandom random = new SecureRandom();

    /** Records the first exception and closes, like the host's upgrade guard. */
    static final class Guard extends ChannelInboundHandlerAdapter {
        final AtomicReference<Throwable> error = new AtomicReference<>();

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            error.compareAndSet(null, cause);
            ctx.close();
        }
    }

    record Side(EmbeddedChannel ch, Guard guard, AtomicReference<NoisePayloads.Remote> remote) {
    }

    Side side(boolean initiator, TestIdentity id, List<String> muxers, PeerId expected) {
        AtomicReference<NoisePayloads.Remote> remote = new AtomicReference<>();
        Guard guard = new Guard();
        EmbeddedChannel ch = new EmbeddedChannel();
        ch.pipeline().addLast("hs", new NoiseHandler(initiator, id, muxers, expected, random, (ctx, r) -> remote.set(r)));
        ch.pipeline().addLast("guard", guard);
        return new Side(ch, guard, remote);
    }

    static void shuttle(EmbeddedChannel from, EmbeddedChannel to) {
        ByteBuf b;
        while ((b = from.readOutbound()) != null) {
            to.writeInbound(b);
        }
    }

    static void handshake(Side a, Side b) {
        for (int i = 0; i < 4; i++) {
            shuttle(a.ch(), b.ch());
            shuttle(b.ch(), a.ch());
        }
    }

    @Test
    void handshakeAuthenticatesBothSidesAndCarriesMuxers() {
        TestIdentity ia = new TestIdentity();
        TestIdentity ib = new TestIdentity();
        Side a = side(true, ia, List.of("/yamux/1.0.0"), ib.peerId());
        Side b = side(false, ib, List.of("/yamux/1.0.0"), null);
        handshake(a, b);
        assertEquals(ib.peerId(), a.remote().get().peerId());
        assertEquals(ia.peerId(), b.remote().get().peerId());
        assertEquals(List.of("/yamux/1.0.0"), a.remote().get().muxers());
        assertNotNull(a.ch().pipeline().get(NoiseTransportCodec.NAME));

        // 200 KiB plaintext: split into messages of at most 65535 bytes on the wire
        byte[] data = new byte[200 * 1024];
        new Random(3).nextBytes(data);
        a.ch().writeOutbound(Unpooled.wrappedBuffer(data));
        ByteBuf wire = a.ch().readOutbound();
        int frames = 0;
        ByteBuf scan = wire.duplicate();
        while (scan.isReadable()) {
            int len = scan.readUnsignedShort();
            assertTrue(len <= 65535);
            scan.skipBytes(len);
            frames++;
        }
        assertEquals(4, frames);
        // delivered split at an awkward point: the receiver reassembles the frames
        b.ch().writeInbound(wire.readRetainedSlice(70_001));
        b.ch().writeInbound(wire);
        ByteBuf got = Unpooled.buffer();
        ByteBuf m;
        while ((m = b.ch().readInbound()) != null) {
            got.writeBytes(m);
            m.release();
        }
        assertEquals(Unpooled.wrappedBuffer(data), got);
        got.release();
        a.ch().finishAndReleaseAll();
        b.ch().finishAndReleaseAll();
    }

    @Test
    void tamperedTransportMessageClosesTheChannel() {
        Side a = side(true, new TestIdentity(), List.of(), null);
        Side b = side(false, new TestIdentity(), List.of(), null);
        handshake(a, b);
        a.ch().writeOutbound(Unpooled.wrappedBuffer(new byte[] {1, 2, 3}));
        ByteBuf wire = a.ch().readOutbound();
        wire.setByte(4, wire.getByte(4) ^ 1);
        b.ch().writeInbound(wire);
        assertTrue(b.guard().error.get() instanceof io.netty.handler.codec.DecoderException);
        assertTrue(b.guard().error.get().getCause().getMessage().contains("failed decryption"));
        assertFalse(b.ch().isOpen());
        a.ch().finishAndReleaseAll();
        b.ch().finishAndReleaseAll();
    }

    @Test
    void dialedPeerIdMismatchFailsTheHandshake() {
        Side a = side(true, new TestIdentity(), List.of(), new TestIdentity().peerId());
        Side b = side(false, new TestIdentity(), List.of(), null);
        handshake(a, b);
        assertTrue(a.guard().error.get().getCause().getMessage().contains("dialed address names"));
        assertFalse(a.ch().isOpen());
        a.ch().finishAndReleaseAll();
        b.ch().finishAndReleaseAll();
    }

    @Test
    void noCommonMuxerFailsTheHandshake() {
        Side a = side(true, new TestIdentity(), List.of("/yamux/1.0.0"), null);
        Side b = side(false, new TestIdentity(), List.of("/mplex/6.7.0"), null);
        handshake(a, b);
        assertTrue(a.guard().error.get().getCause().getMessage().contains("no common stream muxer"));
        a.ch().finishAndReleaseAll();
        b.ch().finishAndReleaseAll();
    }

    @Test
    void signatureOverAnotherStaticKeyDoesNotVerify() {
        TestIdentity id = new TestIdentity();
        byte[] staticKey = new byte[32];
        random.nextBytes(staticKey);
        byte[] payload = NoisePayloads.build(id, staticKey, List.of());
        assertEquals(id.peerId(), NoisePayloads.verify(payload, staticKey).peerId());
        byte[] other = staticKey.clone();
        other[0] ^= 1;
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> NoisePayloads.verify(payload, other));
        assertTrue(e.getMessage().contains("does not verify"));
        assertThrows(ProtocolViolationException.class, () -> NoisePayloads.verify(new byte[] {0x0a, 0x7f}, staticKey));
        assertThrows(ProtocolViolationException.class, () -> NoisePayloads.verify(new byte[0], staticKey));
    }

    @Test
    void truncatedHandshakeMessageIsAProtocolViolation() {
        NoiseHandshake r = new NoiseHandshake(false, random);
        assertThrows(ProtocolViolationException.class, () -> r.readMessage(new byte[10]));
    }
}

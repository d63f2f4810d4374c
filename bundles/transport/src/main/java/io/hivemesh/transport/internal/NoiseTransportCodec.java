package io.hivemesh.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.ByteToMessageDecoder;
import io.netty.util.concurrent.FastThreadLocal;
import java.net.SocketAddress;
import java.util.List;

/**
 * Noise transport messages after the handshake: each is u16be(length) ‖ ChaCha20-Poly1305
 * ciphertext of at most 65535 bytes (so at most {@value #MAX_PLAINTEXT} plaintext bytes). Inbound
 * frames are decrypted into new heap buffers passed on (the next handler releases them); outbound
 * buffers are split, encrypted, and released here. A frame failing decryption closes the channel,
 * and nothing after it is decrypted any more (not even what Netty decodes again as the channel
 * closes: the receive nonce has moved past the bad frame, so the frames after it would otherwise
 * still authenticate, and a forged frame would silently delete one from the stream).
 */
final class NoiseTransportCodec extends ByteToMessageDecoder implements ChannelOutboundHandler {
    static final String NAME = "noise";
    static final int MAX_FRAME = 65535;
    static final int MAX_PLAINTEXT = MAX_FRAME - CipherState.TAG_LENGTH;

    private final CipherState sender;
    private final CipherState receiver;
    /**
     * Scratch arrays per thread, not per connection (128 KiB each otherwise: a flood of short-lived
     * connections made the heap grow by ~140 KiB per recently closed one). Each is used only between
     * a copy and the cipher call that consumes it, with no callback in between, so the channels of
     * one event loop can share them.
     */
    private static final FastThreadLocal<byte[]> SCRATCH_IN = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[MAX_FRAME];
        }
    };
    private static final FastThreadLocal<byte[]> SCRATCH_OUT = new FastThreadLocal<>() {
        @Override
        protected byte[] initialValue() {
            return new byte[MAX_PLAINTEXT];
        }
    };
    /** A frame failed decryption: everything after it is discarded. */
    private boolean failed;

    NoiseTransportCodec(CipherState sender, CipherState receiver) {
        this.sender = sender;
        this.receiver = receiver;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return;
        }
        while (in.readableBytes() >= 2) {
            int length = in.getUnsignedShort(in.readerIndex());
            if (in.readableBytes() < 2 + length) {
                return;
            }
            in.skipBytes(2);
            byte[] scratchIn = SCRATCH_IN.get();
            in.readBytes(scratchIn, 0, length);
            ByteBuf plain = ctx.alloc().heapBuffer(Math.max(0, length - CipherState.TAG_LENGTH));
            try {
                int n = receiver.decrypt(null, scratchIn, 0, length, plain.array(), plain.arrayOffset());
                plain.writerIndex(n);
            } catch (RuntimeException e) {
                plain.release();
                failed = true;
                in.skipBytes(in.readableBytes());
                throw e;
            }
            out.add(plain);
        }
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        if (!(msg instanceof ByteBuf in)) {
            ctx.write(msg, promise);
            return;
        }
        try {
            int total = in.readableBytes();
            int frames = Math.max(1, (total + MAX_PLAINTEXT - 1) / MAX_PLAINTEXT);
            ByteBuf out = ctx.alloc().heapBuffer(total + frames * (2 + CipherState.TAG_LENGTH));
            byte[] scratchOut = SCRATCH_OUT.get();
            do {
                int n = Math.min(in.readableBytes(), MAX_PLAINTEXT);
                in.readBytes(scratchOut, 0, n);
                int at = out.writerIndex();
                int written = sender.encrypt(null, scratchOut, 0, n, out.array(), out.arrayOffset() + at + 2);
                out.setShort(at, written);
                out.writerIndex(at + 2 + written);
            } while (in.isReadable());
            ctx.write(out, promise);
        } catch (RuntimeException e) {
            promise.tryFailure(e);
        } finally {
            in.release();
        }
    }

    @Override
    public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
        ctx.bind(localAddress, promise);
    }

    @Override
    public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local, ChannelPromise promise) {
        ctx.connect(remote, local, promise);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.disconnect(promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.close(promise);
    }

    @Override
    public void deregister(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.deregister(promise);
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        ctx.read();
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        ctx.flush();
    }
}

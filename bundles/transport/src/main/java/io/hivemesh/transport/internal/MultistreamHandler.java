package io.hivemesh.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;
import java.util.function.BiConsumer;

/**
 * Negotiates one protocol with multistream-select on a raw or secured channel, then calls
 * {@code onDone} (which installs the next handler after this one) and removes itself; bytes that
 * arrived after the agreement are passed on to the next handler. Failures close the channel.
 * Input {@code ByteBuf}s are owned by {@link ByteToMessageDecoder}'s cumulation.
 */
final class MultistreamHandler extends ByteToMessageDecoder {
    private final Multistream.Negotiation negotiation;
    private final BiConsumer<ChannelHandlerContext, String> onDone;
    private boolean started;

    MultistreamHandler(Multistream.Negotiation negotiation, BiConsumer<ChannelHandlerContext, String> onDone) {
        this.negotiation = negotiation;
        this.onDone = onDone;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        if (ctx.channel().isActive()) {
            start(ctx);
        }
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        start(ctx);
        super.channelActive(ctx);
    }

    private void start(ChannelHandlerContext ctx) {
        if (started) {
            return;
        }
        started = true;
        ByteBuf out = ctx.alloc().buffer();
        negotiation.start(out);
        if (out.isReadable()) {
            ctx.writeAndFlush(out);
        } else {
            out.release();
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        ByteBuf reply = ctx.alloc().buffer();
        String protocol;
        try {
            protocol = negotiation.receive(in, reply);
        } catch (RuntimeException e) {
            reply.release();
            throw e;
        }
        if (reply.isReadable()) {
            ctx.writeAndFlush(reply);
        } else {
            reply.release();
        }
        if (protocol != null) {
            onDone.accept(ctx, protocol);
            ctx.pipeline().remove(this);
        }
    }
}

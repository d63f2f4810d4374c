package io.hivemesh.transport.internal;

import io.hivemesh.api.net.Traffic;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufHolder;
import io.netty.channel.ChannelDuplexHandler;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelPromise;
import java.util.concurrent.atomic.LongAdder;

/**
 * Counts the bytes every socket of the host reads and writes (first in each channel's pipeline, so
 * it sees the raw encrypted bytes). Stateless per channel: one shared instance. It only looks at
 * the buffers and passes them on unchanged, so it never retains or releases a {@code ByteBuf}.
 * A write is counted when it is handed to the socket, not when it has left.
 */
@ChannelHandler.Sharable
final class TrafficCounter extends ChannelDuplexHandler {
    static final String NAME = "traffic";

    private final LongAdder received = new LongAdder();
    private final LongAdder sent = new LongAdder();

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        received.add(size(msg));
        ctx.fireChannelRead(msg);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        sent.add(size(msg));
        ctx.write(msg, promise);
    }

    private static long size(Object msg) {
        if (msg instanceof ByteBuf b) {
            return b.readableBytes();
        }
        if (msg instanceof ByteBufHolder h) {
            return h.content().readableBytes();
        }
        return 0;
    }

    Traffic totals() {
        return new Traffic(received.sum(), sent.sum());
    }
}

package io.hivemesh.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Bytes to {@link YamuxFrame}s. Rejects an unknown version or type and a data frame longer than
 * {@code maxDataLength} (nobody may send more than the largest window this node grants) before
 * buffering its body. Data bodies are retained slices of the cumulation: the receiver releases them.
 */
final class YamuxFrameDecoder extends ByteToMessageDecoder {
    private final int maxDataLength;

    YamuxFrameDecoder(int maxDataLength) {
        this.maxDataLength = maxDataLength;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        while (in.readableBytes() >= YamuxFrame.HEADER_LENGTH) {
            int at = in.readerIndex();
            int version = in.getUnsignedByte(at);
            int type = in.getUnsignedByte(at + 1);
            if (version != YamuxFrame.VERSION) {
                throw new ProtocolViolationException("yamux: unknown version " + version);
            }
            if (type > YamuxFrame.TYPE_GO_AWAY) {
                throw new ProtocolViolationException("yamux: unknown frame type " + type);
            }
            int flags = in.getUnsignedShort(at + 2);
            int streamId = in.getInt(at + 4);
            long length = in.getUnsignedInt(at + 8);
            if (type == YamuxFrame.TYPE_DATA) {
                if (length > maxDataLength) {
                    throw new ProtocolViolationException("yamux: data frame of " + length + " bytes exceeds the largest"
                            + " window granted (" + maxDataLength + ")");
                }
                if (in.readableBytes() < YamuxFrame.HEADER_LENGTH + length) {
                    return;
                }
                in.skipBytes(YamuxFrame.HEADER_LENGTH);
                out.add(new YamuxFrame(type, flags, streamId, length, in.readRetainedSlice((int) length)));
            } else {
                in.skipBytes(YamuxFrame.HEADER_LENGTH);
                out.add(new YamuxFrame(type, flags, streamId, length, null));
            }
        }
    }
}

package io.hivemesh.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.util.List;

/**
 * Bytes to yamux frames without ever buffering a data body: each header becomes a
 * {@link YamuxFrame}; the body of a data frame follows as one or more retained {@link ByteBuf}
 * slices (as they arrive, whose lengths add up to the header's), which the receiver copies and
 * releases. A data header is checked against the stream's credit <em>before</em> any of its body is
 * read ({@link Credit}): sending beyond the window is a protocol violation that closes the
 * connection at once. Unknown versions and types are violations too. Per channel; the phase is
 * explicit ({@code bodyLeft > 0}: inside a body).
 */
final class YamuxFrameDecoder extends ByteToMessageDecoder {

    /** Admission of data bodies, consulted on each data header. */
    interface Credit {
        /** Whether stream {@code streamId} may send {@code length} more bytes now ({@code syn}: it opens with them). */
        boolean admits(int streamId, long length, boolean syn);

        /** The credit left, for the violation message. */
        long creditOf(int streamId);
    }

    private final Credit credit;
    private long bodyLeft;

    YamuxFrameDecoder(Credit credit) {
        this.credit = credit;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (!ctx.channel().isActive()) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (bodyLeft > 0) {
            int n = (int) Math.min(bodyLeft, in.readableBytes());
            if (n > 0) {
                out.add(in.readRetainedSlice(n));
                bodyLeft -= n;
            }
            return;
        }
        if (in.readableBytes() < YamuxFrame.HEADER_LENGTH) {
            return;
        }
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
        if (type == YamuxFrame.TYPE_DATA && length > 0
                && !credit.admits(streamId, length, (flags & YamuxFrame.FLAG_SYN) != 0)) {
            throw new ProtocolViolationException("yamux: stream " + streamId + " sent a data frame of " + length
                    + " bytes beyond the window granted (" + credit.creditOf(streamId) + " bytes left)");
        }
        in.skipBytes(YamuxFrame.HEADER_LENGTH);
        out.add(new YamuxFrame(type, flags, streamId, length));
        if (type == YamuxFrame.TYPE_DATA) {
            bodyLeft = length;
        }
    }
}

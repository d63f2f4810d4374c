package io.hivemesh.transport.internal;

import io.netty.buffer.ByteBuf;

/**
 * One yamux frame header (hashicorp/yamux spec.md, "Framing"): 12-byte big-endian
 * version(1) type(1) flags(2) streamId(4) length(4). For data frames {@code length} bytes of body
 * follow (the decoder passes them on as separate {@link ByteBuf} chunks); for window updates
 * {@code length} is the delta, for pings the opaque value, for go-away the error code.
 */
record YamuxFrame(int type, int flags, int streamId, long length) {
    static final int HEADER_LENGTH = 12;
    static final int VERSION = 0;

    static final int TYPE_DATA = 0;
    static final int TYPE_WINDOW_UPDATE = 1;
    static final int TYPE_PING = 2;
    static final int TYPE_GO_AWAY = 3;

    static final int FLAG_SYN = 1;
    static final int FLAG_ACK = 2;
    static final int FLAG_FIN = 4;
    static final int FLAG_RST = 8;

    static final int GO_AWAY_NORMAL = 0;
    static final int GO_AWAY_PROTOCOL_ERROR = 1;
    static final int GO_AWAY_INTERNAL_ERROR = 2;

    boolean has(int flag) {
        return (flags & flag) != 0;
    }

    /** Writes a header (and nothing else) to {@code out}. */
    static void writeHeader(ByteBuf out, int type, int flags, int streamId, long length) {
        out.writeByte(VERSION).writeByte(type).writeShort(flags).writeInt(streamId).writeInt((int) length);
    }
}

package io.hivemesh.api.multiformats;

import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * Unsigned LEB128 varints as the multiformats unsigned-varint spec defines them: at most
 * {@value #MAX_BYTES} bytes, so values from 0 to {@link Long#MAX_VALUE}; the encoding must be
 * minimal (no redundant trailing {@code 0x80 ... 0x00} groups). Decoders reject truncated,
 * overlong and non-minimal input with a {@link MultiformatException}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Varint {
    /** The longest varint accepted: 9 bytes carry 63 bits. */
    public static final int MAX_BYTES = 9;

    private Varint() {
    }

    /**
     * The number of bytes {@link #encode(long)} produces for {@code value}.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public static int size(long value) {
        requireNonNegative(value);
        int n = 1;
        while ((value >>>= 7) != 0) {
            n++;
        }
        return n;
    }

    /**
     * The minimal encoding of {@code value}.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     */
    public static byte[] encode(long value) {
        ByteBuffer out = ByteBuffer.allocate(size(value));
        write(value, out);
        return out.array();
    }

    /**
     * Writes the minimal encoding of {@code value} at the buffer's position and advances it.
     *
     * @throws IllegalArgumentException if {@code value} is negative
     * @throws java.nio.BufferOverflowException if fewer than {@link #size(long)} bytes remain
     *     (nothing is written then)
     */
    public static void write(long value, ByteBuffer out) {
        if (out.remaining() < size(value)) {
            throw new java.nio.BufferOverflowException();
        }
        long v = value;
        while ((v & ~0x7fL) != 0) {
            out.put((byte) ((v & 0x7f) | 0x80));
            v >>>= 7;
        }
        out.put((byte) v);
    }

    /**
     * Reads one varint at the buffer's position and advances past it. On failure the position is
     * left where it was.
     *
     * @throws MultiformatException if the varint is truncated, longer than {@value #MAX_BYTES}
     *     bytes or not minimally encoded; the message gives the buffer offset
     */
    public static long read(ByteBuffer in) {
        int start = in.position();
        long value = 0;
        for (int i = 0; ; i++) {
            if (i == MAX_BYTES) {
                in.position(start);
                throw new MultiformatException("varint: longer than " + MAX_BYTES + " bytes at byte " + start);
            }
            if (!in.hasRemaining()) {
                in.position(start);
                throw new MultiformatException(i == 0
                        ? "varint: no bytes left at byte " + start
                        : "varint: truncated after " + i + " bytes at byte " + start);
            }
            int b = in.get() & 0xff;
            value |= (long) (b & 0x7f) << (7 * i);
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    in.position(start);
                    throw new MultiformatException("varint: non-minimal encoding at byte " + start);
                }
                return value;
            }
        }
    }

    /**
     * Decodes {@code bytes}, which must hold exactly one varint and nothing else.
     *
     * @throws MultiformatException if the varint is malformed or followed by trailing bytes
     */
    public static long decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long value = read(in);
        if (in.hasRemaining()) {
            throw new MultiformatException("varint: " + in.remaining() + " trailing bytes after the varint");
        }
        return value;
    }

    /**
     * Reads a varint that must not exceed {@code max}, such as a length prefix; on failure the
     * position is left where it was.
     *
     * @param what names the value in error messages, e.g. {@code "multihash digest length"}
     * @throws MultiformatException naming {@code what} if the varint is malformed or greater than
     *     {@code max}
     */
    public static int readInt(ByteBuffer in, int max, String what) {
        Objects.requireNonNull(what, "what");
        if (max < 0) {
            throw new IllegalArgumentException("max must not be negative: " + max);
        }
        int start = in.position();
        long value;
        try {
            value = read(in);
        } catch (MultiformatException e) {
            throw new MultiformatException(what + ": " + e.getMessage(), e);
        }
        if (value > max) {
            in.position(start);
            throw new MultiformatException(what + ": " + value + " exceeds maximum " + max + " at byte " + start);
        }
        return (int) value;
    }

    private static void requireNonNegative(long value) {
        if (value < 0) {
            throw new IllegalArgumentException("varint values are unsigned; got " + value);
        }
    }
}

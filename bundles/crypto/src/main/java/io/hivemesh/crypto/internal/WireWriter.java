package io.hivemesh.crypto.internal;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/** Big-endian writer for the formats of this bundle; the counterpart of {@link WireReader}. */
final class WireWriter {
    private final ByteArrayOutputStream out;

    WireWriter(int expectedSize) {
        out = new ByteArrayOutputStream(expectedSize);
    }

    WireWriter u8(int v) {
        if (v < 0 || v > 0xff) {
            throw new IllegalArgumentException("u8 out of range: " + v);
        }
        out.write(v);
        return this;
    }

    WireWriter u16(int v) {
        if (v < 0 || v > 0xffff) {
            throw new IllegalArgumentException("u16 out of range: " + v);
        }
        out.write(v >>> 8);
        out.write(v);
        return this;
    }

    WireWriter u32(long v) {
        if (v < 0 || v > 0xffffffffL) {
            throw new IllegalArgumentException("u32 out of range: " + v);
        }
        for (int s = 24; s >= 0; s -= 8) {
            out.write((int) (v >>> s));
        }
        return this;
    }

    WireWriter i64(long v) {
        for (int s = 56; s >= 0; s -= 8) {
            out.write((int) (v >>> s));
        }
        return this;
    }

    WireWriter bytes(byte[] b) {
        out.write(b, 0, b.length);
        return this;
    }

    WireWriter bytes16(byte[] b) {
        return u16(b.length).bytes(b);
    }

    WireWriter utf8(String s) {
        return bytes16(s.getBytes(StandardCharsets.UTF_8));
    }

    int size() {
        return out.size();
    }

    byte[] toByteArray() {
        return out.toByteArray();
    }
}

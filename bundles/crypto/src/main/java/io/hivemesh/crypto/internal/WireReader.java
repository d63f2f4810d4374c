package io.hivemesh.crypto.internal;

import io.hivemesh.api.crypto.CryptoException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A bounds-checked reader over one encoded message. Every read names the field it reads, so a
 * truncated or malformed input is reported as "{@code <format>}: truncated in {@code <field>}".
 * Never reads past the array, never allocates more than the input holds.
 */
final class WireReader {
    private final String format;
    private final byte[] data;
    private int pos;

    WireReader(String format, byte[] data) {
        this.format = format;
        this.data = data;
    }

    int position() {
        return pos;
    }

    int remaining() {
        return data.length - pos;
    }

    byte[] data() {
        return data;
    }

    private void need(int n, String field) {
        if (n < 0 || data.length - pos < n) {
            throw new CryptoException(format + ": truncated in " + field + " (needs " + n + " bytes at offset "
                    + pos + ", " + (data.length - pos) + " left)");
        }
    }

    int u8(String field) {
        need(1, field);
        return data[pos++] & 0xff;
    }

    int u16(String field) {
        need(2, field);
        int v = ((data[pos] & 0xff) << 8) | (data[pos + 1] & 0xff);
        pos += 2;
        return v;
    }

    long u32(String field) {
        need(4, field);
        long v = ((long) (data[pos] & 0xff) << 24) | ((data[pos + 1] & 0xff) << 16) | ((data[pos + 2] & 0xff) << 8)
                | (data[pos + 3] & 0xff);
        pos += 4;
        return v;
    }

    long i64(String field) {
        need(8, field);
        long v = ByteBuffer.wrap(data, pos, 8).getLong();
        pos += 8;
        return v;
    }

    byte[] bytes(int n, String field) {
        need(n, field);
        byte[] out = Arrays.copyOfRange(data, pos, pos + n);
        pos += n;
        return out;
    }

    /** A u16 length (at most {@code max}) and that many bytes. */
    byte[] bytes16(int min, int max, String field) {
        int n = u16(field + " length");
        if (n < min || n > max) {
            throw new CryptoException(format + ": " + field + " length " + n + " outside " + min + ".." + max);
        }
        return bytes(n, field);
    }

    /** A u16 length (at most {@code max}) and that much strict UTF-8. */
    String utf8(int min, int max, String field) {
        byte[] raw = bytes16(min, max, field);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(raw)).toString();
        } catch (CharacterCodingException e) {
            throw new CryptoException(format + ": " + field + " is not valid UTF-8");
        }
    }

    void expectEnd() {
        if (pos != data.length) {
            throw new CryptoException(format + ": " + (data.length - pos) + " unexpected trailing bytes at offset " + pos);
        }
    }

    CryptoException error(String message) {
        return new CryptoException(format + ": " + message);
    }
}

package io.hivemesh.api.multiformats;

import static io.hivemesh.api.multiformats.Errors.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VarintTest {
    private static final HexFormat HEX = HexFormat.of();

    /** Examples from the multiformats unsigned-varint spec, plus the 9-byte maximum. */
    @ParameterizedTest
    @CsvSource({
        "0, 00",
        "1, 01",
        "127, 7f",
        "128, 8001",
        "255, ff01",
        "300, ac02",
        "16384, 808001",
        "9223372036854775807, ffffffffffffffff7f",
    })
    void encodesSpecExamples(long value, String hex) {
        assertArrayEquals(HEX.parseHex(hex), Varint.encode(value));
        assertEquals(hex.length() / 2, Varint.size(value));
        assertEquals(value, Varint.decode(HEX.parseHex(hex)));
    }

    @Test
    void rejectsNegativeValues() {
        assertThrows(IllegalArgumentException.class, () -> Varint.encode(-1));
        assertThrows(IllegalArgumentException.class, () -> Varint.size(Long.MIN_VALUE));
    }

    @Test
    void rejectsTruncated() {
        assertRejected(() -> Varint.decode(HEX.parseHex("80")), "truncated");
        assertRejected(() -> Varint.decode(HEX.parseHex("ffff")), "truncated");
        assertRejected(() -> Varint.decode(new byte[0]), "no bytes");
    }

    @Test
    void rejectsOverlong() {
        assertRejected(() -> Varint.decode(HEX.parseHex("80808080808080808001")), "longer than 9 bytes");
        assertRejected(() -> Varint.decode(HEX.parseHex("ffffffffffffffffff01")), "longer than 9 bytes");
    }

    @Test
    void rejectsNonMinimal() {
        assertRejected(() -> Varint.decode(HEX.parseHex("8000")), "non-minimal");
        assertRejected(() -> Varint.decode(HEX.parseHex("818000")), "non-minimal");
    }

    @Test
    void rejectsTrailingBytes() {
        assertRejected(() -> Varint.decode(HEX.parseHex("0102")), "1 trailing bytes");
    }

    @Test
    void readAdvancesAndRestoresOnFailure() {
        ByteBuffer in = ByteBuffer.wrap(HEX.parseHex("ac0201"));
        assertEquals(300, Varint.read(in));
        assertEquals(2, in.position());
        assertEquals(1, Varint.read(in));

        ByteBuffer bad = ByteBuffer.wrap(HEX.parseHex("01ff"));
        Varint.read(bad);
        assertRejected(() -> Varint.read(bad), "truncated", "at byte 1");
        assertEquals(1, bad.position());
    }

    @Test
    void readIntBoundsAndNamesTheValue() {
        ByteBuffer in = ByteBuffer.wrap(HEX.parseHex("ac02"));
        assertRejected(() -> Varint.readInt(in, 299, "frame length"), "frame length", "300 exceeds maximum 299");
        assertEquals(0, in.position());
        assertEquals(300, Varint.readInt(in, 300, "frame length"));
        assertRejected(() -> Varint.readInt(ByteBuffer.wrap(HEX.parseHex("8000")), 10, "frame length"),
                "frame length", "non-minimal");
    }

    @Test
    void writeNeedsRoom() {
        ByteBuffer out = ByteBuffer.allocate(1);
        assertThrows(BufferOverflowException.class, () -> Varint.write(300, out));
        assertEquals(0, out.position());
        Varint.write(127, out);
        assertArrayEquals(HEX.parseHex("7f"), out.array());
    }
}

package io.hivemesh.api.multiformats;

import static io.hivemesh.api.multiformats.Errors.assertRejected;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.nio.ByteBuffer;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class MultihashTest {
    private static final HexFormat HEX = HexFormat.of();

    /** The multihash README example: sha2-256 of "hello world". */
    @Test
    void sha256OfHelloWorld() {
        Multihash mh = Multihash.sha256("hello world".getBytes(US_ASCII));
        assertEquals("1220b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9", HEX.formatHex(mh.toBytes()));
        assertEquals("QmaozNR7DZHQK1ZcU9p7QdrshMvXqWK6gpu5rmrkPdT3L4", mh.toString());
        assertEquals(Multihash.SHA2_256, mh.code());
        assertEquals("sha2-256", mh.name());
        assertEquals(32, mh.digestLength());
        assertEquals(mh, Multihash.decode(mh.toBytes()));
    }

    @Test
    void sha512AndIdentity() {
        Multihash sha512 = Multihash.sha512(new byte[0]);
        assertEquals("sha2-512", sha512.name());
        assertEquals("1340cf83e135", HEX.formatHex(sha512.toBytes(), 0, 6));
        Multihash id = Multihash.identity(new byte[] {1, 2, 3});
        assertEquals("0003010203", HEX.formatHex(id.toBytes()));
        assertEquals("identity", id.name());
        assertEquals(Multihash.identity(new byte[0]), Multihash.decode(HEX.parseHex("0000")));
    }

    @Test
    void blake3IsParsedNotComputed() {
        Multihash mh = Multihash.of(Multihash.BLAKE3, new byte[32]);
        assertEquals("blake3", mh.name());
        assertEquals("1e20", HEX.formatHex(mh.toBytes(), 0, 2));
        assertEquals(mh, Multihash.decode(mh.toBytes()));
        assertEquals(Multihash.MAX_BLAKE3_LENGTH, Multihash.of(Multihash.BLAKE3, new byte[128]).digestLength());
        assertRejected(() -> Multihash.of(Multihash.BLAKE3, new byte[0]), "blake3", "digest length 0, expected 1 to 128");
        assertRejected(() -> Multihash.of(Multihash.BLAKE3, new byte[129]), "digest length 129");
    }

    @Test
    void copiesDigest() {
        byte[] digest = new byte[32];
        Multihash mh = Multihash.of(Multihash.SHA2_256, digest);
        digest[0] = 1;
        assertEquals(0, mh.digest()[0]);
        mh.digest()[1] = 1;
        assertEquals(0, mh.digest()[1]);
        assertNotEquals(mh, Multihash.of(Multihash.SHA2_256, digest));
    }

    @Test
    void rejectsWrongLengths() {
        assertRejected(() -> Multihash.of(Multihash.SHA2_256, new byte[31]), "multihash sha2-256: digest length 31, expected 32");
        assertRejected(() -> Multihash.of(Multihash.SHA2_512, new byte[32]), "sha2-512", "expected 64");
        assertRejected(() -> Multihash.identity(new byte[1025]), "identity", "digest length 1025, expected 0 to 1024");
        assertRejected(() -> Multihash.decode(HEX.parseHex("121f" + "00".repeat(31))), "digest length 31, expected 32");
    }

    @Test
    void rejectsUnknownCodes() {
        assertRejected(() -> Multihash.of(0x11, new byte[20]), "unknown hash code 0x11");
        assertRejected(() -> Multihash.decode(HEX.parseHex("b4240100")), "unknown hash code 0x1234 at byte 0");
    }

    @Test
    void rejectsTruncatedAndTrailing() {
        assertRejected(() -> Multihash.decode(HEX.parseHex("1220" + "00".repeat(10))), "32 exceeds the 10 remaining bytes");
        assertRejected(() -> Multihash.decode(HEX.parseHex("1220" + "00".repeat(33))), "1 trailing bytes");
        assertRejected(() -> Multihash.decode(new byte[0]), "multihash: hash code", "no bytes");
        assertRejected(() -> Multihash.decode(HEX.parseHex("12")), "multihash sha2-256: digest length", "no bytes");
        assertRejected(() -> Multihash.decode(HEX.parseHex("8000")), "non-minimal");
    }

    @Test
    void readAdvancesAndRestores() {
        byte[] two = HEX.parseHex("000101" + "000102");
        ByteBuffer in = ByteBuffer.wrap(two);
        assertArrayEquals(new byte[] {1}, Multihash.read(in).digest());
        assertEquals(3, in.position());
        ByteBuffer bad = ByteBuffer.wrap(HEX.parseHex("1220ff"));
        assertRejected(() -> Multihash.read(bad), "remaining");
        assertEquals(0, bad.position());
    }
}

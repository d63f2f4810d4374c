package io.hivemesh.api.multiformats;

import static io.hivemesh.api.multiformats.Errors.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import io.hivemesh.api.multiformats.Multibase.Encoding;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class CidTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String V0 = "QmdfTbBqBPQ7VNxZEYEj14VmRuZBkqFbiwReogJgS1zR1n";
    private static final String V1 = "bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku";

    /** The CID spec's CIDv0 and the CIDv1 it converts to. */
    @Test
    void v0ToV1() {
        Cid v0 = Cid.parse(V0);
        assertEquals(0, v0.version());
        assertEquals(Multicodec.DAG_PB, v0.codec());
        assertEquals(V0, v0.toString());
        assertEquals(34, v0.toBytes().length);
        Cid v1 = v0.toV1();
        assertEquals(V1, v1.toString());
        assertEquals(v1, Cid.parse(V1));
        assertEquals(v0.multihash(), v1.multihash());
        assertNotEquals(v0, v1);
        assertSame(v1, v1.toV1());
        assertEquals(v0, Cid.decode(v0.toBytes()));
        assertEquals(v1, Cid.decode(v1.toBytes()));
        assertEquals(V0, v0.toString(Encoding.BASE58BTC));
    }

    /** The CID spec's human-readable example: base58btc - cidv1 - raw - sha2-256. */
    @Test
    void base58V1RawExample() {
        Cid cid = Cid.parse("zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA");
        assertEquals(1, cid.version());
        assertEquals(Multicodec.RAW, cid.codec());
        assertEquals("sha2-256", cid.multihash().name());
        assertEquals("6e6ff7950a36187a801613426e858dce686cd7d7e3c0fc42ee0330072d245c95",
                HEX.formatHex(cid.multihash().digest()));
        assertEquals("zb2rhe5P4gXftAwvA4eXQ5HJwsER2owDyS9sKaQRRVQPn93bA", cid.toString(Encoding.BASE58BTC));
    }

    /** The libp2p peer-ids spec's PeerId-as-CID example. */
    @Test
    void libp2pKeyCid() {
        Cid cid = Cid.parse("bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe");
        assertEquals(Multicodec.LIBP2P_KEY, cid.codec());
        assertEquals(Multihash.SHA2_256, cid.multihash().code());
        for (Encoding e : Encoding.values()) {
            assertEquals(cid, Cid.parse(cid.toString(e)));
        }
    }

    @Test
    void constructors() {
        Multihash mh = Multihash.sha256(new byte[] {1});
        assertEquals(Cid.v0(mh).toV1(), Cid.v1(Multicodec.DAG_PB, mh));
        assertRejected(() -> Cid.v0(Multihash.sha512(new byte[0])), "cid v0", "sha2-256, not sha2-512");
        assertRejected(() -> Cid.v1(0x0129, mh), "unknown codec 0x129");
    }

    @Test
    void v0TextOnlyInBase58() {
        assertRejected(() -> Cid.parse(V0).toString(Encoding.BASE32), "only be written in base58btc");
    }

    @Test
    void rejectsBadVersions() {
        String mh = "1220" + "00".repeat(32);
        assertRejected(() -> Cid.decode(HEX.parseHex("0270" + mh)), "unsupported version 2");
        assertRejected(() -> Cid.decode(HEX.parseHex("0370" + mh)), "unsupported version 3");
        assertRejected(() -> Cid.decode(HEX.parseHex("0070" + mh)), "version 0 must be a bare sha2-256 multihash");
        assertRejected(() -> Cid.decode(HEX.parseHex("80")), "cid: version", "truncated");
        assertRejected(() -> Cid.decode(new byte[0]), "cid: version");
    }

    @Test
    void rejectsUnknownCodecAndTrailingBytes() {
        String mh = "1220" + "00".repeat(32);
        assertRejected(() -> Cid.decode(HEX.parseHex("01a902" + mh)), "unknown codec 0x129 at byte 1");
        assertRejected(() -> Cid.decode(HEX.parseHex("0155" + mh + "00")), "1 trailing bytes");
        assertRejected(() -> Cid.decode(HEX.parseHex("0155" + "1220" + "00".repeat(31))), "cid: multihash sha2-256",
                "exceeds");
    }

    @Test
    void rejectsMalformedV0() {
        assertRejected(() -> Cid.decode(HEX.parseHex("1220" + "00".repeat(31))), "cid v0", "34-byte", "33 bytes");
        assertRejected(() -> Cid.decode(HEX.parseHex("1221" + "00".repeat(32))), "cid v0");
        String multibaseV0 = "z" + V0;
        assertRejected(() -> Cid.parse(multibaseV0), "CIDv0 must not be multibase-encoded");
        assertRejected(() -> Cid.parse("Qm" + "0".repeat(44)), "cid: base58btc", "invalid character '0'");
    }

    @Test
    void rejectsBadText() {
        assertRejected(() -> Cid.parse(""), "cid: empty");
        assertRejected(() -> Cid.parse("xyz"), "cid: multibase: unknown prefix 'x'");
        assertRejected(() -> Cid.parse("b11"), "cid: base32", "invalid character '1'");
    }

    @Test
    void bytesAreCopies() {
        Cid cid = Cid.parse(V1);
        byte[] b = cid.toBytes();
        b[0] = 9;
        assertArrayEquals(Cid.parse(V1).toBytes(), cid.toBytes());
    }
}

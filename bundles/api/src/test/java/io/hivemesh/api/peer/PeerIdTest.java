package io.hivemesh.api.peer;

import static io.hivemesh.api.multiformats.Errors.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.multiformats.Cid;
import io.hivemesh.api.multiformats.Multibase;
import io.hivemesh.api.multiformats.Multicodec;
import io.hivemesh.api.multiformats.Multihash;
import java.util.HexFormat;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PeerIdTest {
    private static final HexFormat HEX = HexFormat.of();

    @Test
    void ed25519VectorIsInlined() {
        byte[] protobuf = KeyVectors.bytes("ed25519.public");
        PublicKey key = PublicKey.fromProtobuf(protobuf);
        PeerId id = PeerId.fromPublicKey(key);
        assertEquals("12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq", id.toString());
        assertEquals(Multihash.IDENTITY, id.multihash().code());
        assertArrayEquals(protobuf, id.multihash().digest());
        assertEquals(Optional.of(key), id.publicKey());
        assertEquals(Optional.of(key), PeerId.parse(id.toString()).publicKey());
        assertEquals(id, PeerId.parse(id.toCidString()));
        assertEquals(id, PeerId.fromBytes(id.toBytes()));
        assertTrue(id.toCidString().startsWith("bafzaa"));
    }

    /** Key type, the multihash the spec requires for its encoded length, and the text prefix. */
    @ParameterizedTest
    @CsvSource({"secp256k1, 0, 16Uiu2HA", "ecdsa, 18, Qm", "rsa, 18, Qm"})
    void otherVectors(String vector, int hashCode, String prefix) {
        PublicKey key = PublicKey.fromProtobuf(KeyVectors.bytes(vector + ".public"));
        PeerId id = PeerId.fromPublicKey(key);
        assertEquals(hashCode, id.multihash().code());
        assertTrue(id.toString().startsWith(prefix), id.toString());
        assertEquals(hashCode == 0, id.publicKey().isPresent());
        if (hashCode != 0) {
            assertEquals(Multihash.sha256(key.toProtobuf()), id.multihash());
        }
        assertEquals(id, PeerId.parse(id.toString()));
        assertEquals(id, PeerId.parse(id.toCidString()));
    }

    /** The peer-ids spec's text examples and js-multiaddr's CID/base58 pairs. */
    @ParameterizedTest
    @CsvSource({
        "QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N, QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N",
        "12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA, 12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA",
        "bafzbeidt255unskpefjmqb2rc27vjuyxopkxgaylxij6pw35hhys4vnyp4, QmW8rAgaaA6sRydK1k6vonShQME47aDxaFidbtMevWs73t",
        "bafzbeigweq4zr4x4ky2dvv7nanbkw6egutvrrvzw6g3h2rftp7gidyhtt4, QmckZzdVd72h9QUFuJJpQqhsZqGLwjhh81qSvZ9BhB2FQi",
    })
    void specExamples(String text, String legacy) {
        PeerId id = PeerId.parse(text);
        assertEquals(legacy, id.toString());
        assertEquals(id, PeerId.parse(id.toCidString()));
        assertEquals(id.toCid(), Cid.parse(id.toCidString()));
        assertEquals(Multicodec.LIBP2P_KEY, id.toCid().codec());
    }

    @Test
    void specCidExample() {
        String cid = "bafzbeie5745rpv2m6tjyuugywy4d5ewrqgqqhfnf445he3omzpjbx5xqxe";
        PeerId id = PeerId.parse(cid);
        assertEquals(Multihash.SHA2_256, id.multihash().code());
        assertEquals(cid, id.toCidString());
        assertEquals(id, PeerId.parse(id.toCid().toString(Multibase.Encoding.BASE36)));
        assertEquals(Optional.empty(), id.publicKey());
    }

    @Test
    void ordering() {
        PeerId a = PeerId.parse("QmYyQSo1c1Ym7orWxLYvCrM2EmxFTANf8wXmmE7DWjhx5N");
        PeerId b = PeerId.parse("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
        assertTrue(b.compareTo(a) < 0, "identity (0x00) sorts before sha2-256 (0x12)");
        assertEquals(0, a.compareTo(PeerId.parse(a.toCidString())));
        assertEquals(a.hashCode(), PeerId.parse(a.toCidString()).hashCode());
    }

    @Test
    void rejectsDisallowedMultihashes() {
        assertRejected(() -> PeerId.fromMultihash(Multihash.sha512(new byte[0])), "peer id", "sha2-512 not allowed");
        assertRejected(() -> PeerId.fromMultihash(Multihash.of(Multihash.BLAKE3, new byte[32])), "blake3 not allowed");
        assertRejected(() -> PeerId.fromMultihash(Multihash.identity(new byte[43])), "identity multihash of 43 bytes");
        assertRejected(() -> PeerId.fromMultihash(Multihash.identity(HEX.parseHex("0801"))),
                "does not hold a public key", "missing required field 2");
        byte[] sha512 = Multihash.sha512(new byte[0]).toBytes();
        assertRejected(() -> PeerId.fromBytes(sha512), "peer id", "sha2-512 not allowed");
        String sha512Text = Multibase.Encoding.BASE58BTC.encodeRaw(sha512);
        assertRejected(() -> PeerId.parse(sha512Text), "peer id: not a base58btc multihash (1..., Qm...) nor a CID");
    }

    @Test
    void rejectsBadText() {
        assertRejected(() -> PeerId.parse(""), "peer id: empty");
        assertRejected(() -> PeerId.parse("Qm0"), "peer id: base58btc", "invalid character '0'");
        assertRejected(() -> PeerId.parse("xyz"), "peer id", "unknown prefix 'x'");
        assertRejected(() -> PeerId.parse("bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"),
                "CID codec dag-pb is not libp2p-key");
        assertRejected(() -> PeerId.parse("bafkreihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku"),
                "CID codec raw is not libp2p-key");
        assertRejected(() -> PeerId.fromBytes(HEX.parseHex("1220ff")), "peer id: multihash");
    }
}

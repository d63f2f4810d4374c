package io.hivemesh.api.peer;

import static io.hivemesh.api.multiformats.Errors.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PublicKeyTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String ED = "080112201ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";
    private static final String ED_DATA = "1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e";

    /** Every public key vector decodes and re-encodes to the same bytes. */
    @ParameterizedTest
    @CsvSource({"ed25519, ED25519, 32", "secp256k1, SECP256K1, 33", "ecdsa, ECDSA, 91", "rsa, RSA, 550"})
    void specVectors(String vector, KeyType type, int dataLength) {
        byte[] protobuf = KeyVectors.bytes(vector + ".public");
        PublicKey key = PublicKey.fromProtobuf(protobuf);
        assertEquals(type, key.type());
        assertEquals(dataLength, key.data().length);
        assertArrayEquals(protobuf, key.toProtobuf());
        assertEquals(key, new PublicKey(type, key.data()));
    }

    /** The JDK parses the DER of the RSA and ECDSA vectors, and the private vectors embed the same keys. */
    @Test
    void derVectorsAreRealKeys() throws Exception {
        byte[] rsaDer = PublicKey.fromProtobuf(KeyVectors.bytes("rsa.public")).data();
        RSAPublicKey rsa = (RSAPublicKey) KeyFactory.getInstance("RSA").generatePublic(new X509EncodedKeySpec(rsaDer));
        assertEquals(4096, rsa.getModulus().bitLength());
        assertTrue(contains(PrivateKey.fromProtobuf(KeyVectors.bytes("rsa.private")).data(), unsigned(rsa.getModulus())));

        byte[] ecDer = PublicKey.fromProtobuf(KeyVectors.bytes("ecdsa.public")).data();
        ECPublicKey ec = (ECPublicKey) KeyFactory.getInstance("EC").generatePublic(new X509EncodedKeySpec(ecDer));
        assertTrue(contains(PrivateKey.fromProtobuf(KeyVectors.bytes("ecdsa.private")).data(),
                unsigned(ec.getW().getAffineX())));
    }

    private static byte[] unsigned(BigInteger n) {
        byte[] b = n.toByteArray();
        return b[0] == 0 ? Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            if (Arrays.equals(haystack, i, i + needle.length, needle, 0, needle.length)) {
                return true;
            }
        }
        return false;
    }

    @Test
    void copiesAndEquality() {
        byte[] data = HEX.parseHex(ED_DATA);
        PublicKey key = new PublicKey(KeyType.ED25519, data);
        data[0] = 0;
        assertEquals(0x1e, key.data()[0]);
        key.data()[0] = 0;
        assertEquals(0x1e, key.data()[0]);
        assertEquals(key, PublicKey.fromProtobuf(HEX.parseHex(ED)));
        assertEquals(key.hashCode(), PublicKey.fromProtobuf(HEX.parseHex(ED)).hashCode());
        assertNotEquals(key, new PublicKey(KeyType.ED25519, new byte[32]));
        assertTrue(key.toString().contains("ED25519"));
    }

    @Test
    void rejectsWrongShapes() {
        assertRejected(() -> new PublicKey(KeyType.ED25519, new byte[31]), "ED25519", "data length 31, expected 32");
        assertRejected(() -> new PublicKey(KeyType.SECP256K1, new byte[33]), "SECP256K1", "33-byte compressed");
        assertRejected(() -> new PublicKey(KeyType.RSA, new byte[0]), "RSA", "empty data");
        assertRejected(() -> new PublicKey(KeyType.ECDSA, new byte[8190]), "exceeds 8192");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        ED + "1800 | unknown field 3 (wire type 0) at byte 36",
        ED + "2201ff | unknown field 4 (wire type 2)",
        ED + "0801 | duplicate field 1 (Type) at byte 36",
        "1220" + ED_DATA + "0801 | field 1 (Type) after field 2 (Data) at byte 34",
        "08010801 | duplicate field 1 (Type)",
        ED + "1200 | duplicate field 2 (Data)",
        "0a00 | field 1 (Type) has wire type 2, expected 0",
        "080111 | field 2 (Data) has wire type 1, expected 2",
        "0807 | unknown key type 7",
        "08ffffffffffffffff7f | unknown key type 9223372036854775807",
        "088000 | Type value at byte 1: varint: non-minimal",
        "08011220 | Data length 32 exceeds the 0 remaining bytes",
        "0801 | missing required field 2 (Data)",
        "1220" + ED_DATA + " | missing required field 1 (Type)",
        "'' | missing required field 1 (Type)",
        "ff | field tag at byte 0",
        "0f | field 1 (Type) has wire type 7, expected 0",
        "1f | unknown field 3 (wire type 7)",
        "0801ff | field tag at byte 2",
        "08011220" + ED_DATA + "00 | unknown field 0",
    })
    void rejectsMalformedProtobuf(String hex, String fragment) {
        assertRejected(() -> PublicKey.fromProtobuf(HEX.parseHex(hex)), "public key protobuf", fragment.strip());
    }

    @Test
    void rejectsTruncatedVector() {
        byte[] vector = HEX.parseHex(ED);
        assertRejected(() -> PublicKey.fromProtobuf(Arrays.copyOf(vector, vector.length - 1)),
                "Data length 32 exceeds the 31 remaining bytes");
        assertRejected(() -> PublicKey.fromProtobuf(new byte[8193]), "8193 bytes exceeds maximum 8192");
    }

    @Test
    void keyTypes() {
        assertEquals(KeyType.SECP256K1, KeyType.of(2));
        assertEquals(3, KeyType.ECDSA.number());
        assertRejected(() -> KeyType.of(4), "unknown number 4");
    }
}

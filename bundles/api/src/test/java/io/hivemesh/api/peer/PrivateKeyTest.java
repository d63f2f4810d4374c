package io.hivemesh.api.peer;

import static io.hivemesh.api.multiformats.Errors.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.EdECPrivateKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PrivateKeyTest {
    private static final HexFormat HEX = HexFormat.of();

    @ParameterizedTest
    @CsvSource({"ed25519, ED25519, 64", "secp256k1, SECP256K1, 32", "ecdsa, ECDSA, 121", "rsa, RSA, 2350"})
    void specVectors(String vector, KeyType type, int dataLength) {
        byte[] protobuf = KeyVectors.bytes(vector + ".private");
        PrivateKey key = PrivateKey.fromProtobuf(protobuf);
        assertEquals(type, key.type());
        assertEquals(dataLength, key.data().length);
        assertArrayEquals(protobuf, key.toProtobuf());
    }

    /** The spec vector's Ed25519 seed signs for the spec vector's public key (checked with the JDK). */
    @Test
    void ed25519VectorIsAKeyPair() throws Exception {
        byte[] data = PrivateKey.fromProtobuf(KeyVectors.bytes("ed25519.private")).data();
        byte[] publicKey = PublicKey.fromProtobuf(KeyVectors.bytes("ed25519.public")).data();
        assertArrayEquals(publicKey, Arrays.copyOfRange(data, 32, 64));

        KeyFactory kf = KeyFactory.getInstance("Ed25519");
        Signature signer = Signature.getInstance("Ed25519");
        signer.initSign(kf.generatePrivate(new EdECPrivateKeySpec(NamedParameterSpec.ED25519, Arrays.copyOf(data, 32))));
        byte[] message = "hivemesh".getBytes(StandardCharsets.US_ASCII);
        signer.update(message);
        byte[] signature = signer.sign();

        byte[] spki = HEX.parseHex("302a300506032b6570032100" + HEX.formatHex(publicKey));
        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(kf.generatePublic(new X509EncodedKeySpec(spki)));
        verifier.update(message);
        assertTrue(verifier.verify(signature));
    }

    @Test
    void legacyEd25519FormIsNormalised() {
        byte[] data = PrivateKey.fromProtobuf(KeyVectors.bytes("ed25519.private")).data();
        byte[] legacy = Arrays.copyOf(data, 96);
        System.arraycopy(data, 32, legacy, 64, 32);
        PrivateKey key = new PrivateKey(KeyType.ED25519, legacy);
        assertArrayEquals(data, key.data());
        assertArrayEquals(KeyVectors.bytes("ed25519.private"), key.toProtobuf());
        legacy[95] ^= 1;
        assertRejected(() -> new PrivateKey(KeyType.ED25519, legacy), "two different public keys");
    }

    @Test
    void neverShowsKeyMaterial() {
        PrivateKey key = PrivateKey.fromProtobuf(KeyVectors.bytes("ed25519.private"));
        String text = key.toString();
        assertTrue(text.contains("ED25519"));
        assertTrue(text.contains("redacted"));
        assertFalse(text.toLowerCase().contains("7e0830"));
        assertFalse(text.contains("126"));
    }

    @Test
    void equality() {
        PrivateKey a = PrivateKey.fromProtobuf(KeyVectors.bytes("secp256k1.private"));
        PrivateKey b = new PrivateKey(KeyType.SECP256K1, a.data());
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        assertNotEquals(a, new PrivateKey(KeyType.SECP256K1, new byte[32]));
    }

    @Test
    void rejectsWrongShapes() {
        assertRejected(() -> new PrivateKey(KeyType.ED25519, new byte[32]), "ED25519", "data length 32, expected 64");
        assertRejected(() -> new PrivateKey(KeyType.SECP256K1, new byte[33]), "SECP256K1", "expected 32");
        assertRejected(() -> new PrivateKey(KeyType.ECDSA, new byte[0]), "empty data");
        assertRejected(() -> PrivateKey.fromProtobuf(new byte[16385]), "private key protobuf", "exceeds maximum 16384");
        assertRejected(() -> PrivateKey.fromProtobuf(HEX.parseHex("08021220" + "00".repeat(32) + "1800")),
                "private key protobuf", "unknown field 3");
        assertRejected(() -> PrivateKey.fromProtobuf(HEX.parseHex("080212")), "private key protobuf", "Data length");
    }
}

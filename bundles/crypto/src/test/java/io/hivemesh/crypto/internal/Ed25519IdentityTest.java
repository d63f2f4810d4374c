package io.hivemesh.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.peer.PeerId;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.EdECPoint;
import java.security.spec.EdECPublicKeySpec;
import java.security.spec.NamedParameterSpec;
import java.security.SecureRandom;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class Ed25519IdentityTest {
    private static final HexFormat HEX = HexFormat.of();

    /** RFC 8032 section 7.1, TEST 1 (empty message). */
    @Test
    void rfc8032Test1() {
        Ed25519Identity id = new Ed25519Identity(
                HEX.parseHex("9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60"), "a");
        assertEquals("d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a",
                HEX.formatHex(id.publicKey().data()));
        assertEquals("e5564300c360ac729086e2cc806e828a84877f1eb8e5d974d873e06522490155"
                + "5fb8821590a33bacc61e39701cf9b46bd25bf5f0595bbe24655141438e7a100b",
                HEX.formatHex(id.sign(new byte[0])));
    }

    /** RFC 8032 section 7.1, TEST 2 (one byte). */
    @Test
    void rfc8032Test2() {
        Ed25519Identity id = new Ed25519Identity(
                HEX.parseHex("4ccd089b28ff96da9db6c346ec114e0f5b8a319f35aba624da8cf6ed4fb8a6fb"), "a");
        assertEquals("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c",
                HEX.formatHex(id.publicKey().data()));
        assertEquals("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00",
                HEX.formatHex(id.sign(HEX.parseHex("72"))));
    }

    /** Our signatures verify with an independent implementation: the JDK's own Ed25519. */
    @Test
    void signaturesVerifyWithTheJdkProvider() throws Exception {
        Ed25519Identity id = Ed25519Identity.generate(new SecureRandom(), "a");
        byte[] message = "noise-libp2p-static-key:0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.UTF_8);
        byte[] signature = id.sign(message);

        Signature verifier = Signature.getInstance("Ed25519");
        verifier.initVerify(jdkPublicKey(id.publicKey().data()));
        verifier.update(message);
        assertTrue(verifier.verify(signature));

        message[0] ^= 1;
        verifier.initVerify(jdkPublicKey(id.publicKey().data()));
        verifier.update(message);
        assertFalse(verifier.verify(signature), "a changed message must not verify");
    }

    @Test
    void peerIdIsTheIdentityMultihashOfThePublicKey() {
        Ed25519Identity id = Ed25519Identity.generate(new SecureRandom(), "a");
        assertEquals(PeerId.fromPublicKey(id.publicKey()), id.peerId());
        assertEquals(id.publicKey(), id.peerId().publicKey().orElseThrow());
    }

    private static java.security.PublicKey jdkPublicKey(byte[] encoded) throws Exception {
        // RFC 8032 encoding: little-endian y with the x parity in the top bit of the last byte.
        byte[] le = encoded.clone();
        boolean xOdd = (le[31] & 0x80) != 0;
        le[31] &= 0x7f;
        byte[] be = new byte[32];
        for (int i = 0; i < 32; i++) {
            be[i] = le[31 - i];
        }
        EdECPoint point = new EdECPoint(xOdd, new BigInteger(1, be));
        return KeyFactory.getInstance("Ed25519").generatePublic(new EdECPublicKeySpec(NamedParameterSpec.ED25519, point));
    }
}

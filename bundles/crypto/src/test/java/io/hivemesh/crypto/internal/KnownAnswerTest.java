package io.hivemesh.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.crypto.CryptoException;
import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PublicKey;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.HexFormat;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMGenerator;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMPublicKeyParameters;
import org.junit.jupiter.api.Test;

/** Published known-answer vectors for the primitives the formats are built on. */
class KnownAnswerTest {
    private static final HexFormat HEX = HexFormat.of();

    /** RFC 7748 section 5.2, first X25519 vector. */
    @Test
    void x25519Rfc7748Section52() {
        X25519PrivateKeyParameters k = new X25519PrivateKeyParameters(
                HEX.parseHex("a546e36bf0527c9d3b16154b82465edd62144c0ac1fc5a18506a2244ba449ac4"), 0);
        assertEquals("c3da55379de9c6908e94ea4df28d084f32eccf03491c71f754b4075577a28552", HEX.formatHex(
                KemKeyPair.agree(k, HEX.parseHex("e6db6867583030db3594c1a424b15f7c726624ec26b3353b10a903a6d0ab1c4c"))));
    }

    /** RFC 7748 section 6.1: Alice and Bob's public keys and shared secret. */
    @Test
    void x25519Rfc7748Section61() {
        X25519PrivateKeyParameters alice = new X25519PrivateKeyParameters(
                HEX.parseHex("77076d0a7318a57d3c16c17251b26645df4c2f87ebc0992ab177fba51db92c2a"), 0);
        X25519PrivateKeyParameters bob = new X25519PrivateKeyParameters(
                HEX.parseHex("5dab087e624a8a4b79e17f8b83800ee66f3bb1292618b6fd1c2f8b27ff88e0eb"), 0);
        assertEquals("8520f0098930a754748b7ddcb43ef75a0dbf3a0d26381af4eba4a98eaa9b4e6a",
                HEX.formatHex(alice.generatePublicKey().getEncoded()));
        assertEquals("de9edb7d7b7dc1b4d35b61c2ece435373f8343c85b78674dadfc7e146f882b4f",
                HEX.formatHex(bob.generatePublicKey().getEncoded()));
        String shared = "4a5d9d5ba4ce2de1728e3bf480350f25e07e21c947d19e3376f09b3c1e161742";
        assertEquals(shared, HEX.formatHex(KemKeyPair.agree(alice, bob.generatePublicKey().getEncoded())));
        assertEquals(shared, HEX.formatHex(KemKeyPair.agree(bob, alice.generatePublicKey().getEncoded())));
    }

    /** A low-order X25519 point (all zero) would give an all-zero secret: refused. */
    @Test
    void x25519LowOrderPointRefused() {
        X25519PrivateKeyParameters k = new X25519PrivateKeyParameters(new SecureRandom());
        CryptoException e = assertThrows(CryptoException.class, () -> KemKeyPair.agree(k, new byte[32]));
        assertTrue(e.getMessage().contains("low order"), e.getMessage());
    }

    /** RFC 5869 appendix A.1 (HKDF-SHA256, basic test case). */
    @Test
    void hkdfRfc5869Case1() {
        byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        byte[] okm = Hashes.hkdf(ikm, HEX.parseHex("000102030405060708090a0b0c"),
                HEX.parseHex("f0f1f2f3f4f5f6f7f8f9"), 42);
        assertEquals("3cb25f25faacd57a90434f64d0362f2a2d2d0a90cf1a5a4c5db02d56ecc4c5bf34007208d5b887185865",
                HEX.formatHex(okm));
    }

    /** RFC 5869 appendix A.3 (HKDF-SHA256, zero-length salt and info). */
    @Test
    void hkdfRfc5869Case3() {
        byte[] ikm = HEX.parseHex("0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b0b");
        assertEquals("8da4e775a563c18f715f802a063c5a31b8a11f5c5ee1879ec3454e5f3c738d2d9d201395faa4b61a96c8",
                HEX.formatHex(Hashes.hkdf(ikm, new byte[0], new byte[0], 42)));
    }

    /** The GCM specification (McGrew and Viega), test cases 13 and 14: AES-256, zero key and IV. */
    @Test
    void aes256GcmSpecCases13And14() throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[32], "AES"), new GCMParameterSpec(128, new byte[12]));
        assertEquals("530f8afbc74536b9a963b4f1c4cb738b", HEX.formatHex(c.doFinal(new byte[0])));
        c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, new SecretKeySpec(new byte[32], "AES"), new GCMParameterSpec(128, new byte[12]));
        assertEquals("cea7403d4d606b6e074ec5d3baf39d18" + "d0d1c8a799996bf0265b98b5d48ab919",
                HEX.formatHex(c.doFinal(new byte[16])));
    }

    /** RFC 8032 section 7.1 TEST 2, through the verifier the envelope and token code use. */
    @Test
    void ed25519Rfc8032Test2Verifies() {
        PublicKey key = new PublicKey(KeyType.ED25519,
                HEX.parseHex("3d4017c3e843895a92b70aa74d1b7ebc9c982ccf2ec4968cc0cd55f12af4660c"));
        byte[] sig = HEX.parseHex("92a009a9f0d4cab8720e820b5f642540a2b27b5416503f8fb3762223ebdb69da"
                + "085ac1e43e15996e458f3613d0f11d8c387b2eaeb4302aeeb00d291612bb0c00");
        assertTrue(Signatures.ed25519(key, HEX.parseHex("72"), sig));
        assertFalse(Signatures.ed25519(key, HEX.parseHex("73"), sig));
        sig[63] ^= 0x40;
        assertFalse(Signatures.ed25519(key, HEX.parseHex("72"), sig));
    }

    /** GF(256) with the AES polynomial: FIPS 197 section 4.2 example {57}·{83} = {c1}; inverses. */
    @Test
    void gf256() {
        assertEquals(0xc1, Gf256.mul(0x57, 0x83));
        assertEquals(0xfe, Gf256.mul(0x57, 0x13));
        for (int a = 1; a < 256; a++) {
            assertEquals(1, Gf256.mul(a, Gf256.inv(a)), "inverse of " + a);
        }
    }

    /** ML-KEM-768 sizes (FIPS 203 table 3) and encapsulation/decapsulation agreement; implicit rejection. */
    @Test
    void mlkem768() {
        KemKeyPair pair = KemKeyPair.generate(new SecureRandom(), Instant.EPOCH);
        byte[] pub = pair.publicKey();
        assertEquals(1 + 32 + 1184, pub.length);
        byte[] ek = java.util.Arrays.copyOfRange(pub, 33, pub.length);
        SecretWithEncapsulation enc = new MLKEMGenerator(new SecureRandom())
                .generateEncapsulated(new MLKEMPublicKeyParameters(MLKEMParameters.ml_kem_768, ek));
        assertEquals(1088, enc.getEncapsulation().length);
        assertArrayEquals(enc.getSecret(), pair.mlkemDecapsulate(enc.getEncapsulation()));
        byte[] tampered = enc.getEncapsulation();
        tampered[5] ^= 1;
        assertNotEquals(HEX.formatHex(enc.getSecret()), HEX.formatHex(pair.mlkemDecapsulate(tampered)));
        // Rebuilt from the stored seed, the pair is the same key.
        KemKeyPair again = new KemKeyPair(pair.x25519Private(), pair.mlkemSeed(), Instant.EPOCH);
        assertArrayEquals(pub, again.publicKey());
    }

    /**
     * ML-KEM-768 key generation against NIST ACVP (ML-KEM keyGen, FIPS 203, vector set v1.1.0.38,
     * test case 26): from d and z, the encapsulation key's SHA3-256 is H(ek) as published inside the
     * expected decapsulation key (dk = dk_PKE ‖ ek ‖ H(ek) ‖ z).
     */
    @Test
    void mlkem768AcvpKeyGenCase26() {
        byte[] d = HEX.parseHex("97C4789340DF47850A84889820B9B4307DF3E43A7DE3F5857340C791934F1E99");
        byte[] z = HEX.parseHex("D7F7FE2AA083A10A9C267D3163D0FB888C9D2D7614482095EF1817E1E9E4AC88");
        byte[] seed = java.util.Arrays.copyOf(d, 64);
        System.arraycopy(z, 0, seed, 32, 32);
        KemKeyPair pair = new KemKeyPair(new byte[32], seed, Instant.EPOCH);
        byte[] ek = java.util.Arrays.copyOfRange(pair.publicKey(), 33, 33 + 1184);
        org.bouncycastle.crypto.digests.SHA3Digest sha3 = new org.bouncycastle.crypto.digests.SHA3Digest(256);
        sha3.update(ek, 0, ek.length);
        byte[] h = new byte[32];
        sha3.doFinal(h, 0);
        assertEquals("345f067d4a9b077fbf18f7561cc71d409d21a3038f1eadd46f165e47b736ed73", HEX.formatHex(h));
        assertTrue(HEX.formatHex(ek).endsWith("2939a35349164df25688c015d"), "ek tail");
    }

    /** ML-DSA-65 sizes (FIPS 204 table 2), sign/verify, and rebuilding the key from its seed. */
    @Test
    void mldsa65() {
        MlDsaKey key = MlDsaKey.generate(new SecureRandom());
        byte[] msg = "hello".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        byte[] sig = key.sign(msg);
        assertEquals(1952, key.publicKey().length);
        assertEquals(3309, sig.length);
        assertTrue(Signatures.mldsa65(key.publicKey(), msg, sig));
        msg[0] ^= 1;
        assertFalse(Signatures.mldsa65(key.publicKey(), msg, sig));
        assertArrayEquals(key.publicKey(), new MlDsaKey(key.seed(), new SecureRandom()).publicKey());
    }
}

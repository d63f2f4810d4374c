package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PublicKey;

import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;

/**
 * Verifies Ed25519 signatures (RFC 8032) with the JDK's provider, so that the workload bundle needs
 * no crypto library of its own. The raw 32-byte key is wrapped in its X.509 SubjectPublicKeyInfo
 * (RFC 8410: algorithm id 1.3.101.112). Never throws on bad input: returns false.
 */
final class Ed25519Verifier {
    static final int SIGNATURE_BYTES = 64;
    private static final int KEY_BYTES = 32;
    /** SEQUENCE { SEQUENCE { OID 1.3.101.112 }, BIT STRING (33 bytes: no unused bits + key) }. */
    private static final byte[] SPKI_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private Ed25519Verifier() {
    }

    /** Whether {@code signature} is a valid Ed25519 signature of {@code message} by {@code key}. */
    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        byte[] raw = key.data();
        if (key.type() != KeyType.ED25519 || raw.length != KEY_BYTES || signature.length != SIGNATURE_BYTES) {
            return false;
        }
        byte[] spki = new byte[SPKI_PREFIX.length + KEY_BYTES];
        System.arraycopy(SPKI_PREFIX, 0, spki, 0, SPKI_PREFIX.length);
        System.arraycopy(raw, 0, spki, SPKI_PREFIX.length, KEY_BYTES);
        try {
            java.security.PublicKey pub = KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(spki));
            Signature verifier = Signature.getInstance("Ed25519");
            verifier.initVerify(pub);
            verifier.update(message);
            return verifier.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}

package io.hivemesh.crypto.internal;

import io.hivemesh.api.crypto.CryptoException;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import org.bouncycastle.crypto.agreement.X25519Agreement;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.X25519PublicKeyParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMExtractor;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMPrivateKeyParameters;

/**
 * A hybrid KEM key pair: X25519 (RFC 7748) and ML-KEM-768 (FIPS 203), kept as the 32-byte X25519
 * private key and the 64-byte ML-KEM seed (d ‖ z). Public encoding (1217 bytes):
 * {@code u8 suite 1 | 32-byte X25519 public key | 1184-byte ML-KEM-768 encapsulation key}.
 * Immutable and thread-safe.
 */
final class KemKeyPair {
    static final int SUITE = 1;
    static final int X25519_LENGTH = 32;
    static final int MLKEM_SEED_LENGTH = 64;
    static final int MLKEM_PUBLIC_LENGTH = 1184;
    static final int MLKEM_CIPHERTEXT_LENGTH = 1088;
    static final int PUBLIC_LENGTH = 1 + X25519_LENGTH + MLKEM_PUBLIC_LENGTH;

    private final X25519PrivateKeyParameters x25519;
    private final MLKEMPrivateKeyParameters mlkem;
    private final byte[] publicKey;
    private final byte[] keyId;
    private final Instant created;

    KemKeyPair(byte[] x25519Private, byte[] mlkemSeed, Instant created) {
        if (x25519Private.length != X25519_LENGTH || mlkemSeed.length != MLKEM_SEED_LENGTH) {
            throw new IllegalArgumentException("KEM key pair needs a 32-byte X25519 key and a 64-byte ML-KEM seed");
        }
        this.x25519 = new X25519PrivateKeyParameters(x25519Private, 0);
        this.mlkem = new MLKEMPrivateKeyParameters(MLKEMParameters.ml_kem_768, mlkemSeed);
        byte[] pub = new byte[PUBLIC_LENGTH];
        pub[0] = SUITE;
        x25519.generatePublicKey().encode(pub, 1);
        byte[] mlkemPublic = mlkem.getPublicKey();
        System.arraycopy(mlkemPublic, 0, pub, 1 + X25519_LENGTH, MLKEM_PUBLIC_LENGTH);
        this.publicKey = pub;
        this.keyId = Arrays.copyOf(Hashes.sha256(pub), 8);
        this.created = created;
    }

    static KemKeyPair generate(SecureRandom random, Instant created) {
        byte[] x = new byte[X25519_LENGTH];
        byte[] seed = new byte[MLKEM_SEED_LENGTH];
        random.nextBytes(x);
        random.nextBytes(seed);
        try {
            return new KemKeyPair(x, seed, created);
        } finally {
            Arrays.fill(x, (byte) 0);
            Arrays.fill(seed, (byte) 0);
        }
    }

    byte[] publicKey() {
        return publicKey.clone();
    }

    byte[] keyId() {
        return keyId.clone();
    }

    boolean hasId(byte[] id) {
        return java.security.MessageDigest.isEqual(keyId, id);
    }

    Instant created() {
        return created;
    }

    byte[] x25519Private() {
        return x25519.getEncoded();
    }

    byte[] mlkemSeed() {
        return mlkem.getSeed();
    }

    /** X25519 shared secret with {@code peerPublic}; a low-order (all-zero result) key is refused. */
    byte[] x25519Agree(byte[] peerPublic) {
        return agree(x25519, peerPublic);
    }

    static byte[] agree(X25519PrivateKeyParameters priv, byte[] peerPublic) {
        X25519Agreement agreement = new X25519Agreement();
        agreement.init(priv);
        byte[] out = new byte[agreement.getAgreementSize()];
        try {
            agreement.calculateAgreement(new X25519PublicKeyParameters(peerPublic, 0), out, 0);
        } catch (IllegalStateException e) {
            throw new CryptoException("sealed message: X25519 key of low order (shared secret would be zero)");
        }
        return out;
    }

    /** ML-KEM-768 decapsulation (implicit rejection: a tampered ciphertext gives an unrelated secret). */
    byte[] mlkemDecapsulate(byte[] ciphertext) {
        return new MLKEMExtractor(mlkem).extractSecret(ciphertext);
    }
}

package io.hivemesh.crypto.internal;

import java.security.SecureRandom;
import org.bouncycastle.crypto.CryptoException;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAKeyGenerationParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAKeyPairGenerator;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPrivateKeyParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSASigner;

/** An ML-DSA-65 (FIPS 204) signing key, kept as its 32-byte seed. Thread-safe. */
final class MlDsaKey {
    static final int SEED_LENGTH = 32;
    private final MLDSAPrivateKeyParameters privateKey;
    private final byte[] publicKey;
    private final SecureRandom random;

    MlDsaKey(byte[] seed, SecureRandom random) {
        if (seed.length != SEED_LENGTH) {
            throw new IllegalArgumentException("ML-DSA-65 seed must be 32 bytes, was " + seed.length);
        }
        this.privateKey = new MLDSAPrivateKeyParameters(MLDSAParameters.ml_dsa_65, seed);
        this.publicKey = privateKey.getPublicKey();
        this.random = random;
    }

    static MlDsaKey generate(SecureRandom random) {
        MLDSAKeyPairGenerator gen = new MLDSAKeyPairGenerator();
        gen.init(new MLDSAKeyGenerationParameters(random, MLDSAParameters.ml_dsa_65));
        MLDSAPrivateKeyParameters priv = (MLDSAPrivateKeyParameters) gen.generateKeyPair().getPrivate();
        return new MlDsaKey(priv.getSeed(), random);
    }

    byte[] seed() {
        return privateKey.getSeed();
    }

    byte[] publicKey() {
        return publicKey.clone();
    }

    byte[] sign(byte[] message) {
        MLDSASigner signer = new MLDSASigner();
        signer.init(true, new org.bouncycastle.crypto.params.ParametersWithRandom(privateKey, random));
        signer.update(message, 0, message.length);
        try {
            return signer.generateSignature();
        } catch (CryptoException e) {
            throw new IllegalStateException("ML-DSA-65 signing failed", e);
        }
    }
}

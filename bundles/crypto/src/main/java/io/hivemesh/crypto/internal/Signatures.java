package io.hivemesh.crypto.internal;

import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PublicKey;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSAPublicKeyParameters;
import org.bouncycastle.pqc.crypto.mldsa.MLDSASigner;

/** Signature verification (Ed25519 per RFC 8032, ML-DSA-65 per FIPS 204); never throws on bad input. */
final class Signatures {
    static final int ED25519_SIGNATURE = 64;
    static final int MLDSA65_PUBLIC = 1952;
    static final int MLDSA65_SIGNATURE = 3309;

    private Signatures() {
    }

    static boolean ed25519(PublicKey key, byte[] message, byte[] signature) {
        if (key.type() != KeyType.ED25519 || key.data().length != Ed25519PublicKeyParameters.KEY_SIZE
                || signature.length != ED25519_SIGNATURE) {
            return false;
        }
        try {
            Ed25519Signer verifier = new Ed25519Signer();
            verifier.init(false, new Ed25519PublicKeyParameters(key.data(), 0));
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        } catch (RuntimeException e) {
            return false;
        }
    }

    static boolean mldsa65(byte[] publicKey, byte[] message, byte[] signature) {
        if (publicKey.length != MLDSA65_PUBLIC || signature.length != MLDSA65_SIGNATURE) {
            return false;
        }
        try {
            MLDSASigner verifier = new MLDSASigner();
            verifier.init(false, new MLDSAPublicKeyParameters(MLDSAParameters.ml_dsa_65, publicKey));
            verifier.update(message, 0, message.length);
            return verifier.verifySignature(signature);
        } catch (RuntimeException e) {
            return false;
        }
    }
}

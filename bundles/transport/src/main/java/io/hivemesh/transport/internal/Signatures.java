package io.hivemesh.transport.internal;

import io.hivemesh.api.peer.PublicKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;
import org.bouncycastle.asn1.x9.ECNamedCurveTable;
import org.bouncycastle.asn1.x9.X9ECParameters;
import org.bouncycastle.crypto.digests.SHA256Digest;
import org.bouncycastle.crypto.params.ECDomainParameters;
import org.bouncycastle.crypto.params.ECPublicKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.DSADigestSigner;
import org.bouncycastle.crypto.signers.ECDSASigner;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * Verifies libp2p identity-key signatures (libp2p/specs peer-ids/peer-ids.md, "Key Types"):
 * Ed25519 (RFC 8032), secp256k1 (ECDSA over SHA-256, DER signature), ECDSA (SHA-256, DER) and RSA
 * (PKCS#1 v1.5 with SHA-256). Never throws on bad input: returns false.
 */
final class Signatures {
    private Signatures() {
    }

    static boolean verify(PublicKey key, byte[] message, byte[] signature) {
        try {
            return switch (key.type()) {
                case ED25519 -> {
                    if (signature.length != Ed25519PublicKeyParameters.KEY_SIZE * 2) {
                        yield false;
                    }
                    Ed25519Signer signer = new Ed25519Signer();
                    signer.init(false, new Ed25519PublicKeyParameters(key.data(), 0));
                    signer.update(message, 0, message.length);
                    yield signer.verifySignature(signature);
                }
                case SECP256K1 -> {
                    X9ECParameters curve = ECNamedCurveTable.getByName("secp256k1");
                    ECDomainParameters domain = new ECDomainParameters(curve.getCurve(), curve.getG(),
                            curve.getN(), curve.getH());
                    ECPublicKeyParameters pub = new ECPublicKeyParameters(curve.getCurve().decodePoint(key.data()),
                            domain);
                    DSADigestSigner signer = new DSADigestSigner(new ECDSASigner(), new SHA256Digest());
                    signer.init(false, pub);
                    signer.update(message, 0, message.length);
                    yield signer.verifySignature(signature);
                }
                case ECDSA -> jdkVerify("EC", "SHA256withECDSA", key, message, signature);
                case RSA -> jdkVerify("RSA", "SHA256withRSA", key, message, signature);
            };
        } catch (RuntimeException | GeneralSecurityException e) {
            return false;
        }
    }

    private static boolean jdkVerify(String keyAlg, String sigAlg, PublicKey key, byte[] message, byte[] signature)
            throws GeneralSecurityException {
        java.security.PublicKey pub = KeyFactory.getInstance(keyAlg).generatePublic(new X509EncodedKeySpec(key.data()));
        Signature sig = Signature.getInstance(sigAlg);
        sig.initVerify(pub);
        sig.update(message);
        return sig.verify(signature);
    }
}

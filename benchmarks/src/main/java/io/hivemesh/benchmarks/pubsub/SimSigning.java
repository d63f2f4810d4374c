package io.hivemesh.benchmarks.pubsub;

import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.pubsub.internal.MessageSigning;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc8032.Ed25519;

/**
 * Real Ed25519 signing for a simulated node, with BouncyCastle's RFC 8032 implementation (the JDK's
 * provider took ~1.5 ms per operation here and dominated the run; Bouncy Castle is several times
 * faster). Every message is signed by its author and verified by every receiver, as StrictSign does.
 */
final class SimSigning implements MessageSigning {
    private final byte[] secret = new byte[Ed25519.SECRET_KEY_SIZE];
    private final PublicKey publicKey;
    long signatures;
    long verifications;

    SimSigning(SecureRandom random) {
        Ed25519.generatePrivateKey(random, secret);
        byte[] pub = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(secret, 0, pub, 0);
        publicKey = new PublicKey(KeyType.ED25519, pub);
    }

    /** A seeded generator for the node keys, so the PeerIds are the same in every run. */
    static SecureRandom seededRandom(long seed) {
        try {
            SecureRandom s = SecureRandom.getInstance("SHA1PRNG");
            s.setSeed(seed);
            return s;
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA1PRNG", e);
        }
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] bytes) {
        signatures++;
        byte[] sig = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(secret, 0, bytes, 0, bytes.length, sig, 0);
        return sig;
    }

    @Override
    public boolean verify(PublicKey key, byte[] bytes, byte[] signature) {
        verifications++;
        if (key.type() != KeyType.ED25519 || signature.length != Ed25519.SIGNATURE_SIZE) {
            return false;
        }
        try {
            return Ed25519.verify(signature, 0, key.data(), 0, bytes, 0, bytes.length);
        } catch (RuntimeException e) {
            return false;
        }
    }
}

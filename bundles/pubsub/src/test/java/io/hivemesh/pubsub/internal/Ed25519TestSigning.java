package io.hivemesh.pubsub.internal;

import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.spec.NamedParameterSpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Arrays;

/** A real Ed25519 {@link MessageSigning} on the JDK provider, for tests (the product uses the host's key). */
final class Ed25519TestSigning implements MessageSigning {
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};

    private final KeyPair pair;
    private final PublicKey publicKey;

    /** A fresh random key. */
    Ed25519TestSigning() {
        this(null);
    }

    /** A key derived from {@code seed} (the same key every run), or a random one for null. */
    Ed25519TestSigning(Long seed) {
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("Ed25519");
            if (seed != null) {
                SecureRandom fixed = SecureRandom.getInstance("SHA1PRNG");
                fixed.setSeed(seed);
                g.initialize(NamedParameterSpec.ED25519, fixed);
            }
            pair = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        byte[] x509 = pair.getPublic().getEncoded();
        publicKey = new PublicKey(KeyType.ED25519, Arrays.copyOfRange(x509, x509.length - 32, x509.length));
    }

    PeerId peerId() {
        return PeerId.fromPublicKey(publicKey);
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] bytes) {
        try {
            Signature s = Signature.getInstance("Ed25519");
            s.initSign(pair.getPrivate());
            s.update(bytes);
            return s.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public boolean verify(PublicKey key, byte[] bytes, byte[] signature) {
        return jdkVerify(key, bytes, signature);
    }

    /** Ed25519 verification with the JDK's provider (shared by the test signers). */
    static boolean jdkVerify(PublicKey key, byte[] bytes, byte[] signature) {
        if (key.type() != KeyType.ED25519) {
            return false;
        }
        try {
            byte[] x509 = new byte[X509_PREFIX.length + 32];
            System.arraycopy(X509_PREFIX, 0, x509, 0, X509_PREFIX.length);
            System.arraycopy(key.data(), 0, x509, X509_PREFIX.length, 32);
            Signature s = Signature.getInstance("Ed25519");
            s.initVerify(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(x509)));
            s.update(bytes);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false;
        }
    }
}

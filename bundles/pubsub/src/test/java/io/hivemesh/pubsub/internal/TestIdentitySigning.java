package io.hivemesh.pubsub.internal;

import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PublicKey;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.Signature;
import java.security.spec.X509EncodedKeySpec;

/**
 * {@link MessageSigning} for tests over a host's {@link NodeIdentity} (so messages are signed by the
 * key of the host's PeerId), verifying with the JDK's Ed25519: the product verifies through the
 * crypto bundle's {@code Signer}, which this module cannot depend on.
 */
public final class TestIdentitySigning implements MessageSigning {
    private static final byte[] X509_PREFIX = {0x30, 0x2a, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x70, 0x03, 0x21, 0x00};
    private final NodeIdentity identity;

    public TestIdentitySigning(NodeIdentity identity) {
        this.identity = identity;
    }

    @Override
    public PublicKey publicKey() {
        return identity.publicKey();
    }

    @Override
    public byte[] sign(byte[] bytes) {
        return identity.sign(bytes);
    }

    @Override
    public boolean verify(PublicKey key, byte[] bytes, byte[] signature) {
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

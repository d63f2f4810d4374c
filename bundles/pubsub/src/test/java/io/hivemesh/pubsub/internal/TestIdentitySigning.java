package io.hivemesh.pubsub.internal;

import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.peer.PublicKey;

/**
 * {@link MessageSigning} for tests over a host's {@link NodeIdentity} (so messages are signed by the
 * key of the host's PeerId), verifying with the JDK's Ed25519: the product verifies through the
 * crypto bundle's {@code Signer}, which this module cannot depend on.
 */
public final class TestIdentitySigning implements MessageSigning {
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
        return Ed25519TestSigning.jdkVerify(key, bytes, signature);
    }
}

package io.hivemesh.pubsub.internal;

import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.crypto.Signer;
import io.hivemesh.api.peer.PublicKey;

/**
 * {@link MessageSigning} over the node's services: signs with {@link NodeIdentity#sign} (the identity
 * key never leaves the crypto bundle) and verifies with {@link Signer#verifySignature}. A verifier
 * that throws on malformed input counts as a failed verification.
 */
public final class IdentitySigning implements MessageSigning {
    private final NodeIdentity identity;
    private final Signer signer;

    public IdentitySigning(NodeIdentity identity, Signer signer) {
        this.identity = identity;
        this.signer = signer;
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
        try {
            return signer.verifySignature(key, bytes, signature);
        } catch (RuntimeException malformed) {
            return false;
        }
    }
}

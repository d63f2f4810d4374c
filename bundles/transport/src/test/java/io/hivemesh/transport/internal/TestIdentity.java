package io.hivemesh.transport.internal;

import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import java.security.SecureRandom;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** A throwaway Ed25519 identity for tests (the real one lives in bundles/crypto). */
public final class TestIdentity implements NodeIdentity {
    private final Ed25519PrivateKeyParameters key;
    private final PublicKey publicKey;

    /** A fresh random identity. */
    public TestIdentity() {
        this(new Ed25519PrivateKeyParameters(new SecureRandom()));
    }

    /** A fixed identity from a 32-byte Ed25519 private key (reproducible handshakes, fuzz seeds). */
    public TestIdentity(byte[] privateKey) {
        this(new Ed25519PrivateKeyParameters(privateKey, 0));
    }

    private TestIdentity(Ed25519PrivateKeyParameters key) {
        this.key = key;
        this.publicKey = new PublicKey(KeyType.ED25519, key.generatePublicKey().getEncoded());
    }

    @Override
    public PeerId peerId() {
        return PeerId.fromPublicKey(publicKey);
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] message) {
        Ed25519Signer s = new Ed25519Signer();
        s.init(true, key);
        s.update(message, 0, message.length);
        return s.generateSignature();
    }

    @Override
    public String agentVersion() {
        return "hivemesh/test";
    }
}

package io.hivemesh.crypto.internal;

import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PrivateKey;
import io.hivemesh.api.peer.PublicKey;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/**
 * An Ed25519 identity key pair (RFC 8032) and the PeerId it defines. Immutable and thread-safe:
 * every signature uses a fresh signer.
 */
final class Ed25519Identity implements NodeIdentity {
    static final int SEED_LENGTH = Ed25519PrivateKeyParameters.KEY_SIZE;

    private final Ed25519PrivateKeyParameters privateKey;
    private final PublicKey publicKey;
    private final PeerId peerId;
    private final String agentVersion;

    Ed25519Identity(byte[] seed, String agentVersion) {
        if (seed.length != SEED_LENGTH) {
            throw new IllegalArgumentException("Ed25519 seed must be 32 bytes, was " + seed.length);
        }
        this.privateKey = new Ed25519PrivateKeyParameters(seed, 0);
        this.publicKey = new PublicKey(KeyType.ED25519, privateKey.generatePublicKey().getEncoded());
        this.peerId = PeerId.fromPublicKey(publicKey);
        this.agentVersion = Objects.requireNonNull(agentVersion, "agentVersion");
    }

    static Ed25519Identity generate(SecureRandom random, String agentVersion) {
        byte[] seed = new byte[SEED_LENGTH];
        random.nextBytes(seed);
        try {
            return new Ed25519Identity(seed, agentVersion);
        } finally {
            Arrays.fill(seed, (byte) 0);
        }
    }

    /**
     * Rebuilds an identity from a libp2p {@code PrivateKey}; its Ed25519 data is the 32-byte seed
     * followed by the 32-byte public key, and that public key must be the one the seed derives.
     */
    static Ed25519Identity fromPrivateKey(PrivateKey key, String agentVersion) {
        if (key.type() != KeyType.ED25519) {
            throw new IllegalArgumentException("key type is " + key.type() + ", expected ED25519");
        }
        byte[] data = key.data();
        try {
            if (data.length != 2 * SEED_LENGTH) {
                throw new IllegalArgumentException("Ed25519 private key data is " + data.length
                        + " bytes, expected 64 (seed and public key)");
            }
            Ed25519Identity identity = new Ed25519Identity(Arrays.copyOf(data, SEED_LENGTH), agentVersion);
            byte[] storedPublic = Arrays.copyOfRange(data, SEED_LENGTH, data.length);
            if (!Arrays.equals(storedPublic, identity.publicKey.data())) {
                throw new IllegalArgumentException("the stored public key does not match the private key");
            }
            return identity;
        } finally {
            Arrays.fill(data, (byte) 0);
        }
    }

    /** The libp2p {@code PrivateKey} form: seed ‖ public key. */
    PrivateKey toPrivateKey() {
        byte[] data = new byte[2 * SEED_LENGTH];
        privateKey.encode(data, 0);
        System.arraycopy(publicKey.data(), 0, data, SEED_LENGTH, SEED_LENGTH);
        return new PrivateKey(KeyType.ED25519, data);
    }

    @Override
    public PeerId peerId() {
        return peerId;
    }

    @Override
    public PublicKey publicKey() {
        return publicKey;
    }

    @Override
    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, privateKey);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    @Override
    public String agentVersion() {
        return agentVersion;
    }

    @Override
    public String toString() {
        return "Ed25519Identity[" + peerId + "]";
    }
}

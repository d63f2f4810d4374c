package io.hivemesh.api.crypto;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;

/**
 * This node's long-lived identity: an Ed25519 key pair whose public half defines the node's
 * {@link PeerId}. The private key never leaves the providing bundle; other bundles sign through
 * {@link #sign(byte[])}. The identity is stable across restarts and bundle updates. Thread-safe.
 */
public interface NodeIdentity {

    /** This node's PeerId. */
    PeerId peerId();

    /** The identity public key (libp2p {@code PublicKey}, type Ed25519). */
    PublicKey publicKey();

    /** An Ed25519 signature (RFC 8032, 64 bytes) of {@code message} by the identity key. */
    byte[] sign(byte[] message);

    /** The agent version this node announces, {@code hivemesh/<version>}. */
    String agentVersion();
}

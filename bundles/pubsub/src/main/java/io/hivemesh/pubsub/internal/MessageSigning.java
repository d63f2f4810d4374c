package io.hivemesh.pubsub.internal;

import io.hivemesh.api.peer.PublicKey;

/**
 * The node's identity key as the router needs it for StrictSign: its public key (sent in every signed
 * message's {@code key} field and used for the PUBKEY_SEQNO message id), signing of this node's own
 * messages and verification of other authors' signatures. Implementations must be callable from the
 * router thread and must not block; {@link #verify} returns false (never throws) for a malformed key
 * or signature.
 */
public interface MessageSigning {

    /** This node's public key (its PeerId is derived from it). */
    PublicKey publicKey();

    /** Signs {@code bytes} with this node's private key. */
    byte[] sign(byte[] bytes);

    /** Whether {@code signature} is {@code key}'s valid signature over {@code bytes}; false for anything malformed. */
    boolean verify(PublicKey key, byte[] bytes, byte[] signature);
}

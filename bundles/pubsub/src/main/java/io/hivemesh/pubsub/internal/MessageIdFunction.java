package io.hivemesh.pubsub.internal;

/**
 * How signed messages are identified (StrictNoSign topics always use sha-256 of the data). Ids appear
 * on the wire in IHAVE, IWANT and IDONTWANT, so every node of a topic must use the same function.
 */
public enum MessageIdFunction {
    /** The spec's and go-libp2p's default: PeerId bytes ‖ seqno (46 bytes for Ed25519 authors). */
    FROM_SEQNO,
    /** js-libp2p's default: PublicKey protobuf ‖ seqno (44 bytes for Ed25519 authors). */
    PUBKEY_SEQNO
}

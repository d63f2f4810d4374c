package io.hivemesh.pubsub.internal;

import io.hivemesh.api.peer.PeerId;

/**
 * Gossipsub v1.1 peer scoring as the router feeds it (the shape of go-libp2p's score tracer): the
 * router reports what peers do, and asks for scores. Not thread-safe: the router calls it from its
 * own thread only. Message ids are the topic's id function output.
 */
public interface PeerScoring {

    /** Why a message was rejected (all count towards P4 except {@link #IGNORED}, and self-origin is not scored). */
    enum Rejection {
        /** The signature, key, from or seqno failed StrictSign / StrictNoSign checks. */
        INVALID_SIGNATURE,
        /** A validator answered REJECT. */
        VALIDATOR_REJECTED,
        /** A validator answered IGNORE, timed out, or the validation queue was full: no penalty. */
        IGNORED,
        /** The message exceeded the maximum size or was malformed. */
        MALFORMED
    }

    /** A pubsub peer connected; {@code ip} (may be null) feeds the IP colocation factor P6. */
    void addPeer(PeerId peer, String ip);

    /** The peer's pubsub streams are gone; its counters are retained for {@code retainScore}. */
    void removePeer(PeerId peer);

    /** {@code peer} joined this node's mesh for {@code topic}. */
    void graft(PeerId peer, String topic);

    /** {@code peer} left this node's mesh for {@code topic}. */
    void prune(PeerId peer, String topic);

    /** A message arrived from {@code from} and is being validated (first copy). */
    void validateMessage(PeerId from, byte[] id, String topic);

    /** The message (first copy from {@code from}) passed validation. */
    void deliverMessage(PeerId from, byte[] id, String topic);

    /** The message from {@code from} was rejected for {@code why}. */
    void rejectMessage(PeerId from, byte[] id, String topic, Rejection why);

    /** {@code from} sent a copy of a message already seen (or being validated). */
    void duplicateMessage(PeerId from, byte[] id, String topic);

    /** Adds {@code count} to {@code peer}'s behaviour penalty (P7): GRAFT in backoff, broken promises. */
    void addPenalty(PeerId peer, int count);

    /** The peer's current score. */
    double score(PeerId peer);

    /** Called by the router at every heartbeat with the current time; decays counters on the decay interval. */
    void refresh(long nowMillis);
}

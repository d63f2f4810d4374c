package io.hivemesh.pubsub.internal;

import io.hivemesh.api.peer.PeerId;

/**
 * {@link PeerScoring} when scoring is switched off: every peer scores 0, so no threshold ever
 * applies (the gossipsub v1.0 behaviour). Keeps nothing.
 */
final class ZeroScoring implements PeerScoring {
    @Override
    public void addPeer(PeerId peer, String ip) {
    }

    @Override
    public void removePeer(PeerId peer) {
    }

    @Override
    public void graft(PeerId peer, String topic) {
    }

    @Override
    public void prune(PeerId peer, String topic) {
    }

    @Override
    public void validateMessage(PeerId from, byte[] id, String topic) {
    }

    @Override
    public void deliverMessage(PeerId from, byte[] id, String topic) {
    }

    @Override
    public void rejectMessage(PeerId from, byte[] id, String topic, Rejection why) {
    }

    @Override
    public void duplicateMessage(PeerId from, byte[] id, String topic) {
    }

    @Override
    public void addPenalty(PeerId peer, int count) {
    }

    @Override
    public double score(PeerId peer) {
        return 0;
    }

    @Override
    public void refresh(long nowMillis) {
    }
}

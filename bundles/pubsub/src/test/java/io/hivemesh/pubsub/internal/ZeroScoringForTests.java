package io.hivemesh.pubsub.internal;

import io.hivemesh.api.peer.PeerId;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * A {@link PeerScoring} for router tests about other things than scoring: every peer scores 0 unless
 * a test sets a score, and every call is recorded so tests can assert what the router reported.
 */
final class ZeroScoringForTests implements PeerScoring {
    final Map<PeerId, Double> scores = new HashMap<>();
    final Map<PeerId, Integer> penalties = new HashMap<>();
    final List<String> calls = new ArrayList<>();
    final List<Rejection> rejections = new ArrayList<>();
    int duplicates;
    int delivered;
    int refreshes;

    void setScore(PeerId p, double score) {
        scores.put(p, score);
    }

    int penalty(PeerId p) {
        return penalties.getOrDefault(p, 0);
    }

    @Override
    public void addPeer(PeerId peer, String ip) {
        calls.add("addPeer " + peer);
    }

    @Override
    public void removePeer(PeerId peer) {
        calls.add("removePeer " + peer);
    }

    @Override
    public void graft(PeerId peer, String topic) {
        calls.add("graft " + peer + " " + topic);
    }

    @Override
    public void prune(PeerId peer, String topic) {
        calls.add("prune " + peer + " " + topic);
    }

    @Override
    public void validateMessage(PeerId from, byte[] id, String topic) {
    }

    @Override
    public void deliverMessage(PeerId from, byte[] id, String topic) {
        delivered++;
    }

    @Override
    public void rejectMessage(PeerId from, byte[] id, String topic, Rejection why) {
        rejections.add(why);
    }

    @Override
    public void duplicateMessage(PeerId from, byte[] id, String topic) {
        duplicates++;
    }

    @Override
    public void addPenalty(PeerId peer, int count) {
        penalties.merge(peer, count, Integer::sum);
    }

    @Override
    public double score(PeerId peer) {
        return scores.getOrDefault(peer, 0.0);
    }

    @Override
    public void refresh(long nowMillis) {
        refreshes++;
    }
}

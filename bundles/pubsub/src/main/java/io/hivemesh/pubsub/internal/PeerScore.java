package io.hivemesh.pubsub.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.pubsub.internal.DeliveryRecords.Record;
import io.hivemesh.pubsub.internal.DeliveryRecords.Status;
import io.hivemesh.pubsub.internal.PeerStats.TopicStats;
import java.time.Duration;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;

/**
 * Gossipsub v1.1 peer scoring (gossipsub-v1.1.md, "Peer Scoring"): the score function
 * {@code TopicCap(Σ tᵢ·(w₁P₁ + w₂P₂ + w₃P₃ + w₃bP₃b + w₄P₄)) + w₅P₅ + w₆P₆ + w₇P₇} over the counters the
 * router feeds it, with the decay, the per-message delivery records that drive P₂/P₃/P₄, and score
 * retention after a disconnect.
 *
 * <p>Time comes only from the injected clock (for events) and the {@code now} passed to
 * {@link #refresh}, so a manual clock or a simulation's virtual time makes it deterministic. Decay
 * happens on {@code refresh} once per elapsed {@link ScoreParams#decayInterval()}; the time in mesh
 * (P₁) and the P₃ activation are updated on every {@code refresh}, as the spec's lazy update.
 *
 * <p>Behaviour the spec leaves open, chosen as go-libp2p does:
 * <ul>
 *   <li>Only a non-positive score is retained after a disconnect (a positive one is forgotten),
 *       first-delivery counters are zeroed, a mesh delivery deficit becomes a P₃b penalty, and the
 *       retained counters do not decay: a peer cannot wash a negative score by reconnecting.</li>
 *   <li>A bad signature or a malformed message penalises only the peer that sent it and leaves the
 *       message id alone (the id of a forged message proves nothing); a validator REJECT penalises
 *       every peer that sent a copy.</li>
 *   <li>Copies that arrive while the first is being validated count as near-first deliveries for
 *       P₃; after validation, only within {@code meshMessageDeliveriesWindow}. Each peer counts once
 *       per message.</li>
 *   <li>Unlike go-libp2p, P₃ stops applying when the peer leaves the mesh (the spec defines it for
 *       mesh peers); the deficit at that moment becomes P₃b, so it is not counted twice.</li>
 * </ul>
 * P₆ counts the connected peers per IP. Topics without parameters (see
 * {@link ScoreParams#defaultTopicParams()}) have no counters: only P₅–P₇ apply to them.
 *
 * <p>Bounded: delivery records by the seen TTL and {@code maxDeliveryRecords}; retained peers by
 * {@code retainScore} and {@value #MAX_RETAINED_PEERS}; topics per peer by
 * {@value #MAX_TOPICS_PER_PEER}. Not thread-safe: the router calls it from its own thread.
 */
public final class PeerScore implements PeerScoring {
    /** Delivery records kept at most unless the constructor says otherwise. */
    public static final int DEFAULT_MAX_DELIVERY_RECORDS = 100_000;
    /** Disconnected peers whose scores are kept at most (the earliest to expire goes first). */
    static final int MAX_RETAINED_PEERS = 10_000;
    /** Topics with counters per peer at most (the router reports only topics it handles). */
    static final int MAX_TOPICS_PER_PEER = 1024;

    private final ScoreParams params;
    private final LongSupplier clock;
    private final DeliveryRecords deliveries;
    private final List<IpPrefix> whitelist;
    private final Map<PeerId, PeerStats> peers = new HashMap<>();
    private final Map<String, Integer> peersPerIp = new HashMap<>();
    private final long decayIntervalMillis;
    private long lastDecay;
    private int retained;

    /** As {@link #PeerScore(ScoreParams, Duration, int, LongSupplier)} with {@value #DEFAULT_MAX_DELIVERY_RECORDS} records. */
    public PeerScore(ScoreParams params, Duration seenTtl, LongSupplier clockMillis) {
        this(params, seenTtl, DEFAULT_MAX_DELIVERY_RECORDS, clockMillis);
    }

    /**
     * @param params the score parameters
     * @param seenTtl how long a message's delivery record is kept (the router's seen TTL)
     * @param maxDeliveryRecords the most delivery records kept
     * @param clockMillis the time in milliseconds for events (graft, deliveries); also the start of the first decay interval
     */
    public PeerScore(ScoreParams params, Duration seenTtl, int maxDeliveryRecords, LongSupplier clockMillis) {
        this.params = Objects.requireNonNull(params, "params");
        this.clock = Objects.requireNonNull(clockMillis, "clockMillis");
        this.deliveries = new DeliveryRecords(seenTtl.toMillis(), maxDeliveryRecords);
        this.whitelist = params.ipColocationWhitelist().stream().map(IpPrefix::parse).toList();
        this.decayIntervalMillis = params.decayInterval().toMillis();
        this.lastDecay = clock.getAsLong();
    }

    /** The parameters in use. */
    public ScoreParams params() {
        return params;
    }

    @Override
    public void addPeer(PeerId peer, String ip) {
        PeerStats ps = peers.get(peer);
        if (ps == null) {
            ps = new PeerStats();
            peers.put(peer, ps);
        } else if (!ps.connected) {
            ps.connected = true;
            retained--;
        } else {
            removeIp(ps.ip);
        }
        ps.ip = ip;
        ps.ipWhitelisted = ip != null && whitelist.stream().anyMatch(w -> w.contains(ip));
        if (ip != null) {
            peersPerIp.merge(ip, 1, Integer::sum);
        }
    }

    @Override
    public void removePeer(PeerId peer) {
        PeerStats ps = peers.get(peer);
        if (ps == null || !ps.connected) {
            return;
        }
        boolean keep = !params.retainScore().isZero() && score(peer) <= 0;
        removeIp(ps.ip);
        if (!keep) {
            peers.remove(peer);
            return;
        }
        for (Map.Entry<String, TopicStats> e : ps.topics.entrySet()) {
            TopicStats ts = e.getValue();
            ts.firstMessageDeliveries = 0;
            TopicScoreParams tp = params.paramsFor(e.getKey());
            if (ts.inMesh && tp != null) {
                ts.meshFailurePenalty += ts.meshDeliveryDeficitSquared(tp);
            }
            ts.inMesh = false;
            ts.meshMessageDeliveriesActive = false;
        }
        ps.connected = false;
        ps.expireAt = clock.getAsLong() + params.retainScore().toMillis();
        retained++;
        if (retained > MAX_RETAINED_PEERS) {
            dropEarliestRetained();
        }
    }

    @Override
    public void graft(PeerId peer, String topic) {
        TopicStats ts = topicStats(peer, topic);
        if (ts != null) {
            ts.inMesh = true;
            ts.graftTime = clock.getAsLong();
            ts.meshTime = 0;
            ts.meshMessageDeliveriesActive = false;
        }
    }

    @Override
    public void prune(PeerId peer, String topic) {
        TopicStats ts = topicStats(peer, topic);
        if (ts != null) {
            ts.meshFailurePenalty += ts.meshDeliveryDeficitSquared(params.paramsFor(topic));
            ts.inMesh = false;
            ts.meshMessageDeliveriesActive = false;
        }
    }

    @Override
    public void validateMessage(PeerId from, byte[] id, String topic) {
        deliveries.getOrCreate(id, clock.getAsLong()).addPeer(from);
    }

    @Override
    public void deliverMessage(PeerId from, byte[] id, String topic) {
        long now = clock.getAsLong();
        Record r = deliveries.getOrCreate(id, now);
        if (r.status != Status.UNKNOWN) {
            return;
        }
        r.status = Status.VALID;
        r.validatedAt = now;
        r.addPeer(from);
        markFirstDelivery(from, topic);
        // copies that arrived while it was validated are near-first deliveries
        for (PeerId p : r.peers) {
            if (!p.equals(from)) {
                markMeshDelivery(p, topic);
            }
        }
    }

    @Override
    public void rejectMessage(PeerId from, byte[] id, String topic, Rejection why) {
        switch (why) {
            case INVALID_SIGNATURE, MALFORMED -> markInvalid(from, topic);
            case IGNORED -> {
                Record r = deliveries.getOrCreate(id, clock.getAsLong());
                if (r.status == Status.UNKNOWN) {
                    r.status = Status.IGNORED;
                }
            }
            case VALIDATOR_REJECTED -> {
                Record r = deliveries.getOrCreate(id, clock.getAsLong());
                if (r.status != Status.UNKNOWN) {
                    return;
                }
                r.status = Status.INVALID;
                r.addPeer(from);
                for (PeerId p : r.peers) {
                    markInvalid(p, topic);
                }
            }
        }
    }

    @Override
    public void duplicateMessage(PeerId from, byte[] id, String topic) {
        Record r = deliveries.get(id);
        if (r == null || !r.addPeer(from)) {
            return;
        }
        switch (r.status) {
            case VALID -> {
                TopicScoreParams tp = params.paramsFor(topic);
                if (tp != null && clock.getAsLong() - r.validatedAt <= tp.meshMessageDeliveriesWindow().toMillis()) {
                    markMeshDelivery(from, topic);
                }
            }
            case INVALID -> markInvalid(from, topic);
            case UNKNOWN, IGNORED -> {
                // counted when validation ends, or never
            }
        }
    }

    @Override
    public void addPenalty(PeerId peer, int count) {
        PeerStats ps = peers.get(peer);
        if (ps != null && ps.connected && count > 0) {
            ps.behaviourPenalty += count;
        }
    }

    @Override
    public double score(PeerId peer) {
        PeerStats ps = peers.get(peer);
        if (ps == null) {
            return 0;
        }
        double topicsScore = 0;
        for (Map.Entry<String, TopicStats> e : ps.topics.entrySet()) {
            TopicScoreParams tp = params.paramsFor(e.getKey());
            if (tp != null) {
                topicsScore += tp.topicWeight() * e.getValue().score(tp);
            }
        }
        if (params.topicScoreCap() > 0 && topicsScore > params.topicScoreCap()) {
            topicsScore = params.topicScoreCap();
        }
        double s = topicsScore;
        if (params.appSpecificScore() != null && params.appSpecificWeight() != 0) {
            s += params.appSpecificWeight() * params.appSpecificScore().applyAsDouble(peer);
        }
        if (ps.ip != null && !ps.ipWhitelisted && params.ipColocationFactorWeight() != 0) {
            int surplus = peersPerIp.getOrDefault(ps.ip, 0) - params.ipColocationFactorThreshold();
            if (surplus > 0) {
                s += params.ipColocationFactorWeight() * surplus * (double) surplus;
            }
        }
        double excess = ps.behaviourPenalty - params.behaviourPenaltyThreshold();
        if (excess > 0 && params.behaviourPenaltyWeight() != 0) {
            s += params.behaviourPenaltyWeight() * excess * excess;
        }
        return s;
    }

    @Override
    public void refresh(long nowMillis) {
        deliveries.expire(nowMillis);
        long intervals = Math.max(0, (nowMillis - lastDecay) / decayIntervalMillis);
        lastDecay += intervals * decayIntervalMillis;
        Iterator<PeerStats> it = peers.values().iterator();
        while (it.hasNext()) {
            PeerStats ps = it.next();
            if (!ps.connected) {
                // retained scores do not decay: reconnecting must not wash a negative score
                if (nowMillis >= ps.expireAt) {
                    it.remove();
                    retained--;
                }
                continue;
            }
            for (Map.Entry<String, TopicStats> e : ps.topics.entrySet()) {
                TopicScoreParams tp = params.paramsFor(e.getKey());
                if (tp != null) {
                    refreshTopic(e.getValue(), tp, intervals, nowMillis);
                }
            }
            if (intervals > 0) {
                ps.behaviourPenalty = decay(ps.behaviourPenalty, params.behaviourPenaltyDecay(), intervals);
            }
        }
    }

    private void refreshTopic(TopicStats ts, TopicScoreParams tp, long intervals, long now) {
        if (intervals > 0) {
            ts.firstMessageDeliveries = decay(ts.firstMessageDeliveries, tp.firstMessageDeliveriesDecay(), intervals);
            ts.meshMessageDeliveries = decay(ts.meshMessageDeliveries, tp.meshMessageDeliveriesDecay(), intervals);
            ts.meshFailurePenalty = decay(ts.meshFailurePenalty, tp.meshFailurePenaltyDecay(), intervals);
            ts.invalidMessageDeliveries = decay(ts.invalidMessageDeliveries, tp.invalidMessageDeliveriesDecay(),
                    intervals);
        }
        if (ts.inMesh) {
            ts.meshTime = Math.max(0, now - ts.graftTime);
            if (ts.meshTime > tp.meshMessageDeliveriesActivation().toMillis()) {
                ts.meshMessageDeliveriesActive = true;
            }
        }
    }

    /** {@code value} after {@code intervals} decays by {@code factor}, or 0 once under decayToZero. */
    private double decay(double value, double factor, long intervals) {
        if (value == 0) {
            return 0;
        }
        double v = value * Math.pow(factor, intervals);
        return Math.abs(v) < params.decayToZero() ? 0 : v;
    }

    private void markFirstDelivery(PeerId peer, String topic) {
        TopicStats ts = topicStats(peer, topic);
        if (ts == null) {
            return;
        }
        TopicScoreParams tp = params.paramsFor(topic);
        ts.firstMessageDeliveries = Math.min(ts.firstMessageDeliveries + 1, tp.firstMessageDeliveriesCap());
        if (ts.inMesh) {
            ts.meshMessageDeliveries = Math.min(ts.meshMessageDeliveries + 1, tp.meshMessageDeliveriesCap());
        }
    }

    private void markMeshDelivery(PeerId peer, String topic) {
        TopicStats ts = topicStats(peer, topic);
        if (ts != null && ts.inMesh) {
            ts.meshMessageDeliveries = Math.min(ts.meshMessageDeliveries + 1,
                    params.paramsFor(topic).meshMessageDeliveriesCap());
        }
    }

    private void markInvalid(PeerId peer, String topic) {
        TopicStats ts = topicStats(peer, topic);
        if (ts != null) {
            ts.invalidMessageDeliveries += 1;
        }
    }

    /** The counters of a connected peer in a topic that has parameters, created when absent; else null. */
    private TopicStats topicStats(PeerId peer, String topic) {
        PeerStats ps = peers.get(peer);
        if (ps == null || !ps.connected || params.paramsFor(topic) == null) {
            return null;
        }
        TopicStats ts = ps.topics.get(topic);
        if (ts == null && (ps.topics.size() < MAX_TOPICS_PER_PEER || params.topics().containsKey(topic))) {
            ts = new TopicStats();
            ps.topics.put(topic, ts);
        }
        return ts;
    }

    private void removeIp(String ip) {
        if (ip != null) {
            peersPerIp.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
        }
    }

    private void dropEarliestRetained() {
        PeerId earliest = null;
        long at = Long.MAX_VALUE;
        for (Map.Entry<PeerId, PeerStats> e : peers.entrySet()) {
            if (!e.getValue().connected && e.getValue().expireAt < at) {
                at = e.getValue().expireAt;
                earliest = e.getKey();
            }
        }
        if (earliest != null) {
            peers.remove(earliest);
            retained--;
        }
    }

    /** Delivery records held (for tests and metrics). */
    int deliveryRecords() {
        return deliveries.size();
    }

    /** Peers with stats, connected or retained (for tests and metrics). */
    int trackedPeers() {
        return peers.size();
    }
}

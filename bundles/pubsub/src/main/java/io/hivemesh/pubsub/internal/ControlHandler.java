package io.hivemesh.pubsub.internal;

import com.google.protobuf.ByteString;
import io.hivemesh.api.multiformats.MultiformatException;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlGraft;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlIDontWant;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlIHave;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlIWant;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlMessage;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlPrune;
import io.hivemesh.pubsub.internal.pb.RpcProto.PeerInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Gossipsub control messages from a peer (gossipsub-v1.0/v1.1/v1.2): IDONTWANT, GRAFT (backoff, score
 * and D_high checks, PRUNE replies), PRUNE (backoff, PX), IHAVE (gossip threshold, per-heartbeat
 * limits, IWANT with a promise) and IWANT (answered from the message cache within the retransmission
 * and per-heartbeat limits). Router thread only.
 */
final class ControlHandler {
    /** Longest message id kept from an IDONTWANT (longer ones cannot be ids of ours: RSA PUBKEY_SEQNO ids are ~300 bytes). */
    static final int MAX_KEPT_ID_BYTES = 1024;
    /** Longest backoff honoured from a PRUNE (longer ones are capped): one day. */
    private static final long MAX_BACKOFF_SECONDS = 86_400;

    private final Overlay o;
    private final MessagePipeline pipeline;

    ControlHandler(Overlay o, MessagePipeline pipeline) {
        this.o = o;
        this.pipeline = pipeline;
    }

    void handle(PeerState peer, ControlMessage c) {
        for (ControlIDontWant d : c.getIdontwantList()) {
            idontwant(peer, d);
        }
        for (ControlGraft g : c.getGraftList()) {
            graft(peer, g);
        }
        for (ControlPrune p : c.getPruneList()) {
            prune(peer, p);
        }
        if (c.getIhaveCount() > 0) {
            ihave(peer, c.getIhaveList());
        }
        if (c.getIwantCount() > 0) {
            iwant(peer, c.getIwantList());
        }
    }

    private void idontwant(PeerState peer, ControlIDontWant d) {
        long expiry = tick() + o.settings.idontwantTtlHeartbeats();
        for (ByteString id : d.getMessageIDsList()) {
            if (peer.dontWantsThisHeartbeat >= o.settings.maxIDontWantIds()) {
                return;
            }
            peer.dontWantsThisHeartbeat++;
            if (id.size() <= MAX_KEPT_ID_BYTES) {
                peer.dontWant.put(MessageId.of(id), expiry);
            }
        }
    }

    private long tick;

    /** The heartbeat count, for IDONTWANT expiry (set by the heartbeat). */
    void setTick(long tick) {
        this.tick = tick;
    }

    private long tick() {
        return tick;
    }

    private void graft(PeerState peer, ControlGraft g) {
        String topic = g.getTopicID();
        PeerId p = peer.id;
        long now = o.clock.getAsLong();
        long backoff = o.settings.pruneBackoff().toMillis();
        if (!o.subscriptions.contains(topic)) {
            // gossipsub-v1.0: a router no longer subscribed answers GRAFT with PRUNE; no penalty
            if (PeerState.utf8Length(topic) <= o.settings.maxTopicLength()) {
                o.outbox.prune(p, o.pruneMessage(p, topic, false, backoff));
            }
            return;
        }
        Set<PeerId> mesh = o.mesh.computeIfAbsent(topic, t -> new LinkedHashSet<>());
        if (mesh.contains(p)) {
            return;
        }
        Long until = o.backoffs.expiry(topic, p);
        if (until != null && until > now) {
            // gossipsub-v1.1: GRAFT during a backoff: penalty, one more within the flood threshold of its start
            int penalty = 1;
            if (now < until - backoff + o.settings.graftFloodThreshold().toMillis()) {
                penalty++;
            }
            o.scoring.addPenalty(p, penalty);
            o.prune(p, topic, false, backoff);
            return;
        }
        if (o.score(p) < 0) {
            o.prune(p, topic, false, backoff);
            return;
        }
        if (mesh.size() >= o.settings.dHigh() && !peer.outbound) {
            o.prune(p, topic, true, backoff);
            return;
        }
        o.graft(p, topic, true);
    }

    private void prune(PeerState peer, ControlPrune pr) {
        String topic = pr.getTopicID();
        PeerId p = peer.id;
        o.leaveMesh(p, topic);
        if (o.subscriptions.contains(topic) || peer.topics.contains(topic)) {
            long seconds = peer.backoffAware() && pr.hasBackoff()
                    ? Math.min(Math.max(pr.getBackoff(), 0), MAX_BACKOFF_SECONDS)
                    : o.settings.pruneBackoff().toSeconds();
            if (pr.hasBackoff() && pr.getBackoff() < 0) {
                seconds = MAX_BACKOFF_SECONDS; // uint64 beyond Long.MAX_VALUE
            }
            o.backoffs.set(topic, p, o.clock.getAsLong() + seconds * 1000);
        }
        if (pr.getPeersCount() > 0 && o.score(p) >= o.settings.thresholds().acceptPx()) {
            for (PeerInfo info : pr.getPeersList()) {
                PeerId other;
                try {
                    other = PeerId.fromBytes(info.getPeerID().toByteArray());
                } catch (MultiformatException e) {
                    continue;
                }
                if (!other.equals(o.self) && !o.peers.containsKey(other)) {
                    o.listener.peerExchange(other, info.getSignedPeerRecord().toByteArray());
                }
            }
        }
    }

    private void ihave(PeerState peer, List<ControlIHave> ihaves) {
        if (o.score(peer.id) < o.settings.thresholds().gossip()) {
            return;
        }
        peer.ihaves++;
        if (peer.ihaves > o.settings.maxIHaveMessages() || peer.asked >= o.settings.maxIHaveLength()) {
            return;
        }
        long now = o.clock.getAsLong();
        Set<MessageId> want = new LinkedHashSet<>();
        for (ControlIHave h : ihaves) {
            if (!o.mesh.containsKey(h.getTopicID()) || !o.subscriptions.contains(h.getTopicID())) {
                continue;
            }
            for (ByteString raw : h.getMessageIDsList()) {
                MessageId id = MessageId.of(raw);
                if (!pipeline.known(id, now)) {
                    want.add(id);
                }
            }
        }
        if (want.isEmpty()) {
            return;
        }
        List<MessageId> ask = new ArrayList<>(want);
        Collections.shuffle(ask, o.random);
        int n = Math.min(ask.size(), o.settings.maxIHaveLength() - peer.asked);
        ask = ask.subList(0, n);
        peer.asked += n;
        o.outbox.iwant(peer.id, ask);
        pipeline.promises.add(peer.id, ask.get(o.random.nextInt(n)), now + o.settings.iwantFollowupTime().toMillis());
    }

    private void iwant(PeerState peer, List<ControlIWant> iwants) {
        if (o.score(peer.id) < o.settings.thresholds().gossip()) {
            return;
        }
        peer.iwantsAnswered++;
        if (peer.iwantsAnswered > o.settings.maxIWantAnswers()) {
            return;
        }
        for (ControlIWant w : iwants) {
            for (ByteString raw : w.getMessageIDsList()) {
                MessageId id = MessageId.of(raw);
                MessageCache.Entry e = pipeline.mcache.get(id);
                if (e == null || peer.dontWant.containsKey(id)) {
                    continue;
                }
                int sent = e.transmissions.merge(peer.id, 1, Integer::sum);
                if (sent <= o.settings.gossipRetransmission()) {
                    o.outbox.message(peer.id, e.message);
                }
            }
        }
    }
}

package io.hivemesh.pubsub.internal;

import io.hivemesh.api.peer.PeerId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * One gossipsub heartbeat (gossipsub-v1.0 "heartbeat", with v1.1's score rules): scoring refresh,
 * per-heartbeat counters, broken promises, expiries; per mesh topic: drop negative-score peers, fill
 * below D_low, trim above D_high (D_score best kept, D_out outbound kept), keep D_out outbound,
 * opportunistic grafting; fanout expiry and refill; IHAVE gossip; then the message cache shifts. All
 * GRAFT/PRUNE/IHAVE of the round leave merged per peer in one flush. Router thread only.
 */
final class Heartbeat {
    private final Overlay o;
    private final MessagePipeline pipeline;
    private final ControlHandler control;
    private long ticks;

    Heartbeat(Overlay o, MessagePipeline pipeline, ControlHandler control) {
        this.o = o;
        this.pipeline = pipeline;
        this.control = control;
    }

    long ticks() {
        return ticks;
    }

    void run() {
        long now = o.clock.getAsLong();
        ticks++;
        control.setTick(ticks);
        o.scoring.refresh(now);
        for (PeerState s : o.peers.values()) {
            s.resetHeartbeatCounters(ticks);
        }
        pipeline.promises.broken(now).forEach((p, n) -> o.scoring.addPenalty(p, n));
        o.backoffs.expire(now);
        pipeline.seen.expire(now);
        pipeline.timeouts(now);
        Map<PeerId, Double> scores = new HashMap<>();
        for (String topic : new ArrayList<>(o.mesh.keySet())) {
            maintain(topic, now, scores);
        }
        fanout(now, scores);
        pipeline.mcache.shift();
        o.outbox.flush();
    }

    private double score(PeerId p, Map<PeerId, Double> scores) {
        return scores.computeIfAbsent(p, o::score);
    }

    private void maintain(String topic, long now, Map<PeerId, Double> scores) {
        GossipSettings s = o.settings;
        long backoff = s.pruneBackoff().toMillis();
        Set<PeerId> mesh = o.mesh.get(topic);
        for (PeerId p : new ArrayList<>(mesh)) {
            if (score(p, scores) < 0) {
                o.prune(p, topic, false, backoff);
            }
        }
        if (mesh.size() < s.dLow()) {
            for (PeerId p : o.pick(topic, s.d() - mesh.size(), q -> graftable(topic, q, now, scores))) {
                o.graft(p, topic, false);
            }
        }
        if (mesh.size() > s.dHigh()) {
            trim(topic, mesh, scores);
        }
        if (mesh.size() >= s.dLow()) {
            int outbound = (int) mesh.stream().filter(this::outbound).count();
            if (outbound < s.dOut()) {
                for (PeerId p : o.pick(topic, s.dOut() - outbound,
                        q -> outbound(q) && graftable(topic, q, now, scores))) {
                    o.graft(p, topic, false);
                }
            }
        }
        if (ticks % s.opportunisticGraftTicks() == 0 && mesh.size() > 1) {
            List<Double> sorted = new ArrayList<>();
            mesh.forEach(p -> sorted.add(score(p, scores)));
            Collections.sort(sorted);
            double median = sorted.get(sorted.size() / 2);
            if (median < s.thresholds().opportunisticGraft()) {
                for (PeerId p : o.pick(topic, s.opportunisticGraftPeers(),
                        q -> graftable(topic, q, now, scores) && score(q, scores) > median)) {
                    o.graft(p, topic, false);
                }
            }
        }
        gossip(topic, mesh, scores);
    }

    /** Prunes down to D: the D_score best by score stay, the rest at random, keeping D_out outbound peers. */
    private void trim(String topic, Set<PeerId> mesh, Map<PeerId, Double> scores) {
        GossipSettings s = o.settings;
        List<PeerId> list = new ArrayList<>(mesh);
        Collections.shuffle(list, o.random);
        list.sort(Comparator.comparingDouble((PeerId p) -> score(p, scores)).reversed());
        List<PeerId> rest = new ArrayList<>(list.subList(s.dScore(), list.size()));
        Collections.shuffle(rest, o.random);
        List<PeerId> keep = new ArrayList<>(list.subList(0, s.dScore()));
        keep.addAll(rest.subList(0, s.d() - s.dScore()));
        List<PeerId> drop = new ArrayList<>(rest.subList(s.d() - s.dScore(), rest.size()));
        int outbound = (int) keep.stream().filter(this::outbound).count();
        int slot = keep.size() - 1;
        for (PeerId candidate : drop.stream().filter(this::outbound).toList()) {
            while (slot >= s.dScore() && outbound(keep.get(slot))) {
                slot--;
            }
            if (outbound >= s.dOut() || slot < s.dScore()) {
                break;
            }
            drop.remove(candidate);
            drop.add(keep.set(slot--, candidate));
            outbound++;
        }
        for (PeerId p : drop) {
            o.prune(p, topic, true, s.pruneBackoff().toMillis());
        }
    }

    private boolean outbound(PeerId p) {
        PeerState st = o.peers.get(p);
        return st != null && st.outbound;
    }

    private boolean graftable(String topic, PeerId p, long now, Map<PeerId, Double> scores) {
        Set<PeerId> m = o.mesh.get(topic);
        return (m == null || !m.contains(p)) && !o.backoffs.active(topic, p, now) && score(p, scores) >= 0;
    }

    private void fanout(long now, Map<PeerId, Double> scores) {
        GossipSettings s = o.settings;
        double threshold = s.thresholds().publish();
        for (Iterator<Map.Entry<String, Set<PeerId>>> it = o.fanout.entrySet().iterator(); it.hasNext(); ) {
            Map.Entry<String, Set<PeerId>> e = it.next();
            String topic = e.getKey();
            Long last = o.fanoutLastPublished.get(topic);
            if (last == null || last + s.fanoutTtl().toMillis() <= now) {
                it.remove();
                o.fanoutLastPublished.remove(topic);
                continue;
            }
            Set<PeerId> fan = e.getValue();
            fan.removeIf(p -> !o.topicPeers(topic).contains(p) || score(p, scores) < threshold);
            if (fan.size() < s.d()) {
                fan.addAll(o.pick(topic, s.d() - fan.size(), q -> !fan.contains(q) && score(q, scores) >= threshold));
            }
            gossip(topic, fan, scores);
        }
    }

    /** IHAVE of the gossip windows' ids to max(D_lazy, factor × candidates) topic peers outside {@code exclude}. */
    private void gossip(String topic, Set<PeerId> exclude, Map<PeerId, Double> scores) {
        List<MessageId> ids = pipeline.mcache.gossipIds(topic);
        if (ids.isEmpty()) {
            return;
        }
        GossipSettings s = o.settings;
        if (ids.size() > s.maxIHaveLength()) {
            Collections.shuffle(ids, o.random);
            ids = new ArrayList<>(ids.subList(0, s.maxIHaveLength()));
        }
        List<PeerId> candidates = o.pick(topic, Integer.MAX_VALUE,
                p -> !exclude.contains(p) && score(p, scores) >= s.thresholds().gossip());
        int n = Math.max(s.dLazy(), (int) (s.gossipFactor() * candidates.size()));
        for (PeerId p : candidates.subList(0, Math.min(n, candidates.size()))) {
            o.outbox.ihave(p, topic, ids);
        }
    }
}

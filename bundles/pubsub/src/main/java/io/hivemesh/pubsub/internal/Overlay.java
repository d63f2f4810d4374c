package io.hivemesh.pubsub.internal;

import com.google.protobuf.ByteString;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.pubsub.PubSubEvent;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlPrune;
import io.hivemesh.pubsub.internal.pb.RpcProto.PeerInfo;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.LongSupplier;
import java.util.function.Predicate;

/**
 * The router's view of the overlay: peers and their topics, this node's subscriptions, mesh and fanout
 * per topic, backoffs; with the mesh changes (graft, prune) that keep scoring, events and the outbox
 * in step. Not thread-safe (router thread).
 */
final class Overlay {
    final PeerId self;
    final GossipSettings settings;
    final PeerScoring scoring;
    final RouterListener listener;
    final Random random;
    final LongSupplier clock;
    final Outbox outbox;
    final Map<PeerId, PeerState> peers = new LinkedHashMap<>();
    final Map<String, Set<PeerId>> topicPeers = new HashMap<>();
    final Set<String> subscriptions = new LinkedHashSet<>();
    final Map<String, Set<PeerId>> mesh = new LinkedHashMap<>();
    final Map<String, Set<PeerId>> fanout = new LinkedHashMap<>();
    final Map<String, Long> fanoutLastPublished = new HashMap<>();
    final Backoffs backoffs;
    /** Signed peer records larger than this are left out of PX entries (the peer id still goes). */
    static final int MAX_PX_RECORD_BYTES = 4096;
    private final GossipNetwork network;

    Overlay(PeerId self, GossipSettings settings, PeerScoring scoring, RouterListener listener, Random random,
            LongSupplier clock, GossipNetwork network) {
        this.self = self;
        this.settings = settings;
        this.scoring = scoring;
        this.listener = listener;
        this.random = random;
        this.clock = clock;
        this.backoffs = new Backoffs(settings.heartbeatInterval().toMillis());
        this.network = network;
        this.outbox = new Outbox(network, settings.maxRpcBytes(), p -> {
            PeerState s = peers.get(p);
            return s != null && !s.floodsub();
        });
    }

    double score(PeerId p) {
        return scoring.score(p);
    }

    boolean isFloodsub(PeerId p) {
        PeerState s = peers.get(p);
        return s != null && s.floodsub();
    }

    Set<PeerId> topicPeers(String topic) {
        return topicPeers.getOrDefault(topic, Set.of());
    }

    /** Up to {@code n} gossipsub peers of {@code topic} (random order) matching {@code filter}. */
    List<PeerId> pick(String topic, int n, Predicate<PeerId> filter) {
        List<PeerId> out = new ArrayList<>();
        for (PeerId p : topicPeers(topic)) {
            if (!isFloodsub(p) && filter.test(p)) {
                out.add(p);
            }
        }
        Collections.shuffle(out, random);
        return n < out.size() ? new ArrayList<>(out.subList(0, n)) : out;
    }

    /** Adds {@code p} to the mesh of {@code topic}, tells scoring and listeners, and queues GRAFT unless {@code quiet}. */
    void graft(PeerId p, String topic, boolean quiet) {
        if (mesh.computeIfAbsent(topic, t -> new LinkedHashSet<>()).add(p)) {
            scoring.graft(p, topic);
            listener.event(new PubSubEvent.Grafted(p, topic));
            if (!quiet) {
                outbox.graft(p, topic);
            }
        }
    }

    /** Removes {@code p} from the mesh of {@code topic} (scoring and listeners told); returns whether it was there. */
    boolean leaveMesh(PeerId p, String topic) {
        Set<PeerId> m = mesh.get(topic);
        if (m != null && m.remove(p)) {
            scoring.prune(p, topic);
            listener.event(new PubSubEvent.Pruned(p, topic));
            return true;
        }
        return false;
    }

    /** Prunes {@code p} from {@code topic}: leaves the mesh, sets our backoff for it and queues PRUNE. */
    void prune(PeerId p, String topic, boolean px, long backoffMillis) {
        leaveMesh(p, topic);
        backoffs.set(topic, p, clock.getAsLong() + backoffMillis);
        outbox.prune(p, pruneMessage(p, topic, px, backoffMillis));
    }

    /**
     * PRUNE for {@code to}: backoff (v1.1+ peers) and, when enabled, PX of other non-negative topic
     * peers, each with its signed peer record when the network knows one of at most
     * {@value #MAX_PX_RECORD_BYTES} bytes.
     */
    ControlPrune pruneMessage(PeerId to, String topic, boolean px, long backoffMillis) {
        ControlPrune.Builder b = ControlPrune.newBuilder().setTopicID(topic);
        PeerState s = peers.get(to);
        if (s != null && s.backoffAware()) {
            b.setBackoff(backoffMillis / 1000);
            if (px && settings.peerExchange()) {
                for (PeerId other : pick(topic, settings.prunePeers(), q -> !q.equals(to) && score(q) >= 0)) {
                    PeerInfo.Builder info = PeerInfo.newBuilder().setPeerID(ByteString.copyFrom(other.toBytes()));
                    network.signedPeerRecord(other).filter(r -> r.length > 0 && r.length <= MAX_PX_RECORD_BYTES)
                            .ifPresent(r -> info.setSignedPeerRecord(ByteString.copyFrom(r)));
                    b.addPeers(info);
                }
            }
        }
        return b.build();
    }

    /** Whether {@code p} may be grafted into {@code topic} now: gossipsub, not meshed, no backoff, score ≥ 0. */
    boolean graftable(String topic, PeerId p, long now) {
        Set<PeerId> m = mesh.get(topic);
        return (m == null || !m.contains(p)) && !backoffs.active(topic, p, now) && score(p) >= 0;
    }
}

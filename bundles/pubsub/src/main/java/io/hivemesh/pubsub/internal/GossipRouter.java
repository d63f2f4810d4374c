package io.hivemesh.pubsub.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.pubsub.PubSubEvent;
import io.hivemesh.api.pubsub.PublishResult;
import io.hivemesh.pubsub.internal.pb.RpcProto;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlIHave;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlIWant;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlMessage;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlPrune;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;

/**
 * The gossipsub router (libp2p pubsub/README.md, gossipsub v1.0, v1.1 with peer scoring, v1.2
 * IDONTWANT; floodsub peers are served messages and subscriptions): a single-threaded, sans-IO state
 * machine. It talks to the network only through {@link GossipNetwork}, reports to scoring through
 * {@link PeerScoring}, and takes time from {@code clockMillis}.
 *
 * <p><b>Threading.</b> Not thread-safe: every method must be called on the one thread of
 * {@code routerExecutor}, which must queue tasks (never run them inline in {@code execute}). No method
 * blocks. The caller runs {@link #heartbeat()} every {@link GossipSettings#heartbeatInterval()}, the
 * first after {@link GossipSettings#heartbeatInitialDelay()}.
 *
 * <p><b>Publishing.</b> {@link #publish} builds and signs the message (or not, for StrictNoSign
 * topics), checks size, duplicates and that some peer would receive it, then runs the
 * {@link MessageValidator} like for received messages; the returned future completes on the router
 * thread once the validator answered and the message was queued to its peers, or fails with a
 * {@link io.hivemesh.api.pubsub.PublishException} (TOO_LARGE, DUPLICATE, NO_PEERS, REJECTED for a
 * validator's REJECT/IGNORE/timeout or a full validation queue).
 *
 * <p><b>Hostile peers.</b> RPCs from graylisted peers are ignored. An RPC over any per-RPC limit
 * ({@link GossipSettings#maxSubscriptionsPerRpc()}, messages, control entries per kind, ids per
 * IHAVE/IWANT, {@link GossipSettings#maxIDontWantIds()} per IDONTWANT, PX peers per PRUNE) is ignored
 * as a whole and costs the peer {@link GossipSettings#limitPenalty()} behaviour penalty. Peer topics
 * are bounded ({@link GossipSettings#maxTopicsPerPeer()}, {@link GossipSettings#maxTopicLength()}).
 * Every RPC sent is at most {@link GossipSettings#maxRpcBytes()}.
 */
public final class GossipRouter {
    private final Overlay o;
    private final MessagePipeline pipeline;
    private final ControlHandler control;
    private final Heartbeat heartbeat;

    public GossipRouter(PeerId self, GossipSettings settings, GossipNetwork network, PeerScoring scoring,
            MessageSigning signing, MessageValidator validator, RouterListener listener, LongSupplier clockMillis,
            Random random, Executor routerExecutor) {
        this.o = new Overlay(Objects.requireNonNull(self, "self"), Objects.requireNonNull(settings, "settings"),
                Objects.requireNonNull(scoring, "scoring"), Objects.requireNonNull(listener, "listener"),
                Objects.requireNonNull(random, "random"), Objects.requireNonNull(clockMillis, "clockMillis"),
                Objects.requireNonNull(network, "network"));
        this.pipeline = new MessagePipeline(o, Objects.requireNonNull(signing, "signing"),
                Objects.requireNonNull(validator, "validator"), Objects.requireNonNull(routerExecutor, "routerExecutor"));
        this.control = new ControlHandler(o, pipeline);
        this.heartbeat = new Heartbeat(o, pipeline, control);
    }

    /** As {@link #addPeer(PeerId, String, String, boolean)} for an inbound connection. */
    public void addPeer(PeerId peer, String protocol, String ip) {
        addPeer(peer, protocol, ip, false);
    }

    /**
     * A pubsub stream with {@code peer} opened with {@code protocol} ({@code /meshsub/1.2.0},
     * {@code /meshsub/1.1.0}, {@code /meshsub/1.0.0} or {@code /floodsub/1.0.0}); {@code ip} (may be
     * null) feeds scoring; {@code outbound} (this node dialed) counts towards D_out. Sends this node's
     * subscriptions. A peer already known keeps its state.
     *
     * @throws IllegalArgumentException for another protocol
     */
    public void addPeer(PeerId peer, String protocol, String ip, boolean outbound) {
        if (o.peers.containsKey(peer) || peer.equals(o.self)) {
            return;
        }
        PeerState s = new PeerState(peer, protocol, ip, outbound);
        o.peers.put(peer, s);
        o.scoring.addPeer(peer, ip);
        o.listener.event(new PubSubEvent.PeerJoined(peer, protocol));
        for (String topic : o.subscriptions) {
            o.outbox.subscription(peer, true, topic);
        }
        o.outbox.flush();
    }

    /** The peer's pubsub streams are gone: it leaves every mesh, fanout and topic. */
    public void removePeer(PeerId peer) {
        PeerState s = o.peers.get(peer);
        if (s == null) {
            return;
        }
        for (String topic : new ArrayList<>(o.mesh.keySet())) {
            o.leaveMesh(peer, topic);
        }
        for (String topic : s.topics) {
            Set<PeerId> tp = o.topicPeers.get(topic);
            if (tp != null && tp.remove(peer) && tp.isEmpty()) {
                o.topicPeers.remove(topic);
            }
        }
        o.fanout.values().forEach(f -> f.remove(peer));
        o.peers.remove(peer);
        o.outbox.discard(peer);
        pipeline.promises.forget(peer);
        o.scoring.removePeer(peer);
        o.listener.event(new PubSubEvent.PeerLeft(peer));
    }

    /** An RPC from {@code from}, already decoded and size-checked by the network glue. */
    public void handleRpc(PeerId from, RpcProto.RPC rpc) {
        PeerState peer = o.peers.get(from);
        if (peer == null || o.score(from) < o.settings.thresholds().graylist()) {
            return;
        }
        String over = overLimit(rpc);
        if (over != null) {
            o.scoring.addPenalty(from, o.settings.limitPenalty());
            return;
        }
        for (RpcProto.RPC.SubOpts sub : rpc.getSubscriptionsList()) {
            subscription(peer, sub);
        }
        for (RpcProto.Message m : rpc.getPublishList()) {
            pipeline.receive(from, m);
        }
        if (rpc.hasControl() && !peer.floodsub()) {
            control.handle(peer, rpc.getControl());
        }
        o.outbox.flush();
    }

    /** The first per-RPC limit {@code rpc} exceeds, or null. */
    private String overLimit(RpcProto.RPC rpc) {
        GossipSettings s = o.settings;
        if (rpc.getSubscriptionsCount() > s.maxSubscriptionsPerRpc()) {
            return "subscriptions";
        }
        if (rpc.getPublishCount() > s.maxMessagesPerRpc()) {
            return "messages";
        }
        if (!rpc.hasControl()) {
            return null;
        }
        ControlMessage c = rpc.getControl();
        int max = s.maxControlEntriesPerRpc();
        if (c.getIhaveCount() > max || c.getIwantCount() > max || c.getGraftCount() > max
                || c.getPruneCount() > max || c.getIdontwantCount() > max) {
            return "control entries";
        }
        for (ControlIHave h : c.getIhaveList()) {
            if (h.getMessageIDsCount() > s.maxIdsPerControl()) {
                return "IHAVE ids";
            }
        }
        for (ControlIWant w : c.getIwantList()) {
            if (w.getMessageIDsCount() > s.maxIdsPerControl()) {
                return "IWANT ids";
            }
        }
        int dontWant = 0;
        for (RpcProto.ControlIDontWant d : c.getIdontwantList()) {
            dontWant += d.getMessageIDsCount();
        }
        if (dontWant > s.maxIDontWantIds()) {
            return "IDONTWANT ids";
        }
        for (ControlPrune p : c.getPruneList()) {
            if (p.getPeersCount() > s.maxPxPeers()) {
                return "PX peers";
            }
        }
        return null;
    }

    private void subscription(PeerState peer, RpcProto.RPC.SubOpts sub) {
        String topic = sub.getTopicid();
        if (!sub.hasTopicid() || topic.isEmpty() || PeerState.utf8Length(topic) > o.settings.maxTopicLength()) {
            return;
        }
        if (sub.getSubscribe()) {
            if (peer.topics.contains(topic) || peer.topics.size() >= o.settings.maxTopicsPerPeer()) {
                return;
            }
            peer.topics.add(topic);
            o.topicPeers.computeIfAbsent(topic, t -> new LinkedHashSet<>()).add(peer.id);
            o.listener.event(new PubSubEvent.Subscribed(peer.id, topic));
            // like js: graft at once when our mesh of the topic is below D_low
            Set<PeerId> mesh = o.mesh.get(topic);
            if (mesh != null && mesh.size() < o.settings.dLow() && !peer.floodsub()
                    && o.graftable(topic, peer.id, o.clock.getAsLong())) {
                o.graft(peer.id, topic, false);
            }
        } else if (peer.topics.remove(topic)) {
            Set<PeerId> tp = o.topicPeers.get(topic);
            if (tp != null && tp.remove(peer.id) && tp.isEmpty()) {
                o.topicPeers.remove(topic);
            }
            o.leaveMesh(peer.id, topic);
            Set<PeerId> fan = o.fanout.get(topic);
            if (fan != null) {
                fan.remove(peer.id);
            }
            o.listener.event(new PubSubEvent.Unsubscribed(peer.id, topic));
        }
    }

    /** One heartbeat; the caller runs it every {@link GossipSettings#heartbeatInterval()}. */
    public void heartbeat() {
        heartbeat.run();
    }

    /**
     * Joins {@code topic}: announces it to every peer and builds the mesh from the fanout peers first,
     * then other topic peers, up to D.
     *
     * @throws IllegalArgumentException if the name is empty or over {@link GossipSettings#maxTopicLength()} bytes
     */
    public void subscribe(String topic) {
        if (topic.isEmpty() || PeerState.utf8Length(topic) > o.settings.maxTopicLength()) {
            throw new IllegalArgumentException("pubsub topic '" + topic + "': the name must be 1.."
                    + o.settings.maxTopicLength() + " bytes");
        }
        if (!o.subscriptions.add(topic)) {
            return;
        }
        for (PeerId p : o.peers.keySet()) {
            o.outbox.subscription(p, true, topic);
        }
        long now = o.clock.getAsLong();
        Set<PeerId> mesh = o.mesh.computeIfAbsent(topic, t -> new LinkedHashSet<>());
        Set<PeerId> fan = o.fanout.remove(topic);
        o.fanoutLastPublished.remove(topic);
        List<PeerId> join = new ArrayList<>();
        if (fan != null) {
            for (PeerId p : fan) {
                if (join.size() < o.settings.d() && o.peers.containsKey(p) && o.graftable(topic, p, now)) {
                    join.add(p);
                }
            }
        }
        join.addAll(o.pick(topic, o.settings.d() - join.size(), p -> !join.contains(p) && o.graftable(topic, p, now)));
        for (PeerId p : join) {
            o.graft(p, topic, false);
        }
        assert mesh.size() <= o.settings.d();
        o.outbox.flush();
    }

    /** Leaves {@code topic}: announces it and PRUNEs the mesh with the unsubscribe backoff. */
    public void unsubscribe(String topic) {
        if (!o.subscriptions.remove(topic)) {
            return;
        }
        for (PeerId p : o.peers.keySet()) {
            o.outbox.subscription(p, false, topic);
        }
        Set<PeerId> mesh = o.mesh.remove(topic);
        if (mesh != null) {
            for (PeerId p : mesh) {
                o.scoring.prune(p, topic);
                o.listener.event(new PubSubEvent.Pruned(p, topic));
                long backoff = o.settings.unsubscribeBackoff().toMillis();
                o.backoffs.set(topic, p, o.clock.getAsLong() + backoff);
                o.outbox.prune(p, o.pruneMessage(p, topic, true, backoff));
            }
        }
        o.outbox.flush();
    }

    /**
     * Publishes {@code data} on {@code topic} (see the class comment); the future completes on the
     * router thread.
     */
    public CompletableFuture<PublishResult> publish(String topic, byte[] data) {
        CompletableFuture<PublishResult> f = pipeline.publish(Objects.requireNonNull(topic, "topic"),
                Objects.requireNonNull(data, "data"));
        o.outbox.flush();
        return f;
    }

    /** This node's subscriptions. */
    public Set<String> topics() {
        return Set.copyOf(o.subscriptions);
    }

    /** Every pubsub peer. */
    public List<PeerId> peers() {
        return List.copyOf(o.peers.keySet());
    }

    /** The peers subscribed to {@code topic}. */
    public List<PeerId> peers(String topic) {
        return List.copyOf(o.topicPeers(topic));
    }

    /** This node's mesh of {@code topic} (empty when not subscribed). */
    public List<PeerId> mesh(String topic) {
        return List.copyOf(o.mesh.getOrDefault(topic, Set.of()));
    }

    /** The message counters; safe from any thread. */
    public io.hivemesh.api.pubsub.PubSubStats messageStats() {
        return pipeline.counters.snapshot();
    }

    /** The peer's score (scoring's answer). */
    public double score(PeerId peer) {
        return o.score(peer);
    }

    /** Sizes of the bounded internal state, for tests and metrics. */
    public Stats stats() {
        int maxTopics = o.peers.values().stream().mapToInt(s -> s.topics.size()).max().orElse(0);
        int dontWant = o.peers.values().stream().mapToInt(s -> s.dontWant.size()).max().orElse(0);
        return new Stats(o.peers.size(), maxTopics, dontWant, pipeline.seen.size(), pipeline.mcache.size(),
                pipeline.mcache.bytes(), pipeline.validating(), pipeline.promises.size(), o.backoffs.size(),
                o.fanout.size(), heartbeat.ticks());
    }

    /** Sizes of the router's state. */
    public record Stats(int peers, int maxTopicsOfAPeer, int maxDontWantOfAPeer, int seen, int cachedMessages,
            long cachedBytes, int validating, int promises, int backoffs, int fanoutTopics, long heartbeats) {
    }
}

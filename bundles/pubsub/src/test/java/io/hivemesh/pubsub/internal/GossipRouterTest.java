package io.hivemesh.pubsub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.pubsub.PublishException;
import io.hivemesh.api.pubsub.PublishResult;
import io.hivemesh.pubsub.internal.MemoryGossipNet.Node;
import io.hivemesh.pubsub.internal.pb.RpcProto.RPC;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** Router behaviour over an in-memory network of real routers: meshes, delivery, fanout, gossip recovery. */
class GossipRouterTest {
    private static final String TOPIC = "t";

    static PublishResult published(MemoryGossipNet net, CompletableFuture<PublishResult> f) {
        net.drain();
        assertTrue(f.isDone(), "publish completed");
        try {
            return f.get();
        } catch (InterruptedException | ExecutionException e) {
            throw new AssertionError("publish failed", e);
        }
    }

    /** A random graph: every node dials {@code degree} random others. */
    static List<Node> randomGraph(MemoryGossipNet net, int n, int degree) {
        List<Node> nodes = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            nodes.add(net.router());
        }
        for (Node a : nodes) {
            for (int k = 0; k < degree; k++) {
                Node b = nodes.get(net.random.nextInt(n));
                if (b != a && !net.connected(a, b)) {
                    net.connect(a, b);
                }
            }
        }
        return nodes;
    }

    @Test
    void meshesConvergeWithinDLowAndDHigh() {
        MemoryGossipNet net = new MemoryGossipNet(GossipSettings.defaults(), 1);
        List<Node> nodes = randomGraph(net, 40, 8);
        nodes.forEach(n -> n.router.subscribe(TOPIC));
        net.drain();
        net.heartbeats(10);
        GossipSettings s = net.settings;
        for (Node n : nodes) {
            int size = n.router.mesh(TOPIC).size();
            int topicPeers = n.router.peers(TOPIC).size();
            assertTrue(size <= s.dHigh(), "mesh " + size + " over D_high");
            assertTrue(size >= Math.min(s.dLow(), topicPeers), "mesh " + size + " below D_low with " + topicPeers + " topic peers");
            for (var p : n.router.mesh(TOPIC)) {
                assertTrue(net.byId.get(p).router.mesh(TOPIC).contains(n.id), "mesh links are symmetric");
            }
        }
    }

    @Test
    void everySubscriberGetsEachMessageExactlyOnceOverALine() {
        MemoryGossipNet net = new MemoryGossipNet(GossipSettings.defaults().toBuilder().floodPublish(false).build(), 2);
        List<Node> line = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            line.add(net.router());
            if (i > 0) {
                net.connect(line.get(i - 1), line.get(i));
            }
        }
        line.forEach(n -> n.router.subscribe(TOPIC));
        net.drain();
        net.heartbeats(2);
        PublishResult r = published(net, line.get(0).router.publish(TOPIC, "hello".getBytes(StandardCharsets.UTF_8)));
        net.drain();
        assertEquals(List.of(line.get(1).id), r.peers());
        for (Node n : line.subList(1, line.size())) {
            assertEquals(1, n.deliveredCount(r.messageId()), "delivered once at " + n.id);
            assertEquals(line.get(0).id, n.delivered.get(0).from().orElseThrow());
        }
        assertEquals(0, line.get(0).delivered.size(), "own messages are not delivered without emitSelf");
        net.heartbeats(5);
        for (Node n : line.subList(1, line.size())) {
            assertEquals(1, n.deliveredCount(r.messageId()), "gossip does not deliver it twice");
        }
    }

    @Test
    void everySubscriberGetsEachMessageExactlyOnceOverARandomGraph() {
        MemoryGossipNet net = new MemoryGossipNet(GossipSettings.defaults(), 3);
        List<Node> nodes = randomGraph(net, 30, 4);
        nodes.forEach(n -> n.router.subscribe(TOPIC));
        net.drain();
        net.heartbeats(3);
        List<byte[]> ids = new ArrayList<>();
        for (int i = 0; i < 5; i++) {
            Node author = nodes.get(net.random.nextInt(nodes.size()));
            ids.add(published(net, author.router.publish(TOPIC, ("m" + i).getBytes(StandardCharsets.UTF_8))).messageId());
            net.drain();
        }
        net.heartbeats(3);
        for (Node n : nodes) {
            int own = 0;
            for (byte[] id : ids) {
                long c = n.deliveredCount(id);
                assertTrue(c <= 1, "delivered at most once");
                own += c == 0 ? 1 : 0;
            }
            long authored = ids.stream().filter(id -> n.delivered.stream().noneMatch(m -> java.util.Arrays.equals(m.id(), id))).count();
            assertEquals(authored, own);
        }
        long total = nodes.stream().mapToLong(n -> n.delivered.size()).sum();
        assertEquals(5L * (nodes.size() - 1), total, "every other node got every message");
    }

    @Test
    void fanoutPublishReachesSubscribersAndExpires() {
        GossipSettings s = GossipSettings.defaults().toBuilder().floodPublish(false).build();
        MemoryGossipNet net = new MemoryGossipNet(s, 4);
        Node publisher = net.router();
        List<Node> subs = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Node n = net.router();
            subs.add(n);
            net.connect(publisher, n);
        }
        for (int i = 1; i < subs.size(); i++) {
            net.connect(subs.get(i - 1), subs.get(i));
        }
        subs.forEach(n -> n.router.subscribe(TOPIC));
        net.drain();
        net.heartbeats(2);
        PublishResult r = published(net, publisher.router.publish(TOPIC, new byte[] {1, 2, 3}));
        assertEquals(s.d(), r.peers().size(), "fanout of D peers");
        net.drain();
        for (Node n : subs) {
            assertEquals(1, n.deliveredCount(r.messageId()));
        }
        PublishResult again = published(net, publisher.router.publish(TOPIC, new byte[] {4}));
        assertEquals(r.peers(), again.peers(), "the fanout is kept between publications");
        assertEquals(1, publisher.router.stats().fanoutTopics());
        net.heartbeats((int) s.fanoutTtl().toSeconds() + 1);
        assertEquals(0, publisher.router.stats().fanoutTopics(), "fanout dropped after its TTL");
    }

    @Test
    void publishWithoutPeersFailsWithNoPeers() {
        MemoryGossipNet net = new MemoryGossipNet(GossipSettings.defaults(), 5);
        Node a = net.router();
        CompletableFuture<PublishResult> f = a.router.publish(TOPIC, new byte[] {1});
        assertTrue(f.isCompletedExceptionally());
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class, f::get);
        assertEquals(PublishException.Reason.NO_PEERS, ((PublishException) e.getCause()).reason());
    }

    @Test
    void ihaveIwantRecoversAMessageLostOnEveryMeshLink() {
        GossipSettings s = GossipSettings.defaults().toBuilder().floodPublish(false).build();
        MemoryGossipNet net = new MemoryGossipNet(s, 6);
        List<Node> nodes = randomGraph(net, 30, 8);
        nodes.forEach(n -> n.router.subscribe(TOPIC));
        net.drain();
        net.heartbeats(3);
        Node a = nodes.stream().max(java.util.Comparator.comparingInt(
                (Node n) -> n.router.peers(TOPIC).size() - n.router.mesh(TOPIC).size())).orElseThrow();
        assertTrue(a.router.peers(TOPIC).size() > a.router.mesh(TOPIC).size(), "a has peers outside its mesh");
        boolean[] losing = {true};
        net.filter = (from, to, rpc) -> losing[0] && rpc.getPublishCount() > 0
                ? rpc.toBuilder().clearPublish().build() : rpc;
        PublishResult r = published(net, a.router.publish(TOPIC, new byte[] {9, 9}));
        losing[0] = false;
        assertEquals(a.router.mesh(TOPIC).size(), r.peers().size(), "sent to the mesh only");
        assertEquals(0, nodes.stream().mapToLong(n -> n.deliveredCount(r.messageId())).sum(), "every mesh copy was lost");
        int before = net.sent.size();
        net.heartbeats(3);
        for (Node n : nodes) {
            assertEquals(n == a ? 0 : 1, n.deliveredCount(r.messageId()), "recovered exactly once at " + n.id);
        }
        List<RPC> later = net.sent.subList(before, net.sent.size()).stream().map(MemoryGossipNet.Sent::rpc).toList();
        assertTrue(later.stream().anyMatch(x -> x.hasControl() && x.getControl().getIhaveCount() > 0), "IHAVE sent");
        assertTrue(later.stream().anyMatch(x -> x.hasControl() && x.getControl().getIwantCount() > 0), "IWANT sent");
        assertTrue(nodes.stream().allMatch(n -> n.scoring.penalties.isEmpty()), "no broken promises");
    }

    @Test
    void unsubscribeLeavesTheMeshAndAnnouncesIt() {
        MemoryGossipNet net = new MemoryGossipNet(GossipSettings.defaults(), 7);
        Node a = net.router();
        Node b = net.router();
        net.connect(a, b);
        a.router.subscribe(TOPIC);
        b.router.subscribe(TOPIC);
        net.drain();
        assertEquals(List.of(b.id), a.router.mesh(TOPIC), "grafted at once when the peer subscribed below D_low");
        assertEquals(List.of(a.id), b.router.mesh(TOPIC));
        b.router.unsubscribe(TOPIC);
        net.drain();
        assertTrue(a.router.mesh(TOPIC).isEmpty());
        assertTrue(a.router.peers(TOPIC).isEmpty());
        assertFalse(b.router.topics().contains(TOPIC));
        b.router.subscribe(TOPIC);
        net.drain();
        net.heartbeats(1);
        assertTrue(b.router.mesh(TOPIC).isEmpty(), "b respects the 10 s unsubscribe backoff it set");
        net.heartbeats(12);
        assertEquals(List.of(a.id), b.router.mesh(TOPIC), "re-grafted after the backoff");
        assertEquals(0, a.scoring.penalty(b.id) + b.scoring.penalty(a.id), "nobody grafted during a backoff");
    }

    @Test
    void aHeartbeatSendsOneMergedRpcPerPeer() {
        MemoryGossipNet net = new MemoryGossipNet(GossipSettings.defaults(), 8);
        List<Node> nodes = randomGraph(net, 20, 6);
        nodes.forEach(n -> n.router.subscribe(TOPIC));
        net.drain();
        net.heartbeats(2);
        for (int i = 0; i < 5; i++) {
            published(net, nodes.get(i).router.publish(TOPIC, new byte[] {(byte) i}));
        }
        net.advance(1000);
        boolean gossiped = false;
        for (Node n : nodes) {
            int before = net.sent.size();
            n.router.heartbeat();
            List<MemoryGossipNet.Sent> round = new ArrayList<>(net.sent.subList(before, net.sent.size()));
            assertEquals(round.size(), round.stream().map(MemoryGossipNet.Sent::to).distinct().count(),
                    "one RPC per peer per heartbeat");
            gossiped |= round.stream().anyMatch(x -> x.rpc().getControl().getIhaveCount() > 0);
            net.drain();
        }
        assertTrue(gossiped, "the round carried IHAVE gossip");
    }

    @Test
    void joiningATopicTakesTheFanoutPeersFirst() {
        GossipSettings s = GossipSettings.defaults().toBuilder().floodPublish(false).build();
        MemoryGossipNet net = new MemoryGossipNet(s, 9);
        Node publisher = net.router();
        for (int i = 0; i < 12; i++) {
            Node n = net.router();
            net.connect(publisher, n);
            n.router.subscribe(TOPIC);
        }
        net.drain();
        PublishResult r = published(net, publisher.router.publish(TOPIC, new byte[] {1}));
        assertEquals(s.d(), r.peers().size());
        publisher.router.subscribe(TOPIC);
        net.drain();
        assertTrue(publisher.router.mesh(TOPIC).containsAll(r.peers()), "the fanout became the mesh");
        assertEquals(0, publisher.router.stats().fanoutTopics());
    }
}

package io.hivemesh.pubsub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.hivemesh.pubsub.internal.MemoryGossipNet.Node;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlMessage;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlPrune;
import io.hivemesh.pubsub.internal.pb.RpcProto.Message;
import io.hivemesh.pubsub.internal.pb.RpcProto.PeerInfo;
import io.hivemesh.pubsub.internal.pb.RpcProto.RPC;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** One router against peers played by the test: GRAFT/PRUNE/backoff, PX, IHAVE/IWANT, IDONTWANT, floodsub. */
class ControlTest {
    static final String T = RouterFixture.T;

    final RouterFixture fx = new RouterFixture(GossipSettings.defaults());
    final MemoryGossipNet net = fx.net;
    final Node r = fx.r;

    Node peer(String protocol) {
        return fx.peer(protocol);
    }

    Message message(Node author, int size) {
        return fx.message(author, size);
    }

    static byte[] id(Message m) {
        return RouterFixture.id(m);
    }

    @Test
    void aPeerSubscribingBelowDLowIsGraftedAtOnce() {
        Node x = peer(PeerState.MESHSUB_12);
        assertEquals(List.of(x.id), r.router.mesh(T));
        assertTrue(Rpcs.hasGraft(x.from(r.id), T));
        assertEquals(T, x.from(r.id).get(0).getSubscriptions(0).getTopicid(), "our subscriptions come first");
    }

    @Test
    void backoffFromAPruneIsHonouredAndGraftsDuringItArePenalised() {
        Node x = peer(PeerState.MESHSUB_12);
        net.inject(x, r, Rpcs.prune(T, 60));
        assertTrue(r.router.mesh(T).isEmpty());
        x.inbox.clear();
        net.advance(5_000);
        net.inject(x, r, Rpcs.graft(T));
        assertEquals(2, r.scoring.penalty(x.id), "GRAFT in backoff within the flood threshold: +2");
        List<ControlPrune> prunes = Rpcs.prunes(x.from(r.id));
        assertEquals(1, prunes.size());
        assertEquals(60, prunes.get(0).getBackoff());
        assertTrue(r.router.mesh(T).isEmpty());
        net.advance(25_000);
        net.inject(x, r, Rpcs.graft(T));
        assertEquals(3, r.scoring.penalty(x.id), "later in the backoff: +1");
        x.inbox.clear();
        net.heartbeats(60); // the refreshed backoff ends 60 s after the last GRAFT
        assertFalse(Rpcs.hasGraft(x.from(r.id), T), "no GRAFT during the backoff");
        net.heartbeats(3);
        assertTrue(Rpcs.hasGraft(x.from(r.id), T), "grafted again after backoff + one heartbeat");
        assertEquals(List.of(x.id), r.router.mesh(T));
    }

    @Test
    void graftForATopicWeDoNotSubscribeGetsPruneWithoutPenalty() {
        Node x = peer(PeerState.MESHSUB_11);
        x.inbox.clear();
        net.inject(x, r, Rpcs.graft("other"));
        assertEquals("other", Rpcs.prunes(x.from(r.id)).get(0).getTopicID());
        assertEquals(0, r.scoring.penalty(x.id));
        assertTrue(r.router.mesh("other").isEmpty());
    }

    @Test
    void negativeScorePeersAreNotGraftedAndArePruned() {
        Node x = peer(PeerState.MESHSUB_12);
        Node y = net.raw();
        net.connect(y, r, PeerState.MESHSUB_12);
        r.scoring.setScore(y.id, -1);
        net.inject(y, r, Rpcs.subscribe(T));
        assertEquals(List.of(x.id), r.router.mesh(T), "y not grafted");
        net.inject(y, r, Rpcs.graft(T));
        assertEquals(1, Rpcs.prunes(y.from(r.id)).size(), "y's GRAFT answered with PRUNE");
        r.scoring.setScore(x.id, -1);
        net.heartbeats(1);
        assertTrue(r.router.mesh(T).isEmpty(), "x pruned at the heartbeat");
        assertEquals(1, Rpcs.prunes(x.from(r.id)).size());
    }

    @Test
    void aFullMeshAnswersGraftWithPruneAndPeerExchange() {
        RouterFixture t = new RouterFixture(GossipSettings.defaults().toBuilder().peerExchange(true).build());
        List<Node> peers = new ArrayList<>();
        for (int i = 0; i < 12; i++) {
            Node p = t.peer(PeerState.MESHSUB_11);
            peers.add(p);
            t.net.inject(p, t.r, Rpcs.graft(T));
        }
        assertEquals(12, t.r.router.mesh(T).size());
        Node late = t.peer(PeerState.MESHSUB_11);
        late.inbox.clear();
        t.net.inject(late, t.r, Rpcs.graft(T));
        List<ControlPrune> prunes = Rpcs.prunes(late.from(t.r.id));
        assertEquals(1, prunes.size());
        assertTrue(prunes.get(0).getPeersCount() <= 16, "at most 16 PX peers");
        assertTrue(prunes.get(0).getPeersList().stream().noneMatch(
                p -> p.getPeerID().equals(ByteString.copyFrom(late.id.toBytes()))), "PX never offers the pruned peer itself");
        assertTrue(prunes.get(0).getPeersCount() >= 10, "PX lists other topic peers: " + prunes.get(0).getPeersCount());
        assertEquals(12, t.r.router.mesh(T).size());
        t.net.heartbeats(1);
        assertTrue(t.r.router.mesh(T).size() <= 12);
    }

    @Test
    void prunePeerExchangeCarriesTheSignedRecordsTheNetworkHolds() {
        RouterFixture t = new RouterFixture(GossipSettings.defaults().toBuilder().peerExchange(true).build());
        Node withRecord = t.peer(PeerState.MESHSUB_11);
        Node oversized = t.peer(PeerState.MESHSUB_11);
        Node without = t.peer(PeerState.MESHSUB_11);
        byte[] record = {10, 20, 30, 40};
        t.r.records.put(withRecord.id, record);
        t.r.records.put(oversized.id, new byte[Overlay.MAX_PX_RECORD_BYTES + 1]);
        Node pruned = t.peer(PeerState.MESHSUB_11);
        pruned.inbox.clear();
        t.r.router.unsubscribe(T); // leaving: every mesh peer gets PRUNE with PX
        t.net.drain();
        List<ControlPrune> prunes = Rpcs.prunes(pruned.from(t.r.id));
        assertEquals(1, prunes.size());
        java.util.Map<ByteString, ByteString> px = new java.util.HashMap<>();
        for (PeerInfo info : prunes.get(0).getPeersList()) {
            px.put(info.getPeerID(), info.getSignedPeerRecord());
        }
        assertEquals(java.util.Set.of(ByteString.copyFrom(withRecord.id.toBytes()), ByteString.copyFrom(oversized.id.toBytes()),
                ByteString.copyFrom(without.id.toBytes())), px.keySet(), "the other topic peers are offered");
        assertEquals(ByteString.copyFrom(record), px.get(ByteString.copyFrom(withRecord.id.toBytes())), "its record as held");
        assertTrue(px.get(ByteString.copyFrom(oversized.id.toBytes())).isEmpty(), "a record over 4 KiB is left out");
        assertTrue(px.get(ByteString.copyFrom(without.id.toBytes())).isEmpty(), "no record known: the id alone");
    }

    @Test
    void aReceivedPeerExchangeRecordReachesTheListenerAsSent() {
        Node x = peer(PeerState.MESHSUB_11);
        Node stranger = net.raw();
        byte[] record = {1, 2, 3, 4, 5};
        r.scoring.setScore(x.id, 10);
        net.inject(x, r, Rpcs.control(ControlMessage.newBuilder().addPrune(ControlPrune.newBuilder().setTopicID(T).setBackoff(60)
                .addPeers(PeerInfo.newBuilder().setPeerID(ByteString.copyFrom(stranger.id.toBytes()))
                        .setSignedPeerRecord(ByteString.copyFrom(record))))));
        assertEquals(List.of(stranger.id), r.exchanged);
        org.junit.jupiter.api.Assertions.assertArrayEquals(record, r.exchangedRecords.get(0));
    }

    @Test
    void peerExchangeIsUsedOnlyFromPeersAboveTheAcceptThreshold() {
        Node x = peer(PeerState.MESHSUB_11);
        Node stranger = net.raw();
        RPC prune = Rpcs.control(ControlMessage.newBuilder().addPrune(ControlPrune.newBuilder().setTopicID(T).setBackoff(60)
                .addPeers(PeerInfo.newBuilder().setPeerID(ByteString.copyFrom(stranger.id.toBytes())))
                .addPeers(PeerInfo.newBuilder().setPeerID(ByteString.copyFrom(new byte[] {1, 2, 3})))));
        net.inject(x, r, prune);
        assertTrue(r.exchanged.isEmpty(), "score 0 < acceptPX 10");
        r.scoring.setScore(x.id, 10);
        net.inject(x, r, prune);
        assertEquals(List.of(stranger.id), r.exchanged, "the valid PX entry is reported, the malformed one skipped");
    }

    @Test
    void ihaveGetsAnIwantAndABrokenPromiseIsPenalised() {
        Node x = peer(PeerState.MESHSUB_12);
        Message m = message(x, 10);
        net.inject(x, r, Rpcs.ihave(T, id(m)));
        assertEquals(List.of(ByteString.copyFrom(id(m))), Rpcs.iwantIds(x.from(r.id)));
        net.heartbeats(2);
        assertEquals(0, r.scoring.penalty(x.id), "within the 3 s follow-up");
        net.heartbeats(2);
        assertEquals(1, r.scoring.penalty(x.id), "promise broken");
        Message kept = message(x, 10);
        net.inject(x, r, Rpcs.ihave(T, id(kept)));
        net.inject(x, r, Rpcs.publish(kept));
        net.heartbeats(5);
        assertEquals(1, r.scoring.penalty(x.id), "a kept promise costs nothing");
        assertEquals(1, r.deliveredCount(id(kept)));
    }

    @Test
    void ihaveIsIgnoredBelowTheGossipThresholdAndBeyondTenPerHeartbeat() {
        Node x = peer(PeerState.MESHSUB_12);
        x.inbox.clear();
        r.scoring.setScore(x.id, -11);
        net.inject(x, r, Rpcs.ihave(T, id(message(x, 1))));
        assertTrue(Rpcs.iwantIds(x.from(r.id)).isEmpty(), "ignored below the gossip threshold");
        r.scoring.setScore(x.id, 0);
        for (int i = 0; i < 15; i++) {
            net.inject(x, r, Rpcs.ihave(T, id(message(x, 1))));
        }
        assertEquals(10, Rpcs.iwantIds(x.from(r.id)).size(), "10 IHAVEs per heartbeat");
        net.heartbeats(1);
        net.inject(x, r, Rpcs.ihave(T, id(message(x, 1))));
        assertEquals(11, Rpcs.iwantIds(x.from(r.id)).size(), "the counter resets at the heartbeat");
    }

    @Test
    void iwantIsAnsweredFromTheCacheAtMostThreeTimesAndNotAfterIdontwant() {
        Node x = peer(PeerState.MESHSUB_12);
        Node z = peer(PeerState.MESHSUB_12);
        Message m = message(x, 10);
        net.inject(x, r, Rpcs.publish(m));
        z.inbox.clear();
        for (int i = 0; i < 5; i++) {
            net.inject(z, r, Rpcs.iwant(id(m)));
        }
        assertEquals(3, Rpcs.messages(z.from(r.id)).size(), "3 retransmissions per id and peer");
        Node w = peer(PeerState.MESHSUB_12);
        net.inject(w, r, Rpcs.idontwant(id(m)));
        w.inbox.clear();
        net.inject(w, r, Rpcs.iwant(id(m)));
        assertTrue(Rpcs.messages(w.from(r.id)).isEmpty(), "IDONTWANT also stops IWANT answers");
    }

    @Test
    void idontwantIsSentForLargeMessagesToMeshsub12PeersAndHonoured() {
        Node x = peer(PeerState.MESHSUB_12);
        Node y = peer(PeerState.MESHSUB_12);
        Node z = peer(PeerState.MESHSUB_12);
        Node w = peer(PeerState.MESHSUB_11);
        assertEquals(4, r.router.mesh(T).size());
        Message big = message(y, 600);
        net.inject(x, r, Rpcs.idontwant(id(big)));
        List.of(x, y, z, w).forEach(n -> n.inbox.clear());
        net.inject(y, r, Rpcs.publish(big));
        assertEquals(List.of(ByteString.copyFrom(id(big))), Rpcs.idontwantIds(z.from(r.id)));
        assertEquals(1, Rpcs.idontwantIds(x.from(r.id)).size());
        assertTrue(Rpcs.idontwantIds(w.from(r.id)).isEmpty(), "not to /meshsub/1.1.0");
        assertTrue(Rpcs.idontwantIds(y.from(r.id)).isEmpty(), "not to the sender");
        assertEquals(1, Rpcs.messages(z.from(r.id)).size());
        assertEquals(1, Rpcs.messages(w.from(r.id)).size());
        assertTrue(Rpcs.messages(x.from(r.id)).isEmpty(), "x said IDONTWANT");
        assertTrue(Rpcs.messages(y.from(r.id)).isEmpty(), "never back to the source");
        z.inbox.clear();
        net.inject(y, r, Rpcs.publish(message(y, 100)));
        assertTrue(Rpcs.idontwantIds(z.from(r.id)).isEmpty(), "no IDONTWANT under 512 bytes");
        assertEquals(1, Rpcs.messages(z.from(r.id)).size());
    }

    @Test
    void idontwantEntriesExpireAfterFiveHeartbeats() {
        Node x = peer(PeerState.MESHSUB_12);
        Node y = peer(PeerState.MESHSUB_12);
        Message m = message(y, 10);
        net.inject(x, r, Rpcs.idontwant(id(m)));
        assertEquals(1, r.router.stats().maxDontWantOfAPeer());
        net.heartbeats(5);
        assertEquals(0, r.router.stats().maxDontWantOfAPeer());
    }

    @Test
    void floodsubPeersGetMessagesButNoControl() {
        Node f = peer(PeerState.FLOODSUB);
        Node x = peer(PeerState.MESHSUB_12);
        assertEquals(List.of(x.id), r.router.mesh(T), "floodsub peers are never meshed");
        net.inject(x, r, Rpcs.publish(message(x, 600)));
        net.heartbeats(3);
        List<RPC> got = f.from(r.id);
        assertEquals(1, Rpcs.messages(got).size());
        assertTrue(got.stream().noneMatch(RPC::hasControl), "no control to floodsub");
    }

    @Test
    void anOversizedMeshKeepsTheBestScoresAndOutboundPeers() {
        List<Node> inbound = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            Node p = peer(PeerState.MESHSUB_12);
            net.inject(p, r, Rpcs.graft(T));
            inbound.add(p);
        }
        List<Node> outbound = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            Node p = net.raw();
            net.connect(r, p, PeerState.MESHSUB_12);
            net.inject(p, r, Rpcs.subscribe(T));
            net.inject(p, r, Rpcs.graft(T));
            outbound.add(p);
        }
        assertEquals(14, r.router.mesh(T).size(), "outbound peers are accepted beyond D_high");
        List<Node> best = inbound.subList(6, 10);
        best.forEach(p -> r.scoring.setScore(p.id, 5));
        net.heartbeats(1);
        List<io.hivemesh.api.peer.PeerId> mesh = r.router.mesh(T);
        assertEquals(6, mesh.size(), "trimmed to D");
        best.forEach(p -> assertTrue(mesh.contains(p.id), "the D_score best stay"));
        assertEquals(2, outbound.stream().filter(p -> mesh.contains(p.id)).count(), "D_out outbound peers stay");
        inbound.subList(0, 6).forEach(p -> assertTrue(!mesh.contains(p.id) && !Rpcs.prunes(p.from(r.id)).isEmpty()));
        assertEquals(1, r.scoring.refreshes, "scoring refreshed at the heartbeat");
    }

    @Test
    void opportunisticGraftingAddsBetterPeersWhenTheMedianIsLow() {
        List<Node> peers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            peers.add(peer(PeerState.MESHSUB_12));
        }
        assertEquals(4, r.router.mesh(T).size());
        peers.subList(0, 4).forEach(p -> r.scoring.setScore(p.id, 1));
        Node good = peers.get(4);
        Node meh = peers.get(5);
        r.scoring.setScore(good.id, 30);
        r.scoring.setScore(meh.id, 0.5);
        good.inbox.clear();
        net.heartbeats(59);
        assertFalse(Rpcs.hasGraft(good.from(r.id), T));
        net.heartbeats(1);
        assertTrue(Rpcs.hasGraft(good.from(r.id), T), "grafted at the 60th heartbeat");
        assertFalse(Rpcs.hasGraft(meh.from(r.id), T), "only peers above the median");
        assertEquals(5, r.router.mesh(T).size());
    }

    @Test
    void aMessageClaimingToBeOursIsDropped() {
        Node x = peer(PeerState.MESHSUB_12);
        Message forgedSelf = SignedMessages.signed(r.id, r.signing, T, new byte[] {1}, 42);
        net.inject(x, r, Rpcs.publish(forgedSelf));
        assertTrue(r.delivered.isEmpty());
        assertEquals(List.of(PeerScoring.Rejection.IGNORED), r.scoring.rejections);
    }

    @Test
    void aRemovedPeerLeavesMeshTopicsAndScoring() {
        Node x = peer(PeerState.MESHSUB_12);
        r.router.removePeer(x.id);
        assertTrue(r.router.mesh(T).isEmpty());
        assertTrue(r.router.peers(T).isEmpty());
        assertTrue(r.router.peers().isEmpty());
        assertTrue(r.scoring.calls.contains("prune " + x.id + " " + T));
        assertEquals("removePeer " + x.id, r.scoring.calls.get(r.scoring.calls.size() - 1));
        assertTrue(r.events.contains(new io.hivemesh.api.pubsub.PubSubEvent.PeerLeft(x.id)));
        net.inject(x, r, Rpcs.subscribe("late"));
        assertTrue(r.router.peers("late").isEmpty(), "RPCs from unknown peers are ignored");
    }
}

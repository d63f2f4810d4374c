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
import java.util.List;
import org.junit.jupiter.api.Test;

/** Hostile peers: per-RPC limits, per-peer topic bounds, the graylist, and outgoing RPC splitting. */
class LimitsTest {
    static final String T = RouterFixture.T;
    final RouterFixture fx = new RouterFixture(GossipSettings.defaults());
    final MemoryGossipNet net = fx.net;
    final Node r = fx.r;

    @Test
    void anRpcWithTooManySubscriptionsIsIgnoredAndPenalised() {
        Node x = fx.peer(PeerState.MESHSUB_12);
        RPC.Builder b = RPC.newBuilder();
        for (int i = 0; i < 5001; i++) {
            b.addSubscriptions(RPC.SubOpts.newBuilder().setSubscribe(true).setTopicid("s" + i));
        }
        net.inject(x, r, b.build());
        assertTrue(r.router.peers("s1").isEmpty(), "nothing of the RPC was used");
        assertEquals(1, r.scoring.penalty(x.id));
    }

    @Test
    void anRpcWithTooManyIdontwantIdsOrPxPeersIsIgnored() {
        Node x = fx.peer(PeerState.MESHSUB_12);
        Node y = fx.peer(PeerState.MESHSUB_12);
        byte[][] ids = new byte[513][];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = new byte[] {(byte) i, (byte) (i >> 8)};
        }
        net.inject(x, r, Rpcs.idontwant(ids));
        assertEquals(0, r.router.stats().maxDontWantOfAPeer());
        ControlPrune.Builder prune = ControlPrune.newBuilder().setTopicID(T);
        for (int i = 0; i < 17; i++) {
            prune.addPeers(PeerInfo.newBuilder().setPeerID(ByteString.copyFrom(y.id.toBytes())));
        }
        net.inject(x, r, Rpcs.control(ControlMessage.newBuilder().addPrune(prune)));
        assertTrue(r.router.mesh(T).contains(x.id), "the PRUNE with 17 PX peers was ignored");
        assertEquals(2, r.scoring.penalty(x.id));
        Message m = fx.message(y, 5);
        x.inbox.clear();
        net.inject(y, r, Rpcs.publish(m));
        assertEquals(1, Rpcs.messages(x.from(r.id)).size());
    }

    @Test
    void aPeerTracksAtMostTheTopicLimitAndNoOverlongNames() {
        RouterFixture small = new RouterFixture(GossipSettings.defaults().toBuilder().maxTopicsPerPeer(3).maxTopicLength(8).build());
        Node x = small.peer(PeerState.MESHSUB_12);
        small.net.inject(x, small.r, Rpcs.subscribe("a", "b", "c", "d", "123456789"));
        assertEquals(3, small.r.router.stats().maxTopicsOfAPeer());
        assertTrue(small.r.router.peers("a").contains(x.id));
        assertTrue(small.r.router.peers("c").isEmpty(), "T, a, b fill the limit of 3");
        assertTrue(small.r.router.peers("123456789").isEmpty());
    }

    @Test
    void graylistedPeersAreIgnoredEntirely() {
        Node x = net.raw();
        net.connect(x, r, PeerState.MESHSUB_12);
        r.scoring.setScore(x.id, -81);
        net.inject(x, r, Rpcs.subscribe(T));
        net.inject(x, r, Rpcs.publish(fx.message(x, 5)));
        assertTrue(r.router.peers(T).isEmpty());
        assertEquals(0, r.router.stats().seen());
        r.scoring.setScore(x.id, -79);
        net.inject(x, r, Rpcs.subscribe(T));
        assertEquals(List.of(x.id), r.router.peers(T), "above the graylist the RPC counts");
        assertFalse(r.router.mesh(T).contains(x.id), "but a negative score is not grafted");
    }

    @Test
    void answersLargerThanOneRpcAreSplitWithinTheLimit() {
        GossipSettings s = GossipSettings.defaults().toBuilder().maxRpcBytes(64 * 1024).maxMessageBytes(16 * 1024).build();
        RouterFixture small = new RouterFixture(s);
        Node x = small.peer(PeerState.MESHSUB_12);
        Node z = small.peer(PeerState.MESHSUB_12);
        byte[][] ids = new byte[10][];
        for (int i = 0; i < 10; i++) {
            Message m = small.message(x, 15 * 1024);
            ids[i] = RouterFixture.id(m);
            small.net.inject(x, small.r, Rpcs.publish(m));
        }
        z.inbox.clear();
        small.net.inject(z, small.r, Rpcs.iwant(ids));
        List<RPC> got = z.from(small.r.id);
        assertEquals(10, Rpcs.messages(got).size());
        assertTrue(got.size() >= 3, "split into " + got.size() + " RPCs");
        assertTrue(got.stream().allMatch(rpc -> rpc.getSerializedSize() <= 64 * 1024));
    }
}

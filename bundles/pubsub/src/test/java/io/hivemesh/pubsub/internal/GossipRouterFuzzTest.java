package io.hivemesh.pubsub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemesh.pubsub.internal.MemoryGossipNet.Node;
import io.hivemesh.pubsub.internal.pb.RpcProto.Message;
import io.hivemesh.pubsub.internal.pb.RpcProto.RPC;
import java.io.IOException;
import java.io.InputStream;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * Jazzer fuzz test of a router handling arbitrary RPCs from a peer. Input: byte 0 picks the sender
 * (a /meshsub/1.2.0, /meshsub/1.1.0 or floodsub peer) and its score (0, below gossip, above accept-PX,
 * negative); the rest is decoded as an RPC (undecodable input is what the network glue drops) and
 * delivered twice with a heartbeat between, then five heartbeats run. Oracle: nothing throws; every
 * RPC the router sends is at most maxRpcBytes (the in-memory network asserts it); floodsub peers get
 * no control; the mesh, per-peer topics, IDONTWANT entries, validations, seen and message caches,
 * promises and backoffs stay within their bounds. Fixed keys keep the seed corpus
 * ({@code GossipRouterFuzzTestInputs/handleRpc}) signed validly.
 */
class GossipRouterFuzzTest {
    static final String T = RouterFixture.T;
    static final GossipSettings SETTINGS = GossipSettings.defaults().toBuilder().maxRpcBytes(8192).maxMessageBytes(4096)
            .maxCacheBytes(64 * 1024).maxTopicsPerPeer(50).maxTopicLength(64).validationQueue(16).seenCacheSize(1000)
            .peerExchange(true).build();
    static final Ed25519TestSigning ROUTER_KEY = new Ed25519TestSigning(1L);
    static final Ed25519TestSigning[] PEER_KEYS = {new Ed25519TestSigning(2L), new Ed25519TestSigning(3L), new Ed25519TestSigning(4L)};
    static final String[] PROTOCOLS = {PeerState.MESHSUB_12, PeerState.MESHSUB_11, PeerState.FLOODSUB};
    static final double[] SCORES = {0, -11, 15, -1};

    /** A router subscribed to T with three subscribed raw peers and one cached message by peer 0. */
    static final class World {
        final MemoryGossipNet net = new MemoryGossipNet(SETTINGS, 5);
        final Node r = net.router(SETTINGS, ROUTER_KEY);
        final Node[] peers = new Node[3];

        World() {
            r.router.subscribe(T);
            for (int i = 0; i < 3; i++) {
                peers[i] = net.raw(PEER_KEYS[i]);
                net.connect(peers[i], r, PROTOCOLS[i]);
                net.inject(peers[i], r, Rpcs.subscribe(T));
            }
            net.inject(peers[0], r, Rpcs.publish(cachedMessage()));
        }
    }

    static Message cachedMessage() {
        return SignedMessages.signed(PEER_KEYS[0].peerId(), PEER_KEYS[0], T, new byte[] {1, 2, 3}, 1L);
    }

    @FuzzTest(maxDuration = "30s")
    void handleRpc(byte[] input) {
        if (input.length == 0) {
            return;
        }
        RPC rpc;
        try {
            rpc = RPC.parseFrom(Arrays.copyOfRange(input, 1, input.length));
        } catch (InvalidProtocolBufferException e) {
            return;
        }
        World w = new World();
        run(w, input[0], rpc);
    }

    static void run(World w, byte selector, RPC rpc) {
        Node from = w.peers[(selector & 3) % 3];
        w.r.scoring.setScore(from.id, SCORES[(selector >> 2) & 3]);
        w.net.inject(from, w.r, rpc);
        w.net.heartbeats(1);
        w.net.inject(from, w.r, rpc);
        w.net.heartbeats(5);
        check(w);
    }

    static void check(World w) {
        GossipSettings s = SETTINGS;
        GossipRouter.Stats st = w.r.router.stats();
        require(w.r.router.mesh(T).size() <= s.dHigh(), "mesh over D_high: " + w.r.router.mesh(T).size());
        require(st.maxTopicsOfAPeer() <= s.maxTopicsPerPeer(), "peer topics " + st.maxTopicsOfAPeer());
        require(st.maxDontWantOfAPeer() <= s.maxIDontWantIds() * s.idontwantTtlHeartbeats(), "IDONTWANT entries " + st.maxDontWantOfAPeer());
        require(st.validating() <= s.validationQueue(), "validations " + st.validating());
        require(st.seen() <= s.seenCacheSize(), "seen " + st.seen());
        require(st.cachedBytes() <= s.maxCacheBytes() && st.cachedMessages() <= s.maxCachedMessages(), "mcache " + st.cachedBytes());
        require(st.promises() <= s.maxIHaveMessages() * 3 * 2, "promises " + st.promises());
        require(st.backoffs() <= 3 * (s.maxTopicsPerPeer() + 1), "backoffs " + st.backoffs());
        require(w.peers[2].inbox.stream().noneMatch(x -> x.rpc().hasControl()), "control sent to a floodsub peer");
        require(w.net.sent.stream().allMatch(x -> x.rpc().getSerializedSize() <= s.maxRpcBytes()), "RPC over the limit");
    }

    private static void require(boolean ok, String problem) {
        if (!ok) {
            throw new AssertionError(problem);
        }
    }

    @Test
    void theValidMessageSeedStillReachesDelivery() throws IOException {
        byte[] seed;
        try (InputStream in = getClass().getResourceAsStream("GossipRouterFuzzTestInputs/handleRpc/publish-valid")) {
            seed = in.readAllBytes();
        }
        World w = new World();
        RPC rpc = RPC.parseFrom(Arrays.copyOfRange(seed, 1, seed.length));
        run(w, seed[0], rpc);
        assertEquals(2, w.r.delivered.size(), "the seed's signed message (and the world's) were delivered");
    }

    /** Writes the seed corpus (run by hand: {@code java ... GossipRouterFuzzTest$Seeds <dir>}). */
    static final class Seeds {
        public static void main(String[] args) throws IOException {
            java.nio.file.Path dir = java.nio.file.Path.of(args[0]);
            java.nio.file.Files.createDirectories(dir);
            Message valid = SignedMessages.signed(PEER_KEYS[1].peerId(), PEER_KEYS[1], T, new byte[600], 7L);
            byte[] id0 = RouterFixture.id(cachedMessage());
            write(dir, "publish-valid", (byte) 1, Rpcs.publish(valid));
            write(dir, "subscribe", (byte) 0, Rpcs.subscribe("a", "b", T));
            write(dir, "graft-prune", (byte) 8, RPC.newBuilder().mergeFrom(Rpcs.graft(T)).mergeFrom(Rpcs.prune(T, 5)).build());
            write(dir, "ihave-iwant", (byte) 0, RPC.newBuilder().mergeFrom(Rpcs.ihave(T, new byte[] {1, 2}, id0))
                    .mergeFrom(Rpcs.iwant(id0, id0)).build());
            write(dir, "idontwant", (byte) 0, Rpcs.idontwant(id0));
            write(dir, "floodsub-publish", (byte) 2, Rpcs.publish(valid));
        }

        private static void write(java.nio.file.Path dir, String name, byte selector, RPC rpc) throws IOException {
            byte[] body = rpc.toByteArray();
            byte[] out = new byte[body.length + 1];
            out[0] = selector;
            System.arraycopy(body, 0, out, 1, body.length);
            java.nio.file.Files.write(dir.resolve(name), out);
        }
    }
}

package io.hivemesh.pubsub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.pubsub.PubSubEvent;
import io.hivemesh.api.pubsub.PubSubMessage;
import io.hivemesh.api.pubsub.ValidationResult;
import io.hivemesh.pubsub.internal.pb.RpcProto.Message;
import io.hivemesh.pubsub.internal.pb.RpcProto.RPC;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * The real {@link GossipRouter} with the real {@link PeerScore}: with the default score parameters an
 * invalid-message sender in a topic without explicit parameters is graylisted (its RPCs ignored) and
 * pruned, while with js-libp2p's behaviour (unconfigured topics unscored) it is not.
 */
class RouterScoringTest {
    private static final String T = "t";
    private final AtomicLong clock = new AtomicLong(1_700_000_000_000L);
    private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
    private final List<PubSubMessage> delivered = new ArrayList<>();
    private final Ed25519TestSigning spammerKey = new Ed25519TestSigning(1L);
    private final Ed25519TestSigning honestKey = new Ed25519TestSigning(2L);
    private final PeerId spammer = PeerId.fromPublicKey(spammerKey.publicKey());
    private final PeerId honest = PeerId.fromPublicKey(honestKey.publicKey());
    private long seqno = 1;

    /** A router subscribed to T whose validator rejects payloads starting with 'S', with spammer and honest peers. */
    private GossipRouter router(ScoreParams params) {
        PeerScore score = new PeerScore(params, GossipSettings.defaults().seenTtl(), clock::get);
        GossipNetwork quiet = new GossipNetwork() {
            @Override
            public boolean send(PeerId peer, RPC rpc) {
                return true;
            }

            @Override
            public void dropPeer(PeerId peer, String reason) {
            }
        };
        RouterListener listener = new RouterListener() {
            @Override
            public void deliver(PubSubMessage message) {
                delivered.add(message);
            }

            @Override
            public void event(PubSubEvent event) {
            }

            @Override
            public void peerExchange(PeerId peer, byte[] signedPeerRecord) {
            }
        };
        MessageValidator validator = (from, m, done) -> done.accept(
                m.data().length > 0 && m.data()[0] == 'S' ? ValidationResult.REJECT : ValidationResult.ACCEPT);
        GossipRouter r = new GossipRouter(PeerId.fromPublicKey(new Ed25519TestSigning(3L).publicKey()),
                GossipSettings.defaults(), quiet, score, new Ed25519TestSigning(3L), validator, listener, clock::get,
                new Random(5), tasks::add);
        r.subscribe(T);
        r.addPeer(spammer, PeerState.MESHSUB_12, "192.0.2.1");
        r.addPeer(honest, PeerState.MESHSUB_12, "192.0.2.2");
        r.handleRpc(spammer, Rpcs.subscribe(T));
        r.handleRpc(honest, Rpcs.subscribe(T));
        drain();
        return r;
    }

    private void send(GossipRouter r, PeerId from, Ed25519TestSigning key, String data) {
        Message m = SignedMessages.signed(from, key, T, data.getBytes(), seqno++);
        r.handleRpc(from, Rpcs.publish(m));
        drain();
    }

    private void drain() {
        for (int i = 0; i < 10_000 && !tasks.isEmpty(); i++) {
            tasks.poll().run();
        }
        assertTrue(tasks.isEmpty(), "router tasks settle");
    }

    private long deliveredFrom(PeerId author) {
        return delivered.stream().filter(m -> m.from().orElseThrow().equals(author)).count();
    }

    @Test
    void withTheDefaultsThreeInvalidMessagesGraylistTheSenderAndPruneIt() {
        GossipRouter r = router(ScoreParams.defaults());
        assertTrue(r.mesh(T).contains(spammer), "grafted on subscribe");
        for (int i = 0; i < 3; i++) {
            send(r, spammer, spammerKey, "S-spam-" + i);
        }
        double graylist = GossipSettings.defaults().thresholds().graylist();
        assertTrue(r.score(spammer) < graylist, "score " + r.score(spammer));
        send(r, spammer, spammerKey, "H-valid-but-ignored");
        send(r, honest, honestKey, "H-valid");
        assertEquals(0, deliveredFrom(spammer), "a graylisted peer's RPCs are ignored");
        assertEquals(1, deliveredFrom(honest));
        clock.addAndGet(1000);
        r.heartbeat();
        drain();
        assertFalse(r.mesh(T).contains(spammer), "a negative score is pruned at the heartbeat");
        assertTrue(r.mesh(T).contains(honest));
    }

    @Test
    void withJsScoringInvalidMessagesInAnUnconfiguredTopicCostNothing() {
        GossipRouter r = router(ScoreParams.defaults().withDefaultTopicParams(null));
        for (int i = 0; i < 10; i++) {
            send(r, spammer, spammerKey, "S-spam-" + i);
        }
        assertEquals(0, r.score(spammer));
        send(r, spammer, spammerKey, "H-valid");
        assertEquals(1, deliveredFrom(spammer));
    }
}

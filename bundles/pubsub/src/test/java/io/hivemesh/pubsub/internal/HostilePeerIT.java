package io.hivemesh.pubsub.internal;

import static io.hivemesh.pubsub.internal.TestMessages.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.hivemesh.pubsub.internal.TestMessages.Tamper;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlMessage;
import io.hivemesh.pubsub.internal.pb.RpcProto.ControlPrune;
import io.hivemesh.pubsub.internal.pb.RpcProto.Message;
import io.hivemesh.pubsub.internal.pb.RpcProto.RPC;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A hostile peer floods a Java node with invalid messages (bad signatures, then messages its validator
 * rejects) while honest nodes keep publishing through it: the flooder is graylisted (its score below the
 * graylist threshold, its RPCs ignored, pruned from the mesh) and honest delivery goes on during the
 * flood. Likewise for a peer flooding GRAFTs during a backoff. All Java, real hosts on loopback; the flood is bounded in count and time.
 */
class HostilePeerIT {
    private static final String TOPIC = "hostile-topic";
    private static final long WAIT_S = 30;
    /** Invalid messages sent at most, in RPCs of {@value #PER_RPC}. */
    private static final int FLOOD = 400;
    private static final int PER_RPC = 10;
    private static final long FLOOD_SECONDS = 20;
    private static final int HONEST = 20;

    private final List<AutoCloseable> closing = new ArrayList<>();

    private <T extends AutoCloseable> T track(T c) {
        closing.add(0, c);
        return c;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    @Test
    void aFlooderOfBadSignaturesIsGraylistedWhileHonestDeliveryContinues() throws Exception {
        flood(Tamper.SIGNATURE, false);
    }

    @Test
    void aFlooderOfValidatorRejectedMessagesIsGraylistedWhileHonestDeliveryContinues() throws Exception {
        flood(Tamper.NONE, true);
    }

    /**
     * A peer that leaves the mesh (PRUNE, backoff 60 s) and then GRAFTs again and again during that
     * backoff collects behaviour penalties (gossipsub v1.1, "GRAFT flood"): it gets PRUNEs back, falls
     * below the graylist threshold, stays out of the mesh, and its messages are ignored; honest
     * delivery through the victim goes on.
     */
    @Test
    void aGraftFlooderInBackoffIsGraylisted() throws Exception {
        JavaNode victim = track(new JavaNode());
        JavaNode h1 = track(new JavaNode());
        JavaNode h2 = track(new JavaNode());
        for (JavaNode j : List.of(victim, h1, h2)) {
            j.subscribe(TOPIC);
        }
        h1.connect(victim);
        h2.connect(victim);
        RawGossipPeer hostile = track(new RawGossipPeer());
        hostile.connect(victim.peerId(), victim.address());
        hostile.subscribe(TOPIC);
        hostile.graft(TOPIC);
        Waits.until("the victim's mesh has h1, h2 and the hostile peer", WAIT_S,
                () -> victim.pubsub.mesh(TOPIC).containsAll(List.of(h1.peerId(), h2.peerId(), hostile.peerId())));

        hostile.send(RPC.newBuilder().setControl(ControlMessage.newBuilder().addPrune(
                ControlPrune.newBuilder().setTopicID(TOPIC).setBackoff(60))).build());
        Waits.until("the hostile peer leaves the victim's mesh", WAIT_S,
                () -> !victim.pubsub.mesh(TOPIC).contains(hostile.peerId()));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FLOOD_SECONDS);
        for (int i = 0; i < 50 && System.nanoTime() < deadline; i++) {
            hostile.graft(TOPIC);
        }
        double graylist = ScoreThresholds.DEFAULTS.graylist();
        Waits.until(() -> "the GRAFT flooder's score (" + victim.pubsub.score(hostile.peerId())
                + ") is below the graylist threshold " + graylist, WAIT_S,
                () -> victim.pubsub.score(hostile.peerId()) < graylist);
        Waits.until("the victim answered a GRAFT in backoff with a PRUNE", WAIT_S,
                () -> hostile.receivedAny(r -> prunes(r, TOPIC)));
        assertFalse(victim.pubsub.mesh(TOPIC).contains(hostile.peerId()));

        hostile.send(TestMessages.rpcOf(TestMessages.message(hostile.identity, TOPIC, utf8("from a graylisted peer"),
                Tamper.NONE)));
        h1.pubsub.publish(TOPIC, utf8("honest after the flood")).get(WAIT_S, TimeUnit.SECONDS);
        Waits.until("h2 has the honest message", WAIT_S, () -> h2.texts(TOPIC).contains("honest after the flood"));
        Waits.until("the victim has the honest message", WAIT_S, () -> victim.texts(TOPIC).contains("honest after the flood"));
        assertEquals(List.of("honest after the flood"), victim.texts(TOPIC), "the graylisted peer's message was ignored");
        assertEquals(List.of("honest after the flood"), h2.texts(TOPIC));
        assertTrue(victim.pubsub.mesh(TOPIC).containsAll(List.of(h1.peerId(), h2.peerId())), "honest peers stay meshed");
    }

    /**
     * h1 – victim – h2, plus the hostile peer and a witness (a raw peer that only records what the victim
     * forwards) on the victim.
     */
    private void flood(Tamper tamper, boolean validatorRejects) throws Exception {
        JavaNode victim = track(new JavaNode());
        JavaNode h1 = track(new JavaNode());
        JavaNode h2 = track(new JavaNode());
        for (JavaNode j : List.of(victim, h1, h2)) {
            if (validatorRejects) {
                j.rejectDataStartingWith(TOPIC, "spam");
            }
            j.subscribe(TOPIC);
        }
        h1.connect(victim);
        h2.connect(victim);
        RawGossipPeer hostile = track(new RawGossipPeer());
        RawGossipPeer witness = track(new RawGossipPeer());
        for (RawGossipPeer r : List.of(hostile, witness)) {
            r.connect(victim.peerId(), victim.address());
            r.subscribe(TOPIC);
            r.graft(TOPIC);
        }
        Waits.until("the victim's mesh has h1, h2, the hostile peer and the witness", WAIT_S,
                () -> victim.pubsub.mesh(TOPIC).containsAll(List.of(h1.peerId(), h2.peerId(), hostile.peerId(),
                        witness.peerId())));
        double start = victim.pubsub.score(hostile.peerId());

        // the flood, bounded in count and time, with honest publications from h1 in between
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(FLOOD_SECONDS);
        int sent = 0;
        int honest = 0;
        while (sent < FLOOD && System.nanoTime() < deadline) {
            Message[] batch = new Message[PER_RPC];
            for (int i = 0; i < PER_RPC; i++) {
                batch[i] = TestMessages.message(hostile.identity, TOPIC, utf8("spam " + (sent + i)), tamper);
            }
            hostile.send(TestMessages.rpcOf(batch));
            sent += PER_RPC;
            if (sent % (FLOOD / HONEST) == 0 && honest < HONEST) {
                // honest delivery goes on during the flood: h2 (behind the victim) has it before the flood resumes
                String text = "honest " + honest++;
                h1.pubsub.publish(TOPIC, utf8(text)).get(WAIT_S, TimeUnit.SECONDS);
                Waits.until("h2 has '" + text + "' during the flood", WAIT_S, () -> h2.texts(TOPIC).contains(text));
            }
        }
        while (honest < HONEST) {
            h1.pubsub.publish(TOPIC, utf8("honest " + honest++)).get(WAIT_S, TimeUnit.SECONDS);
        }
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < HONEST; i++) {
            expected.add("honest " + i);
        }
        Waits.until("h2 has every honest message", WAIT_S, () -> h2.texts(TOPIC).containsAll(expected));
        Waits.until("the victim has every honest message", WAIT_S, () -> victim.texts(TOPIC).containsAll(expected));
        assertEquals(expected, h2.texts(TOPIC), "h2 got the honest messages, in order, once, and no spam");
        assertEquals(expected, victim.texts(TOPIC), "the victim delivered the honest messages and no spam");

        double graylist = ScoreThresholds.DEFAULTS.graylist();
        Waits.until(() -> "the hostile peer's score (" + victim.pubsub.score(hostile.peerId()) + ", was " + start
                + ") is below the graylist threshold " + graylist, WAIT_S,
                () -> victim.pubsub.score(hostile.peerId()) < graylist);
        Waits.until("the hostile peer is pruned from the victim's mesh", WAIT_S,
                () -> !victim.pubsub.mesh(TOPIC).contains(hostile.peerId()));
        assertTrue(victim.pubsub.mesh(TOPIC).containsAll(List.of(h1.peerId(), h2.peerId())), "honest peers stay meshed");

        // graylisted: even a correctly signed, acceptable message from it is ignored
        hostile.send(TestMessages.rpcOf(TestMessages.message(hostile.identity, TOPIC, utf8("valid but graylisted"),
                Tamper.NONE)));
        h1.pubsub.publish(TOPIC, utf8("after")).get(WAIT_S, TimeUnit.SECONDS);
        Waits.until("h2 has the message after", WAIT_S, () -> h2.texts(TOPIC).contains("after"));
        Waits.until("the witness was sent the message after", WAIT_S,
                () -> witness.messages().stream().anyMatch(m -> m.getData().toStringUtf8().equals("after")));
        assertFalse(victim.texts(TOPIC).contains("valid but graylisted"), "a graylisted peer's message was delivered");
        assertFalse(h2.texts(TOPIC).contains("valid but graylisted"), "a graylisted peer's message was forwarded");

        // nothing the hostile peer sent was forwarded to the witness; the honest messages were
        ByteString hostileId = ByteString.copyFrom(hostile.peerId().toBytes());
        assertFalse(witness.messages().stream().anyMatch(m -> m.getFrom().equals(hostileId)),
                "the victim forwarded a message of the hostile peer");
        assertTrue(witness.messages().stream().map(m -> m.getData().toStringUtf8()).toList().containsAll(expected));
        assertTrue(hostile.receivedAny(r -> prunes(r, TOPIC)), "the victim sent the hostile peer a PRUNE");
    }

    /** Whether {@code rpc} carries a PRUNE for {@code topic}. */
    static boolean prunes(RPC rpc, String topic) {
        return rpc.hasControl() && rpc.getControl().getPruneList().stream().anyMatch(p -> p.getTopicID().equals(topic));
    }
}

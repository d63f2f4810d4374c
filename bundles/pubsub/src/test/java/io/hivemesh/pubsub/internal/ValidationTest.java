package io.hivemesh.pubsub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.hivemesh.api.pubsub.PublishException;
import io.hivemesh.api.pubsub.PublishResult;
import io.hivemesh.api.pubsub.ValidationResult;
import io.hivemesh.pubsub.internal.MemoryGossipNet.Node;
import io.hivemesh.pubsub.internal.PeerScoring.Rejection;
import io.hivemesh.pubsub.internal.pb.RpcProto.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.junit.jupiter.api.Test;

/** The message pipeline: seen cache, signature and size checks, the asynchronous validator and its bounds. */
class ValidationTest {
    static final String T = RouterFixture.T;
    final RouterFixture fx = new RouterFixture(GossipSettings.defaults().toBuilder().validationQueue(2).build());
    final MemoryGossipNet net = fx.net;
    final Node r = fx.r;
    final Node x = fx.peer(PeerState.MESHSUB_12);
    final Node z = fx.peer(PeerState.MESHSUB_12);

    @Test
    void anAcceptedMessageIsDeliveredForwardedAndScored() {
        Message m = fx.message(x, 5);
        z.inbox.clear();
        net.inject(x, r, Rpcs.publish(m));
        assertEquals(1, r.deliveredCount(RouterFixture.id(m)));
        assertEquals(x.id, r.delivered.get(0).receivedFrom());
        assertEquals(1, r.scoring.delivered);
        assertEquals(1, Rpcs.messages(z.from(r.id)).size(), "forwarded to the other mesh peer");
        assertEquals(new io.hivemesh.api.pubsub.PubSubStats(1, 1, 0, 0, 0), r.router.messageStats());
    }

    @Test
    void duplicatesAreCountedAndTheSeenCacheExpires() {
        Message m = fx.message(x, 5);
        net.inject(x, r, Rpcs.publish(m));
        net.inject(z, r, Rpcs.publish(m));
        net.inject(x, r, Rpcs.publish(m));
        assertEquals(1, r.deliveredCount(RouterFixture.id(m)));
        assertEquals(2, r.scoring.duplicates);
        net.heartbeats((int) net.settings.seenTtl().toSeconds() + 1);
        net.inject(x, r, Rpcs.publish(m));
        assertEquals(2, r.deliveredCount(RouterFixture.id(m)), "a replay after the seen TTL is new again");
        assertEquals(2, r.router.messageStats().received(), "duplicates are not counted as received");
    }

    @Test
    void rejectAndIgnoreDropTheMessageWithTheirScoringReason() {
        r.verdicts = m -> m.data().length == 1 ? ValidationResult.REJECT : ValidationResult.IGNORE;
        z.inbox.clear();
        net.inject(x, r, Rpcs.publish(fx.message(x, 1)));
        net.inject(x, r, Rpcs.publish(fx.message(x, 2)));
        assertEquals(List.of(Rejection.VALIDATOR_REJECTED, Rejection.IGNORED), r.scoring.rejections);
        assertEquals(new io.hivemesh.api.pubsub.PubSubStats(2, 0, 1, 1, 0), r.router.messageStats());
        assertTrue(r.delivered.isEmpty());
        assertTrue(Rpcs.messages(z.from(r.id)).isEmpty(), "not forwarded");
    }

    @Test
    void aValidationThatTimesOutIsIgnoredAndALateAnswerDoesNothing() {
        r.parked = new ArrayList<>();
        Message m = fx.message(x, 5);
        net.inject(x, r, Rpcs.publish(m));
        assertEquals(1, r.router.stats().validating());
        net.heartbeats((int) net.settings.validationTimeout().toSeconds());
        assertEquals(List.of(Rejection.IGNORED), r.scoring.rejections);
        assertEquals(0, r.router.stats().validating());
        r.parked.get(0).accept(ValidationResult.ACCEPT);
        net.drain();
        assertTrue(r.delivered.isEmpty(), "the late verdict is ignored");
        net.inject(x, r, Rpcs.publish(m));
        assertEquals(1, r.scoring.duplicates, "still in the seen cache");
    }

    @Test
    void aFullValidationQueueIgnoresFurtherMessages() {
        r.parked = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            net.inject(x, r, Rpcs.publish(fx.message(x, 5)));
        }
        assertEquals(2, r.parked.size(), "queue of 2");
        assertEquals(List.of(Rejection.IGNORED), r.scoring.rejections);
        r.parked.forEach(done -> done.accept(ValidationResult.ACCEPT));
        r.parked.get(0).accept(ValidationResult.REJECT); // a second answer is ignored
        net.drain();
        assertEquals(2, r.delivered.size());
    }

    @Test
    void invalidSignaturesAndOversizedMessagesAreRejectedBeforeTheValidator() {
        Message forged = fx.message(x, 5).toBuilder().setData(ByteString.copyFromUtf8("forged")).build();
        z.inbox.clear();
        net.inject(x, r, Rpcs.publish(forged));
        assertEquals(List.of(Rejection.INVALID_SIGNATURE), r.scoring.rejections);
        Message big = fx.message(x, net.settings.maxMessageBytes());
        net.inject(x, r, Rpcs.publish(big));
        assertEquals(List.of(Rejection.INVALID_SIGNATURE, Rejection.MALFORMED), r.scoring.rejections);
        assertEquals(new io.hivemesh.api.pubsub.PubSubStats(2, 0, 2, 0, 0), r.router.messageStats());
        assertTrue(r.delivered.isEmpty());
        assertTrue(Rpcs.messages(z.from(r.id)).isEmpty());
    }

    @Test
    void messagesOfTopicsWeDoNotSubscribeAreNotRelayed() {
        Message m = SignedMessages.signed(x.id, x.signing, "elsewhere", new byte[] {1}, 99);
        net.inject(x, r, Rpcs.publish(m));
        assertTrue(r.delivered.isEmpty());
        assertEquals(0, r.router.stats().seen());
    }

    @Test
    void ownPublicationsRunTheValidatorToo() throws Exception {
        r.verdicts = m -> ValidationResult.REJECT;
        CompletableFuture<PublishResult> f = r.router.publish(T, new byte[] {1});
        net.drain();
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertEquals(PublishException.Reason.REJECTED, ((PublishException) e.getCause()).reason());
        r.verdicts = m -> ValidationResult.ACCEPT;
        CompletableFuture<PublishResult> ok = r.router.publish(T, new byte[] {1});
        net.drain();
        assertEquals(2, ok.get().peers().size(), "flood published to both subscribed peers");
        assertEquals(1, Rpcs.messages(x.from(r.id)).size());
        assertEquals(1, r.router.messageStats().published(), "the rejected publication is not counted");
    }

    @Test
    void strictNoSignTopicsPublishBareMessagesAndRefuseDuplicates() throws Exception {
        RouterFixture nf = new RouterFixture(GossipSettings.defaults().toBuilder().noSignTopics(java.util.Set.of(T)).build());
        Node p = nf.peer(PeerState.MESHSUB_12);
        CompletableFuture<PublishResult> f = nf.r.router.publish(T, new byte[] {7});
        nf.net.drain();
        Message sent = Rpcs.messages(p.from(nf.r.id)).get(0);
        assertTrue(!sent.hasFrom() && !sent.hasSeqno() && !sent.hasSignature() && !sent.hasKey());
        assertEquals(32, f.get().messageId().length, "sha-256 of the data");
        CompletableFuture<PublishResult> again = nf.r.router.publish(T, new byte[] {7});
        nf.net.drain();
        ExecutionException e = assertThrows(ExecutionException.class, again::get);
        assertEquals(PublishException.Reason.DUPLICATE, ((PublishException) e.getCause()).reason());
    }

    @Test
    void publishRefusesOversizedMessages() {
        CompletableFuture<PublishResult> f = r.router.publish(T, new byte[net.settings.maxMessageBytes()]);
        ExecutionException e = assertThrows(ExecutionException.class, f::get);
        assertEquals(PublishException.Reason.TOO_LARGE, ((PublishException) e.getCause()).reason());
    }
}

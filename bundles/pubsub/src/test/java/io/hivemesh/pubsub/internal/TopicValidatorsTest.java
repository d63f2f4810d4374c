package io.hivemesh.pubsub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.api.pubsub.PubSubMessage;
import io.hivemesh.api.pubsub.TopicValidator;
import io.hivemesh.api.pubsub.ValidationResult;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class TopicValidatorsTest {
    private static final PeerId P = PeerId.fromPublicKey(new PublicKey(KeyType.ED25519, new byte[32]));
    private final ExecutorService executor = Executors.newFixedThreadPool(2);
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

    @AfterEach
    void stop() {
        executor.shutdownNow();
        timer.shutdownNow();
    }

    private static PubSubMessage msg(String topic) {
        return new PubSubMessage(topic, new byte[] {1}, Optional.of(P), OptionalLong.of(1), new byte[] {1}, P);
    }

    private static ValidationResult verdict(TopicValidators v, PubSubMessage m) throws Exception {
        CompletableFuture<ValidationResult> f = new CompletableFuture<>();
        v.validate(P, m, f::complete);
        return f.get(30, TimeUnit.SECONDS);
    }

    private static TopicValidator answering(ValidationResult r) {
        return (from, m) -> CompletableFuture.completedFuture(r);
    }

    @Test
    void topicsWithoutValidatorsAreAccepted() throws Exception {
        TopicValidators v = new TopicValidators(executor, timer, 8, Duration.ofSeconds(10));
        v.register("other", answering(ValidationResult.REJECT));
        assertEquals(ValidationResult.ACCEPT, verdict(v, msg("t")));
    }

    @Test
    void everyValidatorMustAcceptRejectWinsOverIgnore() throws Exception {
        TopicValidators v = new TopicValidators(executor, timer, 8, Duration.ofSeconds(10));
        v.register("t", answering(ValidationResult.ACCEPT));
        assertEquals(ValidationResult.ACCEPT, verdict(v, msg("t")));
        TopicValidator ignore = answering(ValidationResult.IGNORE);
        v.register("t", ignore);
        assertEquals(ValidationResult.IGNORE, verdict(v, msg("t")));
        TopicValidator reject = answering(ValidationResult.REJECT);
        v.register("t", reject);
        assertEquals(ValidationResult.REJECT, verdict(v, msg("t")));
        v.unregister("t", reject);
        v.unregister("t", ignore);
        assertEquals(ValidationResult.ACCEPT, verdict(v, msg("t")));
        assertEquals(1, v.validators("t"));
    }

    @Test
    void aValidatorThatNeverAnswersTimesOutAsIgnore() throws Exception {
        TopicValidators v = new TopicValidators(executor, timer, 8, Duration.ofMillis(50));
        v.register("t", (from, m) -> new CompletableFuture<>());
        assertEquals(ValidationResult.IGNORE, verdict(v, msg("t")));
        assertEquals(1, v.timedOut());
    }

    @Test
    void aThrowingOrFailingValidatorIsIgnoreNotReject() throws Exception {
        TopicValidators v = new TopicValidators(executor, timer, 8, Duration.ofSeconds(10));
        v.register("t", (from, m) -> {
            throw new IllegalStateException("bug in a validator");
        });
        assertEquals(ValidationResult.IGNORE, verdict(v, msg("t")));
        TopicValidators w = new TopicValidators(executor, timer, 8, Duration.ofSeconds(10));
        w.register("t", (from, m) -> CompletableFuture.failedFuture(new RuntimeException("failed")));
        assertEquals(ValidationResult.IGNORE, verdict(w, msg("t")));
        TopicValidators x = new TopicValidators(executor, timer, 8, Duration.ofSeconds(10));
        x.register("t", (from, m) -> null);
        assertEquals(ValidationResult.IGNORE, verdict(x, msg("t")));
    }

    @Test
    void beyondTheQueueMessagesAreIgnoredAndCounted() throws Exception {
        TopicValidators v = new TopicValidators(executor, timer, 2, Duration.ofSeconds(30));
        CompletableFuture<ValidationResult> gate = new CompletableFuture<>();
        v.register("t", (from, m) -> gate);
        CompletableFuture<ValidationResult> first = new CompletableFuture<>();
        CompletableFuture<ValidationResult> second = new CompletableFuture<>();
        v.validate(P, msg("t"), first::complete);
        v.validate(P, msg("t"), second::complete);
        assertEquals(ValidationResult.IGNORE, verdict(v, msg("t")), "the third is over the queue");
        assertEquals(1, v.overflowed());
        gate.complete(ValidationResult.ACCEPT);
        assertEquals(ValidationResult.ACCEPT, first.get(30, TimeUnit.SECONDS));
        assertEquals(ValidationResult.ACCEPT, second.get(30, TimeUnit.SECONDS));
        assertEquals(ValidationResult.ACCEPT, verdict(v, msg("t")), "room again once they finished");
        assertTrue(v.overflowed() == 1);
    }
}

package io.hivemesh.pubsub.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.pubsub.PubSubMessage;
import io.hivemesh.api.pubsub.TopicValidator;
import io.hivemesh.api.pubsub.ValidationResult;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link TopicValidator}s registered per topic, as one {@link MessageValidator} for the router.
 * A message of a topic without validators is accepted at once. Otherwise every validator of the
 * topic is asked on the validation executor (never on the router thread); the first REJECT rejects,
 * else any IGNORE ignores, else all ACCEPT accept. Bounded: at most {@code maxInFlight} messages are
 * being validated (more are IGNOREd and counted), and a verdict not complete within {@code timeout}
 * is IGNORE. A validator that throws or fails counts as IGNORE (a local fault, no penalty for the
 * sender), logged. Thread-safe.
 */
final class TopicValidators implements MessageValidator {
    private static final Logger LOG = LoggerFactory.getLogger(TopicValidators.class);

    private final Map<String, List<TopicValidator>> byTopic = new ConcurrentHashMap<>();
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final int maxInFlight;
    private final Duration timeout;
    private final AtomicInteger inFlight = new AtomicInteger();
    private final AtomicLong overflow = new AtomicLong();
    private final AtomicLong timedOut = new AtomicLong();

    TopicValidators(Executor executor, ScheduledExecutorService timer, int maxInFlight, Duration timeout) {
        this.executor = executor;
        this.timer = timer;
        this.maxInFlight = maxInFlight;
        this.timeout = timeout;
    }

    void register(String topic, TopicValidator v) {
        byTopic.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(v);
    }

    void unregister(String topic, TopicValidator v) {
        byTopic.computeIfPresent(topic, (t, list) -> {
            list.remove(v);
            return list.isEmpty() ? null : list;
        });
    }

    /** Validations refused because {@code maxInFlight} were running. */
    long overflowed() {
        return overflow.get();
    }

    /** Validations that did not finish within the timeout. */
    long timedOut() {
        return timedOut.get();
    }

    int validators(String topic) {
        List<TopicValidator> l = byTopic.get(topic);
        return l == null ? 0 : l.size();
    }

    @Override
    public void validate(PeerId receivedFrom, PubSubMessage message, Consumer<ValidationResult> done) {
        List<TopicValidator> list = byTopic.get(message.topic());
        if (list == null || list.isEmpty()) {
            done.accept(ValidationResult.ACCEPT);
            return;
        }
        if (inFlight.incrementAndGet() > maxInFlight) {
            inFlight.decrementAndGet();
            overflow.incrementAndGet();
            LOG.debug("pubsub: {} validations in flight, message {} on {} ignored", maxInFlight, message.idHex(), message.topic());
            done.accept(ValidationResult.IGNORE);
            return;
        }
        Verdict verdict = new Verdict(list.size(), done);
        try {
            verdict.timer = timer.schedule(() -> verdict.finish(ValidationResult.IGNORE, () -> {
                timedOut.incrementAndGet();
                LOG.debug("pubsub: validation of {} on {} took longer than {} ms: ignored", message.idHex(),
                        message.topic(), timeout.toMillis());
            }), timeout.toMillis(), TimeUnit.MILLISECONDS);
            executor.execute(() -> {
                for (TopicValidator v : List.copyOf(list)) {
                    ask(v, receivedFrom, message, verdict);
                }
            });
        } catch (RejectedExecutionException e) {
            verdict.finish(ValidationResult.IGNORE);
        }
    }

    private void ask(TopicValidator v, PeerId from, PubSubMessage m, Verdict verdict) {
        if (verdict.done.get()) {
            return;
        }
        CompletionStage<ValidationResult> stage;
        try {
            stage = v.validate(from, m);
        } catch (RuntimeException e) {
            LOG.warn("pubsub: validator {} of {} threw on message {}: {}", v, m.topic(), m.idHex(), e.toString());
            verdict.finish(ValidationResult.IGNORE);
            return;
        }
        if (stage == null) {
            LOG.warn("pubsub: validator {} of {} returned no verdict for {}", v, m.topic(), m.idHex());
            verdict.finish(ValidationResult.IGNORE);
            return;
        }
        stage.whenComplete((r, e) -> {
            if (e != null || r == null) {
                LOG.warn("pubsub: validator {} of {} failed on message {}: {}", v, m.topic(), m.idHex(), e);
                verdict.finish(ValidationResult.IGNORE);
            } else {
                verdict.one(r);
            }
        });
    }

    /** The combined verdict of one message: the first REJECT, else any IGNORE, else ACCEPT. */
    private final class Verdict {
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicInteger pending;
        final Consumer<ValidationResult> sink;
        volatile boolean ignored;
        volatile ScheduledFuture<?> timer;

        Verdict(int validators, Consumer<ValidationResult> sink) {
            this.pending = new AtomicInteger(validators);
            this.sink = sink;
        }

        void one(ValidationResult r) {
            if (r == ValidationResult.REJECT) {
                finish(r);
                return;
            }
            if (r == ValidationResult.IGNORE) {
                ignored = true;
            }
            if (pending.decrementAndGet() == 0) {
                finish(ignored ? ValidationResult.IGNORE : ValidationResult.ACCEPT);
            }
        }

        boolean finish(ValidationResult r) {
            return finish(r, null);
        }

        /** Gives the verdict once; {@code first} (counting) runs before the router hears it. */
        boolean finish(ValidationResult r, Runnable first) {
            if (!done.compareAndSet(false, true)) {
                return false;
            }
            if (first != null) {
                first.run();
            }
            inFlight.decrementAndGet();
            ScheduledFuture<?> t = timer;
            if (t != null) {
                t.cancel(false);
            }
            sink.accept(r);
            return true;
        }
    }
}

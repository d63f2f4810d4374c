package io.hivemesh.api.pubsub;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A subscription to one topic with a bounded queue. Delivery never blocks the router: when the queue
 * is full a newly arrived message is dropped for this subscription and counted in {@link #dropped()}
 * (the message is still validated and forwarded to the mesh). Thread-safe.
 */
public interface Subscription extends AutoCloseable {

    /** Queue capacity of {@link PubSub#subscribe(String)}. */
    int DEFAULT_CAPACITY = 1024;

    String topic();

    /** The next queued message, if any, without waiting. */
    Optional<PubSubMessage> poll();

    /**
     * The next message: completes when one is queued, or exceptionally with
     * {@link java.util.concurrent.CancellationException} when the subscription is closed.
     */
    CompletableFuture<PubSubMessage> next();

    /** Waits up to {@code timeout} for the next message. */
    Optional<PubSubMessage> take(Duration timeout) throws InterruptedException;

    /** Messages waiting in the queue. */
    int queued();

    /** Messages dropped because the queue was full. */
    long dropped();

    /** Whether {@link #close()} was called (or the service went away). */
    boolean isClosed();

    /** Leaves the topic unless another subscription holds it; pending {@link #next()} futures are cancelled. */
    @Override
    void close();
}

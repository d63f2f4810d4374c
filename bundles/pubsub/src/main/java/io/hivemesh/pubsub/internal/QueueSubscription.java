package io.hivemesh.pubsub.internal;

import io.hivemesh.api.pubsub.PubSubMessage;
import io.hivemesh.api.pubsub.Subscription;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;

/**
 * A {@link Subscription} with a bounded queue. {@link #offer} (called on the router thread) never
 * blocks: it hands the message to a waiting {@link #next()} future, else queues it, else drops and
 * counts it. Futures are completed on the delivery executor, never on the router thread, so a
 * subscriber's callbacks cannot stall the router. At most {@code capacity} {@code next()} futures
 * may wait at once.
 */
final class QueueSubscription implements Subscription {
    private final String topic;
    private final int capacity;
    private final Executor delivery;
    private final Consumer<QueueSubscription> onClose;
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition arrived = lock.newCondition();
    private final ArrayDeque<PubSubMessage> queue = new ArrayDeque<>();
    private final ArrayDeque<CompletableFuture<PubSubMessage>> waiting = new ArrayDeque<>();
    private long dropped;
    private boolean closed;

    QueueSubscription(String topic, int capacity, Executor delivery, Consumer<QueueSubscription> onClose) {
        this.topic = topic;
        this.capacity = capacity;
        this.delivery = delivery;
        this.onClose = onClose;
    }

    /** Hands {@code m} to a waiting future or queues it; false if the queue was full (dropped and counted). */
    boolean offer(PubSubMessage m) {
        CompletableFuture<PubSubMessage> waiter;
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            waiter = waiting.poll();
            if (waiter == null) {
                if (queue.size() >= capacity) {
                    dropped++;
                    return false;
                }
                queue.add(m);
                arrived.signal();
                return true;
            }
        } finally {
            lock.unlock();
        }
        try {
            delivery.execute(() -> waiter.complete(m));
        } catch (RejectedExecutionException e) {
            lock.lock();
            try {
                dropped++;
            } finally {
                lock.unlock();
            }
            waiter.completeExceptionally(new CancellationException("subscription to " + topic
                    + ": the delivery thread refused the message (stopping)"));
            return false;
        }
        return true;
    }

    @Override
    public String topic() {
        return topic;
    }

    @Override
    public Optional<PubSubMessage> poll() {
        lock.lock();
        try {
            return Optional.ofNullable(queue.poll());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public CompletableFuture<PubSubMessage> next() {
        lock.lock();
        try {
            PubSubMessage m = queue.poll();
            if (m != null) {
                return CompletableFuture.completedFuture(m);
            }
            if (closed) {
                return CompletableFuture.failedFuture(new CancellationException("subscription to " + topic + " is closed"));
            }
            if (waiting.size() >= capacity) {
                return CompletableFuture.failedFuture(new IllegalStateException("subscription to " + topic + ": "
                        + capacity + " next() calls are already waiting"));
            }
            CompletableFuture<PubSubMessage> f = new CompletableFuture<>();
            waiting.add(f);
            return f;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public Optional<PubSubMessage> take(Duration timeout) throws InterruptedException {
        long nanos = timeout.toNanos();
        lock.lock();
        try {
            while (queue.isEmpty() && !closed && nanos > 0) {
                nanos = arrived.awaitNanos(nanos);
            }
            return Optional.ofNullable(queue.poll());
        } finally {
            lock.unlock();
        }
    }

    @Override
    public int queued() {
        lock.lock();
        try {
            return queue.size();
        } finally {
            lock.unlock();
        }
    }

    @Override
    public long dropped() {
        lock.lock();
        try {
            return dropped;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public boolean isClosed() {
        lock.lock();
        try {
            return closed;
        } finally {
            lock.unlock();
        }
    }

    @Override
    public void close() {
        if (terminate()) {
            onClose.accept(this);
        }
    }

    /** Marks closed and cancels the waiting futures (the service going away); true the first time. */
    boolean terminate() {
        List<CompletableFuture<PubSubMessage>> cancel;
        lock.lock();
        try {
            if (closed) {
                return false;
            }
            closed = true;
            cancel = new ArrayList<>(waiting);
            waiting.clear();
            arrived.signalAll();
        } finally {
            lock.unlock();
        }
        cancel.forEach(f -> f.completeExceptionally(new CancellationException("subscription to " + topic + " is closed")));
        return true;
    }

    @Override
    public String toString() {
        return "Subscription[" + topic + ", " + queued() + " queued, " + dropped() + " dropped" + (isClosed() ? ", closed" : "") + "]";
    }
}

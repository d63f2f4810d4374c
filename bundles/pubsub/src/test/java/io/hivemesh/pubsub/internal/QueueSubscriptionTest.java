package io.hivemesh.pubsub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.api.pubsub.PubSubMessage;
import java.time.Duration;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class QueueSubscriptionTest {
    private static final PeerId P = PeerId.fromPublicKey(new PublicKey(KeyType.ED25519, new byte[32]));
    private final ExecutorService delivery = Executors.newSingleThreadExecutor(r -> new Thread(r, "delivery-for-test"));
    private final AtomicInteger closes = new AtomicInteger();

    @AfterEach
    void stop() {
        delivery.shutdownNow();
    }

    private QueueSubscription sub(int capacity) {
        return new QueueSubscription("t", capacity, delivery, s -> closes.incrementAndGet());
    }

    private static PubSubMessage msg(int n) {
        return new PubSubMessage("t", new byte[] {(byte) n}, Optional.of(P), OptionalLong.of(n), new byte[] {(byte) n}, P);
    }

    @Test
    void queuesUpToCapacityThenDropsAndCounts() {
        QueueSubscription s = sub(2);
        assertTrue(s.offer(msg(1)));
        assertTrue(s.offer(msg(2)));
        assertFalse(s.offer(msg(3)));
        assertEquals(2, s.queued());
        assertEquals(1, s.dropped());
        assertEquals(1, s.poll().orElseThrow().data()[0]);
        assertTrue(s.offer(msg(4)));
        assertEquals(2, s.poll().orElseThrow().data()[0]);
        assertEquals(4, s.poll().orElseThrow().data()[0]);
        assertTrue(s.poll().isEmpty());
    }

    @Test
    void aWaitingNextIsCompletedOnTheDeliveryThreadNotTheOfferingOne() throws Exception {
        QueueSubscription s = sub(4);
        CompletableFuture<PubSubMessage> f = s.next();
        assertFalse(f.isDone());
        AtomicReference<String> thread = new AtomicReference<>();
        CompletableFuture<Void> seen = f.thenAccept(m -> thread.set(Thread.currentThread().getName()));
        assertTrue(s.offer(msg(7)));
        seen.get(10, TimeUnit.SECONDS);
        assertEquals("delivery-for-test", thread.get());
        assertNotEquals(Thread.currentThread().getName(), thread.get());
        assertEquals(0, s.queued(), "handed to the waiter, not queued");
        // with a message queued, next() is complete at once
        s.offer(msg(8));
        assertEquals(8, s.next().getNow(null).data()[0]);
    }

    @Test
    void waitingNextCallsAreBounded() {
        QueueSubscription s = sub(2);
        s.next();
        s.next();
        ExecutionException e = assertThrows(ExecutionException.class, () -> s.next().get(1, TimeUnit.SECONDS));
        assertInstanceOf(IllegalStateException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("2 next() calls are already waiting"));
    }

    @Test
    void closeCancelsWaitersOnceAndLeaves() throws Exception {
        QueueSubscription s = sub(2);
        CompletableFuture<PubSubMessage> f = s.next();
        s.close();
        s.close();
        assertEquals(1, closes.get(), "the registry is told once");
        assertTrue(s.isClosed());
        assertThrows(CancellationException.class, () -> f.get(1, TimeUnit.SECONDS));
        assertTrue(f.isCancelled());
        assertFalse(s.offer(msg(1)), "nothing is queued after close");
        assertTrue(s.next().isCompletedExceptionally());
    }

    @Test
    void takeWaitsForAMessageOrTheDeadline() throws Exception {
        QueueSubscription s = sub(2);
        assertTrue(s.take(Duration.ofMillis(10)).isEmpty());
        Thread t = new Thread(() -> s.offer(msg(5)));
        t.start();
        assertEquals(5, s.take(Duration.ofSeconds(30)).orElseThrow().data()[0]);
        t.join(10_000);
    }
}

package io.hivemesh.pubsub.internal;

import java.time.Duration;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * The threads of one {@link PubSubService}, each with a bounded queue: the router thread, a delivery
 * thread (completes subscribers' futures and publish results), an event thread (listeners, peer
 * exchange), two validation threads and a timer (heartbeat ticks, validation deadlines). All daemon
 * threads; {@link #shutdown()} waits a bounded time.
 */
final class ServiceThreads {
    private final RouterExecutor router = new RouterExecutor("hivemesh-pubsub-router", 65_536);
    private final ExecutorService delivery = bounded("hivemesh-pubsub-delivery", 1, 65_536);
    private final ExecutorService events = bounded("hivemesh-pubsub-events", 1, 4_096);
    private final ExecutorService validation;
    private final ScheduledExecutorService timer = PubSubService.daemonTimer("hivemesh-pubsub-timer");

    ServiceThreads(int validationQueue) {
        this.validation = bounded("hivemesh-pubsub-validation", 2, validationQueue);
    }

    private static ExecutorService bounded(String name, int threads, int queue) {
        return new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    RouterExecutor router() {
        return router;
    }

    ExecutorService delivery() {
        return delivery;
    }

    ExecutorService events() {
        return events;
    }

    ExecutorService validation() {
        return validation;
    }

    ScheduledExecutorService timer() {
        return timer;
    }

    /** Stops the timer and validation at once, lets the router, delivery and events drain for up to 2 s each. */
    void shutdown() {
        timer.shutdownNow();
        validation.shutdownNow();
        router.shutdown(Duration.ofSeconds(2));
        for (ExecutorService e : new ExecutorService[] {delivery, events}) {
            e.shutdown();
            try {
                if (!e.awaitTermination(2, TimeUnit.SECONDS)) {
                    e.shutdownNow();
                }
            } catch (InterruptedException ie) {
                Thread.currentThread().interrupt();
                e.shutdownNow();
            }
        }
    }
}

package io.hivemesh.pubsub.internal;

import io.hivemesh.api.pubsub.PubSub;
import io.hivemesh.api.pubsub.PubSubEvent;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link PubSub#listen} listeners. {@link #dispatch} (router thread) hands each event to the
 * event thread, which calls every listener in registration order; when that thread's bounded queue
 * is full the event is dropped and counted. A listener that throws is logged and kept.
 */
final class EventListeners {
    private static final Logger LOG = LoggerFactory.getLogger(EventListeners.class);
    private final CopyOnWriteArrayList<Consumer<PubSubEvent>> listeners = new CopyOnWriteArrayList<>();
    private final Executor executor;
    private final AtomicLong dropped = new AtomicLong();

    EventListeners(Executor executor) {
        this.executor = executor;
    }

    PubSub.Listening add(Consumer<PubSubEvent> listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    void dispatch(PubSubEvent e) {
        if (listeners.isEmpty()) {
            return;
        }
        try {
            executor.execute(() -> {
                for (Consumer<PubSubEvent> l : listeners) {
                    try {
                        l.accept(e);
                    } catch (RuntimeException bug) {
                        LOG.warn("pubsub: event listener {} failed on {}", l, e, bug);
                    }
                }
            });
        } catch (RejectedExecutionException full) {
            if (dropped.incrementAndGet() % 1000 == 1) {
                LOG.warn("pubsub: event queue full, {} events dropped so far", dropped.get());
            }
        }
    }

    long dropped() {
        return dropped.get();
    }
}

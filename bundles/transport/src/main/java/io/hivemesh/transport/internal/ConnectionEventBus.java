package io.hivemesh.transport.internal;

import io.hivemesh.api.net.ConnectionEvent;
import io.hivemesh.api.net.ConnectionEvents;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ConnectionEvents}: each subscriber has its own bounded queue drained in order on a shared
 * executor (never a network event loop), at most one task per subscriber at a time, so a slow
 * subscriber delays only itself; past {@value #MAX_BACKLOG} queued events it loses the oldest.
 * Thread-safe.
 */
final class ConnectionEventBus implements ConnectionEvents {
    static final int MAX_BACKLOG = 4096;
    private static final Logger LOG = LoggerFactory.getLogger(ConnectionEventBus.class);

    private final Executor executor;
    private final Supplier<List<ConnectionEvent>> snapshot;
    private final List<Sub> subscribers = new CopyOnWriteArrayList<>();

    /**
     * @param snapshot the events that describe the present (a {@code Connected}, and an
     *                 {@code Identified} where known, per connected peer), replayed to each new subscriber
     */
    ConnectionEventBus(Executor executor, Supplier<List<ConnectionEvent>> snapshot) {
        this.executor = executor;
        this.snapshot = snapshot;
    }

    @Override
    public Subscription subscribe(Consumer<ConnectionEvent> listener) {
        Sub s = new Sub(listener);
        synchronized (s) {
            subscribers.add(s);
            snapshot.get().forEach(s::offerLocked);
        }
        s.schedule();
        return s::close;
    }

    /** Delivers {@code e} to every subscriber (asynchronously). */
    void publish(ConnectionEvent e) {
        for (Sub s : subscribers) {
            s.offer(e);
        }
    }

    private final class Sub {
        private final Consumer<ConnectionEvent> listener;
        private final ArrayDeque<ConnectionEvent> queue = new ArrayDeque<>();
        private boolean running;
        private volatile boolean closed;
        private long dropped;

        Sub(Consumer<ConnectionEvent> listener) {
            this.listener = listener;
        }

        void offer(ConnectionEvent e) {
            synchronized (this) {
                offerLocked(e);
            }
            schedule();
        }

        private void offerLocked(ConnectionEvent e) {
            if (closed) {
                return;
            }
            if (queue.size() >= MAX_BACKLOG) {
                queue.pollFirst();
                if (dropped++ % 1000 == 0) {
                    LOG.warn("connection event subscriber {} is {} events behind: dropping the oldest", listener,
                            MAX_BACKLOG);
                }
            }
            queue.addLast(e);
        }

        void schedule() {
            synchronized (this) {
                if (running || queue.isEmpty() || closed) {
                    return;
                }
                running = true;
            }
            executor.execute(this::drain);
        }

        private void drain() {
            while (true) {
                ConnectionEvent e;
                synchronized (this) {
                    e = closed ? null : queue.pollFirst();
                    if (e == null) {
                        running = false;
                        return;
                    }
                }
                try {
                    listener.accept(e);
                } catch (RuntimeException ex) {
                    LOG.warn("connection event subscriber failed on {}: {}", e, ex.toString());
                }
            }
        }

        void close() {
            closed = true;
            subscribers.remove(this);
        }
    }
}

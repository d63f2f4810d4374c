package io.hivemesh.api.net;

import java.util.function.Consumer;

/**
 * Typed connection events of the host: {@link ConnectionEvent.Connected},
 * {@link ConnectionEvent.Identified}, {@link ConnectionEvent.ProtocolsChanged},
 * {@link ConnectionEvent.Disconnected}. Each subscriber gets its events in order on a thread of its
 * own (never a network event loop); a slow subscriber delays only itself, and one whose backlog
 * passes 4,096 events loses the oldest with a logged warning. Thread-safe.
 */
public interface ConnectionEvents {

    /**
     * Subscribes {@code listener}. It first receives a {@code Connected} (and, where known, an
     * {@code Identified}) for every peer connected now, then every event as it happens, until the
     * returned handle is closed.
     */
    Subscription subscribe(Consumer<ConnectionEvent> listener);

    /** A subscription; closing it stops delivery (events already queued may still arrive). */
    interface Subscription extends AutoCloseable {
        @Override
        void close();
    }
}

package io.hivemesh.rest.internal.ui;

/** A server-sent events client as {@link DashboardHub} sees it. Implementations are thread-safe. */
interface SseClient {
    /**
     * Hands {@code frame} to the client to write as soon as its connection takes it, without blocking.
     * A snapshot replaces a snapshot not yet written (only the newest matters); a heartbeat is dropped
     * if anything is still pending.
     *
     * @return false if the client is gone or has left a frame unwritten for too long; the hub then drops it
     */
    boolean offer(Frame frame, long nowNanos);

    /** Ends the client's response (idempotent). */
    void close();
}

package io.hivemesh.transport.internal;

import io.hivemesh.api.net.Stream;
import io.hivemesh.api.net.StreamResetException;
import io.hivemesh.api.net.StreamTimeoutException;
import io.hivemesh.api.peer.PeerId;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One yamux stream. All state is touched only on the session's event loop; public methods hop onto
 * it. Inbound data is appended into one {@link InboundBuffer} per stream (bounded by the receive
 * window, whose memory is reserved in the stream's resource scope); a read takes what is there.
 * Writes wait in a queue until the remote's window admits them: the write future completes when the
 * last byte went to the channel. Deadlines (negotiation, read, write, close linger, idle) are checked
 * by the session's sweep, which resets the stream with a {@link StreamTimeoutException}.
 */
final class YamuxStream implements Stream {
    /** Largest chunk one read returns. */
    static final int MAX_READ = 256 * 1024;

    private final YamuxSession session;
    final int id;
    private final boolean initiator;
    final ReceiveWindow receiveWindow;
    final ResourceScopes.StreamScope scope;
    long sendWindow = ReceiveWindow.INITIAL;
    final InboundBuffer inbound = new InboundBuffer();
    private ByteBuffer pushedBack;
    final ArrayDeque<PendingWrite> outbound = new ArrayDeque<>();
    private CompletableFuture<Optional<ByteBuffer>> pendingRead;
    volatile String protocol = "";
    boolean remoteClosed;
    boolean localClosed;
    boolean finSent;
    boolean reset;
    private String resetReason;
    private boolean resetByTimeout;

    /** Deadlines in the session clock's nanoseconds; {@link Long#MAX_VALUE}: none. Event loop only. */
    long readDeadline = Long.MAX_VALUE;
    String readDeadlineReason = "";
    long writeDeadline = Long.MAX_VALUE;
    long lingerDeadline = Long.MAX_VALUE;
    /** Raw streams: reset after this long without a read or write completing (0: never). */
    long idleTimeoutNanos;
    long lastActivityNanos;

    /** Completes once the stream is gone from its session (both sides closed, reset, or the connection lost). */
    final CompletableFuture<Void> gone = new CompletableFuture<>();

    record PendingWrite(ByteBuffer data, CompletableFuture<Void> done, boolean fin) {
    }

    YamuxStream(YamuxSession session, int id, boolean initiator, int maxWindow, ResourceScopes.StreamScope scope,
            long nowNanos) {
        this.session = session;
        this.id = id;
        this.initiator = initiator;
        this.receiveWindow = new ReceiveWindow(maxWindow);
        this.scope = scope;
        this.lastActivityNanos = nowNanos;
    }

    YamuxSession session() {
        return session;
    }

    @Override
    public String protocol() {
        return protocol;
    }

    @Override
    public PeerId remotePeer() {
        return session.remotePeer();
    }

    @Override
    public boolean isInitiator() {
        return initiator;
    }

    /** Runs {@code task} on the session's event loop. */
    void execute(Runnable task) {
        session.execute(task);
    }

    @Override
    public CompletableFuture<Optional<ByteBuffer>> read() {
        CompletableFuture<Optional<ByteBuffer>> f = new CompletableFuture<>();
        session.execute(() -> {
            if (pendingRead != null) {
                f.completeExceptionally(new IllegalStateException("a read is already outstanding on stream " + id));
                return;
            }
            pendingRead = f;
            deliver();
        });
        return f;
    }

    /** Puts bytes back in front of what is unread (multistream read past its last message); not window-accounted. */
    void unread(ByteBuffer data) {
        if (!data.hasRemaining()) {
            return;
        }
        if (pushedBack == null || !pushedBack.hasRemaining()) {
            pushedBack = data;
        } else {
            ByteBuffer joined = ByteBuffer.allocate(data.remaining() + pushedBack.remaining());
            joined.put(data).put(pushedBack).flip();
            pushedBack = joined;
        }
    }

    /** Event loop: called when data, FIN or RST arrived or a read was requested. */
    void deliver() {
        CompletableFuture<Optional<ByteBuffer>> f = pendingRead;
        if (f == null) {
            return;
        }
        boolean unread = !inbound.isEmpty() || (pushedBack != null && pushedBack.hasRemaining());
        if (reset && !unread) {
            pendingRead = null;
            f.completeExceptionally(failure());
            session.removeFinished(this);
            return;
        }
        if (pushedBack != null && pushedBack.hasRemaining()) {
            ByteBuffer b = pushedBack;
            pushedBack = null;
            pendingRead = null;
            lastActivityNanos = session.nanoTime();
            f.complete(Optional.of(b));
            return;
        }
        ByteBuffer next = inbound.take(MAX_READ);
        if (next != null) {
            pendingRead = null;
            lastActivityNanos = session.nanoTime();
            if (!reset) {
                session.consumed(this, next.remaining());
            }
            f.complete(Optional.of(next));
        } else if (remoteClosed) {
            pendingRead = null;
            f.complete(Optional.empty());
        }
        if (finished()) {
            session.removeFinished(this);
        }
    }

    @Override
    public CompletableFuture<Void> write(ByteBuffer data) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        session.execute(() -> enqueue(new PendingWrite(data, f, false)));
        return f;
    }

    /**
     * Writes {@code parts} in order as one queued write that must be accepted by the remote's window
     * within {@code timeoutNanos} (else the sweep resets the stream).
     */
    CompletableFuture<Void> write(ByteBuffer[] parts, long timeoutNanos) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        session.execute(() -> {
            writeDeadline = Math.min(writeDeadline, session.nanoTime() + timeoutNanos);
            for (int i = 0; i < parts.length; i++) {
                enqueue(new PendingWrite(parts[i], i == parts.length - 1 ? f : new CompletableFuture<>(), false));
            }
        });
        return f;
    }

    @Override
    public CompletableFuture<Void> closeWrite() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        session.execute(() -> {
            if (localClosed) {
                f.complete(null);
                return;
            }
            localClosed = true;
            enqueue(new PendingWrite(ByteBuffer.allocate(0), f, true));
        });
        return f;
    }

    private void enqueue(PendingWrite w) {
        if (reset) {
            w.done.completeExceptionally(failure());
            return;
        }
        if (finSent && !w.fin) {
            w.done.completeExceptionally(new IllegalStateException("stream " + id + " is closed for writing"));
            return;
        }
        outbound.add(w);
        session.flushWrites(this);
    }

    @Override
    public void reset() {
        session.execute(() -> session.resetLocally(this, "reset by this node", false));
    }

    /** Half-closes; if the remote has not closed its side within the session's linger time, resets. */
    @Override
    public void close() {
        closeWrite();
        session.execute(() -> {
            if (!reset && !remoteClosed) {
                lingerDeadline = Math.min(lingerDeadline, session.nanoTime() + session.lingerNanos());
            }
        });
    }

    /** Event loop: marks the stream reset and fails everything pending; what was received is dropped. */
    void markReset(String reason, boolean timeout) {
        markReset(reason, timeout, false);
    }

    /**
     * Event loop: marks the stream reset and fails pending writes. With {@code keepUnread} (a reset
     * by the remote) the bytes it sent before its RST stay readable, then reads fail (js-libp2p
     * resets right after its last reply); otherwise they are dropped at once.
     */
    void markReset(String reason, boolean timeout, boolean keepUnread) {
        if (reset) {
            return;
        }
        reset = true;
        resetByTimeout = timeout;
        resetReason = "stream " + id + " (" + protocol + ") with " + session.remotePeer() + ": " + reason;
        if (!keepUnread) {
            discardUnread();
        }
        PendingWrite w;
        while ((w = outbound.poll()) != null) {
            w.done.completeExceptionally(failure());
        }
        deliver();
    }

    /** Event loop: drops the bytes received and not read. */
    void discardUnread() {
        inbound.clear();
        pushedBack = null;
    }

    private StreamResetException failure() {
        return resetByTimeout ? new StreamTimeoutException(resetReason) : new StreamResetException(resetReason);
    }

    /** Done: reset, or both sides closed and every byte received was read (unread bytes stay charged). */
    boolean finished() {
        boolean drained = inbound.isEmpty() && (pushedBack == null || !pushedBack.hasRemaining());
        return drained && (reset || (remoteClosed && finSent));
    }

    @Override
    public String toString() {
        return "stream " + id + " " + protocol + " with " + session.remotePeer();
    }
}

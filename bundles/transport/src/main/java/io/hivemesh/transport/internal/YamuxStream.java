package io.hivemesh.transport.internal;

import io.hivemesh.api.net.Stream;
import io.hivemesh.api.net.StreamResetException;
import io.hivemesh.api.peer.PeerId;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One yamux stream. All state is touched only on the session's event loop; public methods hop onto
 * it. Inbound data is copied out of Netty buffers on arrival (so no {@code ByteBuf} outlives a frame)
 * and queued; the queue is bounded by the receive window, which grows only as the reader consumes.
 * Writes wait in a queue until the remote's window admits them: the write future completes when
 * the last byte went to the channel.
 */
final class YamuxStream implements Stream {
    private final YamuxSession session;
    final int id;
    private final boolean initiator;
    final ReceiveWindow receiveWindow;
    long sendWindow = ReceiveWindow.INITIAL;
    final ArrayDeque<ByteBuffer> inbound = new ArrayDeque<>();
    final ArrayDeque<PendingWrite> outbound = new ArrayDeque<>();
    private CompletableFuture<Optional<ByteBuffer>> pendingRead;
    volatile String protocol = "";
    boolean remoteClosed;
    boolean localClosed;
    boolean finSent;
    boolean reset;
    private String resetReason;

    record PendingWrite(ByteBuffer data, CompletableFuture<Void> done, boolean fin) {
    }

    YamuxStream(YamuxSession session, int id, boolean initiator, int maxWindow) {
        this.session = session;
        this.id = id;
        this.initiator = initiator;
        this.receiveWindow = new ReceiveWindow(maxWindow);
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

    /** Puts bytes back at the front of the read queue (multistream read past its last message). */
    void unread(ByteBuffer data) {
        if (data.hasRemaining()) {
            inbound.addFirst(data);
        }
    }

    /** Event loop: called when data, FIN or RST arrived or a read was requested. */
    void deliver() {
        CompletableFuture<Optional<ByteBuffer>> f = pendingRead;
        if (f == null) {
            return;
        }
        if (reset) {
            pendingRead = null;
            f.completeExceptionally(new StreamResetException(resetReason));
            return;
        }
        ByteBuffer next = inbound.pollFirst();
        if (next != null) {
            pendingRead = null;
            session.consumed(this, next.remaining());
            f.complete(Optional.of(next));
        } else if (remoteClosed) {
            pendingRead = null;
            f.complete(Optional.empty());
        }
    }

    @Override
    public CompletableFuture<Void> write(ByteBuffer data) {
        CompletableFuture<Void> f = new CompletableFuture<>();
        session.execute(() -> enqueue(new PendingWrite(data, f, false)));
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
            w.done.completeExceptionally(new StreamResetException(resetReason));
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
        session.execute(() -> session.resetLocally(this, "reset by this node"));
    }

    @Override
    public void close() {
        closeWrite();
    }

    /** Event loop: marks the stream reset and fails everything pending. */
    void markReset(String reason) {
        if (reset) {
            return;
        }
        reset = true;
        resetReason = "stream " + id + " (" + protocol + ") to " + session.remotePeer() + ": " + reason;
        inbound.clear();
        PendingWrite w;
        while ((w = outbound.poll()) != null) {
            w.done.completeExceptionally(new StreamResetException(resetReason));
        }
        deliver();
    }

    boolean finished() {
        return reset || (remoteClosed && finSent);
    }

    @Override
    public String toString() {
        return "stream " + id + " " + protocol + " with " + session.remotePeer();
    }
}

package io.hivemesh.api.net;

import io.hivemesh.api.peer.PeerId;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * One bidirectional, ordered byte stream to a remote peer, with one negotiated protocol
 * (a multiplexed libp2p stream).
 *
 * <p>Contract: {@link #read()} and {@link #write(ByteBuffer)} may be called from any thread, but
 * at most one read and one write may be outstanding at a time; the returned futures complete on a
 * transport thread, so callers must not block inside their callbacks. Flow control is end to end:
 * a write completes only once the bytes were accepted by the transport within the remote's window,
 * so a writer that waits for each write never buffers without bound.
 *
 * <p>Close semantics: {@link #closeWrite()} half-closes (the remote reads end of stream, this side
 * may still read); {@link #reset()} aborts both directions at once and fails pending operations
 * with {@link StreamResetException}; {@link #close()} half-closes and releases this side once the
 * remote has closed too.
 */
public interface Stream extends AutoCloseable {

    /** The protocol id negotiated for this stream, e.g. {@code /ipfs/ping/1.0.0}. */
    String protocol();

    /** The peer at the other end. */
    PeerId remotePeer();

    /** Whether this side opened the stream. */
    boolean isInitiator();

    /**
     * Reads the next chunk of bytes that arrived. Completes with an empty optional at end of
     * stream (the remote half-closed), exceptionally with {@link StreamResetException} if the
     * stream was reset or the connection lost.
     */
    CompletableFuture<Optional<ByteBuffer>> read();

    /** Writes all remaining bytes of {@code data}; the buffer must not be modified until completion. */
    CompletableFuture<Void> write(ByteBuffer data);

    /** Half-closes the write side; completes when the FIN was sent. */
    CompletableFuture<Void> closeWrite();

    /** Aborts the stream in both directions. Idempotent. */
    void reset();

    /** Half-closes this side and releases the stream; never throws. */
    @Override
    void close();
}

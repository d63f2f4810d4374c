package io.hivemesh.api.net;

import io.hivemesh.api.peer.PeerId;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A stream of length-prefixed messages (uvarint length, then that many bytes: the framing of
 * identify, Kademlia, gossipsub and bitswap) with its protocol's {@link ProtocolLimits}: a message
 * over {@code maxMessageBytes} is refused on its length prefix, every message must arrive within the
 * message timeout once started, and a stream idle beyond the idle timeout is reset. Every byte it
 * buffers is charged to the resource manager; a reservation refused resets the stream.
 *
 * <p>Threads: futures complete on the protocol's handler executor, never on a network event loop,
 * so callbacks may do blocking work (bounded). At most one read and one write may be outstanding.
 * Cancelling a returned future resets the stream.
 *
 * <p>Close semantics: {@link #closeWrite()} half-closes; {@link #close()} half-closes and resets the
 * stream if the remote has not closed its side within the message timeout; {@link #reset()} aborts
 * at once and fails whatever is pending with {@link StreamResetException}.
 */
public interface MessageStream extends AutoCloseable {

    /** The negotiated protocol id. */
    String protocol();

    /** The peer at the other end. */
    PeerId remotePeer();

    /** Whether this side opened the stream. */
    boolean isInitiator();

    /** The limits in force on this stream. */
    ProtocolLimits limits();

    /**
     * The next whole message (a buffer owned by the caller), empty at a clean end of stream between
     * messages. Fails with {@link MessageTooLargeException}, {@link StreamTimeoutException} (idle or
     * message timeout; the stream is reset) or {@link StreamResetException}.
     */
    CompletableFuture<Optional<ByteBuffer>> read();

    /** {@link #read()} with an idle deadline of its own instead of the protocol's. */
    CompletableFuture<Optional<ByteBuffer>> read(Duration idleTimeout);

    /**
     * Writes one message (its remaining bytes, framed). Completes once the remote's window accepted
     * it; fails with {@link MessageTooLargeException} before sending anything if it is over the
     * limit, or with {@link StreamTimeoutException} if the remote does not take it in time.
     */
    CompletableFuture<Void> write(ByteBuffer message);

    /** Half-closes the write side. */
    CompletableFuture<Void> closeWrite();

    /** Aborts both directions. Idempotent. */
    void reset();

    /** Half-closes, then releases the stream (reset after a bounded linger); never throws. */
    @Override
    void close();
}

package io.hivemesh.transport.internal;

import io.hivemesh.api.multiformats.MultiformatException;
import io.hivemesh.api.multiformats.Varint;
import io.hivemesh.api.net.MessageStream;
import io.hivemesh.api.net.MessageTooLargeException;
import io.hivemesh.api.net.ProtocolLimits;
import io.hivemesh.api.net.StreamResetException;
import io.hivemesh.api.peer.PeerId;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * {@link MessageStream} over a yamux stream: uvarint length prefix, then the body. Parsing runs on
 * the stream's event loop; results are handed to the protocol's executor. The body of a message is
 * reserved in the stream's resource scope as soon as its prefix is read (released once the message
 * is handed over), so a peer announcing large messages and trickling their bytes is bounded by its
 * memory limits; deadlines are the yamux stream's ({@code readDeadline}/{@code writeDeadline}),
 * enforced by the session's sweep. Thread-safe through confinement to the event loop.
 */
final class FramedStream implements MessageStream {
    private static final int MAX_PREFIX = 5;

    private final YamuxStream raw;
    private final ProtocolLimits limits;
    private final Executor executor;
    /** Event-loop state of the message being read. */
    private ByteBuffer leftover;
    private final byte[] prefix = new byte[MAX_PREFIX];
    private int prefixLength;
    private byte[] body;
    private int filled;
    private long reserved;

    FramedStream(YamuxStream raw, ProtocolLimits limits, Executor executor) {
        this.raw = raw;
        this.limits = limits;
        this.executor = executor;
    }

    @Override
    public String protocol() {
        return raw.protocol();
    }

    @Override
    public PeerId remotePeer() {
        return raw.remotePeer();
    }

    @Override
    public boolean isInitiator() {
        return raw.isInitiator();
    }

    @Override
    public ProtocolLimits limits() {
        return limits;
    }

    YamuxStream raw() {
        return raw;
    }

    @Override
    public CompletableFuture<Optional<ByteBuffer>> read() {
        return read(limits.idleTimeout());
    }

    @Override
    public CompletableFuture<Optional<ByteBuffer>> read(Duration idleTimeout) {
        CompletableFuture<Optional<ByteBuffer>> result = new CompletableFuture<>();
        CompletableFuture<Optional<ByteBuffer>> onLoop = new CompletableFuture<>();
        raw.execute(() -> {
            if (body == null && prefixLength == 0) {
                raw.readDeadline = idleTimeout.isZero() ? Long.MAX_VALUE
                        : raw.session().nanoTime() + idleTimeout.toNanos();
                raw.readDeadlineReason = "no message within the idle timeout of " + idleTimeout;
            }
            step(onLoop);
        });
        onLoop.whenComplete((v, e) -> executor.execute(() -> {
            if (e != null) {
                result.completeExceptionally(e);
            } else {
                result.complete(v);
            }
        }));
        result.whenComplete((v, e) -> {
            if (result.isCancelled()) {
                raw.reset();
            }
        });
        return result;
    }

    /** Event loop: consumes what is buffered; completes {@code f} or asks the stream for more. */
    private void step(CompletableFuture<Optional<ByteBuffer>> f) {
        try {
            ByteBuffer message = parse();
            if (message != null) {
                raw.readDeadline = Long.MAX_VALUE;
                f.complete(Optional.of(message));
                return;
            }
        } catch (StreamResetException e) {
            raw.reset();
            f.completeExceptionally(e);
            return;
        }
        raw.read().whenComplete((chunk, err) -> {
            if (err != null) {
                release();
                f.completeExceptionally(err);
                return;
            }
            if (chunk.isEmpty()) {
                if (body == null && prefixLength == 0) {
                    raw.readDeadline = Long.MAX_VALUE;
                    f.complete(Optional.empty());
                } else {
                    release();
                    raw.reset();
                    f.completeExceptionally(new StreamResetException(protocol() + ": " + remotePeer()
                            + " ended the stream inside a message"));
                }
                return;
            }
            leftover = chunk.get();
            step(f);
        });
    }

    /** Event loop: the next whole message from {@code leftover}, or null if more bytes are needed. */
    private ByteBuffer parse() {
        ByteBuffer in = leftover;
        if (in == null || !in.hasRemaining()) {
            return null;
        }
        if (body == null) {
            while (in.hasRemaining() && body == null) {
                if (prefixLength == 0) {
                    raw.readDeadline = raw.session().nanoTime() + limits.messageTimeout().toNanos();
                    raw.readDeadlineReason = "a message took longer than " + limits.messageTimeout() + " to arrive";
                }
                byte b = in.get();
                prefix[prefixLength++] = b;
                if ((b & 0x80) == 0) {
                    startBody();
                } else if (prefixLength == MAX_PREFIX) {
                    throw new MessageTooLargeException(protocol() + ": length prefix from " + remotePeer()
                            + " longer than " + MAX_PREFIX + " bytes");
                }
            }
            if (body == null) {
                return null;
            }
        }
        int n = Math.min(in.remaining(), body.length - filled);
        in.get(body, filled, n);
        filled += n;
        if (filled < body.length) {
            return null;
        }
        ByteBuffer message = ByteBuffer.wrap(body);
        body = null;
        filled = 0;
        prefixLength = 0;
        release();
        return message;
    }

    private void startBody() {
        long length;
        try {
            length = Varint.read(ByteBuffer.wrap(prefix, 0, prefixLength));
        } catch (MultiformatException e) {
            throw new MessageTooLargeException(protocol() + ": malformed length prefix from " + remotePeer() + ": "
                    + e.getMessage());
        }
        if (length > limits.maxMessageBytes()) {
            throw new MessageTooLargeException(protocol() + ": " + remotePeer() + " announced a message of "
                    + length + " bytes, over the limit of " + limits.maxMessageBytes());
        }
        if (!raw.scope.tryReserve(length)) {
            throw new StreamResetException(protocol() + ": no memory for a message of " + length + " bytes from "
                    + remotePeer() + " (" + raw.scope.lastRefusal() + ")");
        }
        reserved = length;
        body = new byte[(int) length];
        filled = 0;
    }

    private void release() {
        if (reserved > 0) {
            raw.scope.release(reserved);
            reserved = 0;
        }
    }

    @Override
    public CompletableFuture<Void> write(ByteBuffer message) {
        if (message.remaining() > limits.maxMessageBytes()) {
            return CompletableFuture.failedFuture(new MessageTooLargeException(protocol() + ": message of "
                    + message.remaining() + " bytes over the limit of " + limits.maxMessageBytes()));
        }
        ByteBuffer p = ByteBuffer.allocate(MAX_PREFIX + 5);
        Varint.write(message.remaining(), p);
        p.flip();
        return onExecutor(raw.write(new ByteBuffer[] {p, message}, limits.messageTimeout().toNanos()));
    }

    @Override
    public CompletableFuture<Void> closeWrite() {
        return onExecutor(raw.closeWrite());
    }

    private <T> CompletableFuture<T> onExecutor(CompletableFuture<T> f) {
        CompletableFuture<T> out = new CompletableFuture<>();
        f.whenComplete((v, e) -> executor.execute(() -> {
            if (e != null) {
                out.completeExceptionally(e);
            } else {
                out.complete(v);
            }
        }));
        out.whenComplete((v, e) -> {
            if (out.isCancelled()) {
                raw.reset();
            }
        });
        return out;
    }

    @Override
    public void reset() {
        raw.reset();
    }

    @Override
    public void close() {
        raw.close();
    }

    @Override
    public String toString() {
        return "message " + raw;
    }
}

package io.hivemesh.transport.internal;

import io.hivemesh.api.net.StreamResetException;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * multistream-select on a yamux stream: drives a {@link Multistream.Negotiation} with the
 * stream's reads and writes and pushes bytes read past the agreement back into the stream.
 * A failure resets the stream.
 */
final class StreamNegotiation {
    private final YamuxStream stream;
    private final Multistream.Negotiation negotiation;
    private final ByteBuf acc = Unpooled.buffer();
    private final CompletableFuture<String> result = new CompletableFuture<>();

    private StreamNegotiation(YamuxStream stream, Multistream.Negotiation negotiation) {
        this.stream = stream;
        this.negotiation = negotiation;
    }

    static CompletableFuture<String> run(YamuxStream stream, Multistream.Negotiation negotiation) {
        StreamNegotiation n = new StreamNegotiation(stream, negotiation);
        ByteBuf out = Unpooled.buffer();
        negotiation.start(out);
        n.send(out);
        n.readNext();
        return n.result.whenComplete((p, e) -> {
            if (p != null) {
                stream.protocol = p;
                stream.execute(() -> stream.readDeadline = Long.MAX_VALUE);
            } else {
                stream.reset();
            }
        });
    }

    private void send(ByteBuf out) {
        if (out.isReadable()) {
            byte[] bytes = new byte[out.readableBytes()];
            out.readBytes(bytes);
            stream.write(ByteBuffer.wrap(bytes));
        }
        out.release();
    }

    private void readNext() {
        stream.read().whenComplete((chunk, error) -> {
            if (error != null) {
                fail(error);
                return;
            }
            if (chunk.isEmpty()) {
                fail(new StreamResetException("multistream: " + stream.remotePeer() + " closed the stream during"
                        + " protocol negotiation"));
                return;
            }
            if (acc.readableBytes() + chunk.get().remaining() > 4 * Multistream.MAX_MESSAGE_LENGTH) {
                fail(new ProtocolViolationException("multistream: over " + 4 * Multistream.MAX_MESSAGE_LENGTH
                        + " bytes of negotiation without agreement"));
                return;
            }
            acc.writeBytes(chunk.get());
            ByteBuf out = Unpooled.buffer();
            String protocol;
            try {
                protocol = negotiation.receive(acc, out);
            } catch (RuntimeException e) {
                out.release();
                fail(e);
                return;
            }
            send(out);
            if (protocol == null) {
                readNext();
                return;
            }
            if (acc.isReadable()) {
                byte[] rest = new byte[acc.readableBytes()];
                acc.readBytes(rest);
                stream.unread(ByteBuffer.wrap(rest));
            }
            acc.release();
            result.complete(protocol);
        });
    }

    private void fail(Throwable e) {
        acc.release();
        result.completeExceptionally(e);
    }
}

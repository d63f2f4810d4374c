package io.hivemesh.dht.internal;

import io.hivemesh.api.net.Stream;
import io.hivemesh.dht.internal.proto.DhtProto.Message;
import java.nio.ByteBuffer;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Reads length-prefixed Kademlia messages from a {@link Stream}, one at a time; bytes of the next
 * message that arrived with the current one are kept. Never buffers more than one message (4 MiB).
 */
final class StreamFrames {
    private final Stream stream;
    private ByteBuffer buf = ByteBuffer.allocate(1024);

    StreamFrames(Stream stream) {
        this.stream = stream;
    }

    /** The next message, or empty at a clean end of stream between messages. */
    CompletableFuture<Optional<Message>> next() {
        CompletableFuture<Optional<Message>> f = new CompletableFuture<>();
        step(f);
        return f;
    }

    private void step(CompletableFuture<Optional<Message>> f) {
        try {
            buf.flip();
            int total = DhtCodec.frameLength(buf);
            if (total >= 0 && buf.remaining() >= total) {
                byte[] frame = new byte[total];
                buf.get(frame);
                buf.compact();
                f.complete(Optional.of(DhtCodec.decodeFrame(frame)));
                return;
            }
            buf.compact();
        } catch (RuntimeException e) {
            f.completeExceptionally(e);
            return;
        }
        stream.read().whenComplete((chunk, err) -> {
            if (err != null) {
                f.completeExceptionally(err);
                return;
            }
            if (chunk.isEmpty()) {
                if (buf.position() == 0) {
                    f.complete(Optional.empty());
                } else {
                    f.completeExceptionally(new DhtProtocolException("stream ended inside a kad message"));
                }
                return;
            }
            ByteBuffer data = chunk.get();
            if (buf.remaining() < data.remaining()) {
                int need = buf.position() + data.remaining();
                if (need > DhtCodec.MAX_MESSAGE_BYTES + 8) {
                    f.completeExceptionally(new DhtProtocolException("kad message exceeds "
                            + DhtCodec.MAX_MESSAGE_BYTES + " bytes"));
                    return;
                }
                ByteBuffer bigger = ByteBuffer.allocate(Math.max(need, Math.min(buf.capacity() * 2, DhtCodec.MAX_MESSAGE_BYTES + 8)));
                buf.flip();
                bigger.put(buf);
                buf = bigger;
            }
            buf.put(data);
            step(f);
        });
    }
}

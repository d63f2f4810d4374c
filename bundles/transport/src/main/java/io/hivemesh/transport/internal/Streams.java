package io.hivemesh.transport.internal;

import io.hivemesh.api.net.Stream;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/** Small asynchronous helpers over {@link Stream}. */
final class Streams {
    private Streams() {
    }

    /** Reads until end of stream; fails if more than {@code max} bytes arrive. */
    static CompletableFuture<byte[]> readAll(Stream s, int max) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        readAll(s, max, new ByteArrayOutputStream(), f);
        return f;
    }

    private static void readAll(Stream s, int max, ByteArrayOutputStream acc, CompletableFuture<byte[]> f) {
        s.read().whenComplete((chunk, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
            } else if (chunk.isEmpty()) {
                f.complete(acc.toByteArray());
            } else if (acc.size() + chunk.get().remaining() > max) {
                s.reset();
                f.completeExceptionally(new ProtocolViolationException(s.protocol() + ": more than " + max
                        + " bytes from " + s.remotePeer()));
            } else {
                ByteBuffer b = chunk.get();
                acc.write(b.array(), b.arrayOffset() + b.position(), b.remaining());
                readAll(s, max, acc, f);
            }
        });
    }

    /** Reads exactly {@code n} bytes (fails on end of stream before that). */
    static CompletableFuture<byte[]> readExactly(Stream s, int n) {
        CompletableFuture<byte[]> f = new CompletableFuture<>();
        readExactly(s, ByteBuffer.allocate(n), f);
        return f;
    }

    private static void readExactly(Stream s, ByteBuffer into, CompletableFuture<byte[]> f) {
        s.read().whenComplete((chunk, e) -> {
            if (e != null) {
                f.completeExceptionally(e);
                return;
            }
            if (chunk.isEmpty()) {
                f.completeExceptionally(new ProtocolViolationException(s.protocol() + ": stream ended after "
                        + into.position() + " of " + into.capacity() + " bytes"));
                return;
            }
            ByteBuffer b = chunk.get();
            int take = Math.min(b.remaining(), into.remaining());
            ByteBuffer part = b.slice();
            part.limit(take);
            into.put(part);
            b.position(b.position() + take);
            if (b.hasRemaining() && s instanceof YamuxStream ys) {
                ys.unread(b);
            }
            if (into.hasRemaining()) {
                readExactly(s, into, f);
            } else {
                f.complete(into.array());
            }
        });
    }
}

package io.hivemesh.transport.internal;

import io.hivemesh.api.net.Stream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;

/**
 * The libp2p perf protocol (libp2p/specs perf/perf.md): the client writes a u64 big-endian count of
 * bytes it wants back, then its upload, then closes its write side; the server discards the upload
 * and, at end of stream, sends the requested bytes and closes.
 */
public final class Perf {
    static final String PROTOCOL = "/perf/1.0.0";
    static final int CHUNK = 64 * 1024;
    private static final ByteBuffer ZEROS = ByteBuffer.allocate(CHUNK).asReadOnlyBuffer();

    /** Bytes moved and time taken. */
    public record Result(long uploaded, long downloaded, long nanos) {
    }

    private Perf() {
    }

    static void serve(Stream s) {
        Streams.readExactly(s, 8).thenCompose(header -> {
            long wanted = ByteBuffer.wrap(header).getLong();
            return drain(s).thenCompose(v -> send(s, wanted));
        }).whenComplete((v, e) -> {
            if (e != null) {
                s.reset();
            } else {
                s.close();
            }
        });
    }

    static CompletableFuture<Result> run(Stream s, long upload, long download) {
        long start = System.nanoTime();
        ByteBuffer header = ByteBuffer.allocate(8).putLong(download).flip();
        CompletableFuture<Long> received = new CompletableFuture<>();
        count(s, 0, received);
        return s.write(header).thenCompose(v -> send(s, upload)).thenCompose(v -> s.closeWrite())
                .thenCompose(v -> received)
                .thenApply(got -> {
                    if (got != download) {
                        throw new ProtocolViolationException("perf: asked for " + download + " bytes, got " + got);
                    }
                    s.close();
                    return new Result(upload, download, System.nanoTime() - start);
                });
    }

    private static CompletableFuture<Void> drain(Stream s) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        drain(s, done);
        return done;
    }

    private static void drain(Stream s, CompletableFuture<Void> done) {
        s.read().whenComplete((chunk, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else if (chunk.isEmpty()) {
                done.complete(null);
            } else {
                drain(s, done);
            }
        });
    }

    private static void count(Stream s, long sofar, CompletableFuture<Long> done) {
        s.read().whenComplete((chunk, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else if (chunk.isEmpty()) {
                done.complete(sofar);
            } else {
                count(s, sofar + chunk.get().remaining(), done);
            }
        });
    }

    /** Sends {@code n} zero bytes, one chunk at a time, each after the previous one was accepted. */
    static CompletableFuture<Void> send(Stream s, long n) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        sendRest(s, n, done);
        return done;
    }

    private static void sendRest(Stream s, long n, CompletableFuture<Void> done) {
        if (n <= 0) {
            done.complete(null);
            return;
        }
        int len = (int) Math.min(CHUNK, n);
        ByteBuffer chunk = ZEROS.duplicate();
        chunk.limit(len);
        s.write(chunk).whenComplete((v, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else {
                sendRest(s, n - len, done);
            }
        });
    }
}

package io.hivemesh.transport.internal;

import io.hivemesh.api.net.PerfResult;
import io.hivemesh.api.net.ProtocolLimits;
import io.hivemesh.api.net.Stream;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The libp2p perf protocol (libp2p/specs perf/perf.md): the client writes a u64 big-endian count of
 * bytes it wants back, then its upload, then closes its write side; the server discards the upload
 * and, at end of stream, sends the requested bytes and closes. Served only when the transport's
 * {@code perf} switch is on, and then limited: {@link #LIMITS} (one perf stream per peer at a time,
 * eight in all) and at most {@link #MAX_BYTES} each way per request, else the stream is reset.
 */
public final class Perf {
    static final String PROTOCOL = "/perf/1.0.0";
    static final int CHUNK = 64 * 1024;
    /** The most one request may upload or ask for (1 GiB). */
    public static final long MAX_BYTES = 1L << 30;
    /** Perf streams a server accepts: one per peer at a time, eight from all peers. */
    static final ProtocolLimits LIMITS;

    static {
        ProtocolLimits d = ProtocolLimits.defaults();
        LIMITS = new ProtocolLimits(d.maxMessageBytes(), d.messageTimeout(), d.idleTimeout(), 1, 1, 8,
                d.handlerThreads(), d.handlerQueue());
    }

    private static final Logger LOG = LoggerFactory.getLogger(Perf.class);
    private static final ByteBuffer ZEROS = ByteBuffer.allocate(CHUNK).asReadOnlyBuffer();

    private Perf() {
    }

    static void serve(Stream s) {
        Streams.readExactly(s, 8).thenCompose(header -> {
            long wanted = ByteBuffer.wrap(header).getLong();
            if (wanted < 0 || wanted > MAX_BYTES) {
                throw new ProtocolViolationException("perf: " + s.remotePeer() + " asked for " + Long.toUnsignedString(wanted)
                        + " bytes, more than the " + MAX_BYTES + " served per request");
            }
            return drain(s, MAX_BYTES).thenCompose(v -> send(s, wanted));
        }).whenComplete((v, e) -> {
            if (e != null) {
                LOG.debug("perf stream from {} reset: {}", s.remotePeer(), e.toString());
                s.reset();
            } else {
                s.close();
            }
        });
    }

    static CompletableFuture<PerfResult> run(Stream s, long upload, long download) {
        if (upload < 0 || download < 0 || upload > MAX_BYTES || download > MAX_BYTES) {
            s.reset();
            return CompletableFuture.failedFuture(new IllegalArgumentException(
                    "perf: upload and download must be 0.." + MAX_BYTES + " bytes (what a server accepts)"));
        }
        long start = System.nanoTime();
        ByteBuffer header = ByteBuffer.allocate(8).putLong(download).flip();
        CompletableFuture<Long> received = new CompletableFuture<>();
        long[] firstByte = new long[1];
        count(s, 0, firstByte, received);
        return s.write(header).thenCompose(v -> send(s, upload)).thenCompose(v -> s.closeWrite())
                .thenCompose(v -> received)
                .thenApply(got -> {
                    long end = System.nanoTime();
                    if (got != download) {
                        throw new ProtocolViolationException("perf: asked for " + download + " bytes, got " + got);
                    }
                    s.close();
                    long first = got == 0 ? end : firstByte[0];
                    return new PerfResult(upload, got, Duration.ofNanos(first - start), Duration.ofNanos(end - first),
                            Duration.ofNanos(end - start));
                })
                .whenComplete((r, e) -> {
                    if (e != null) {
                        s.reset();
                    }
                });
    }

    /** Reads and discards to end of stream; fails if more than {@code max} bytes come. */
    private static CompletableFuture<Void> drain(Stream s, long max) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        drain(s, max, done);
        return done;
    }

    private static void drain(Stream s, long left, CompletableFuture<Void> done) {
        s.read().whenComplete((chunk, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else if (chunk.isEmpty()) {
                done.complete(null);
            } else if (chunk.get().remaining() > left) {
                done.completeExceptionally(new ProtocolViolationException("perf: " + s.remotePeer()
                        + " uploads more than the " + MAX_BYTES + " bytes accepted per request"));
            } else {
                drain(s, left - chunk.get().remaining(), done);
            }
        });
    }

    private static void count(Stream s, long sofar, long[] firstByte, CompletableFuture<Long> done) {
        s.read().whenComplete((chunk, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else if (chunk.isEmpty()) {
                done.complete(sofar);
            } else {
                if (sofar == 0) {
                    firstByte[0] = System.nanoTime();
                }
                count(s, sofar + chunk.get().remaining(), firstByte, done);
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

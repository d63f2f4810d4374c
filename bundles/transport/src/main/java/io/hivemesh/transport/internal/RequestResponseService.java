package io.hivemesh.transport.internal;

import io.hivemesh.api.net.MessageStream;
import io.hivemesh.api.net.MessageTooLargeException;
import io.hivemesh.api.net.ProtocolLimits;
import io.hivemesh.api.net.RequestException;
import io.hivemesh.api.net.RequestException.Reason;
import io.hivemesh.api.net.RequestResponse;
import io.hivemesh.api.net.ResourceLimitException;
import io.hivemesh.api.net.StreamResetException;
import io.hivemesh.api.net.StreamTimeoutException;
import io.hivemesh.api.peer.PeerId;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * {@link RequestResponse} over {@link MessageStream}s of the host. Calls to one peer and protocol
 * run at most {@code outboundStreamsPerPeer} at a time; further calls wait in line (at most four
 * times that many, then {@link Reason#RESOURCE_LIMIT}) within their own timeout. A timeout or a
 * cancellation resets the stream. Thread-safe.
 */
final class RequestResponseService implements RequestResponse {
    /** Opens the message stream of one call. */
    interface Opener {
        CompletableFuture<MessageStream> open(PeerId peer, List<String> protocols, ProtocolLimits limits);
    }

    private final Opener opener;
    private final Function<String, ProtocolLimits> limits;
    private final BiFunction<String, ProtocolLimits, Executor> executors;
    private final ScheduledExecutorService timer;
    private final Map<String, Lane> lanes = new HashMap<>();

    /**
     * @param limits    the limits of a protocol (local registration, else defaults)
     * @param executors the executor a protocol's results complete on
     * @param timer     runs the timeouts (never user code)
     */
    RequestResponseService(Opener opener, Function<String, ProtocolLimits> limits,
            BiFunction<String, ProtocolLimits, Executor> executors, ScheduledExecutorService timer) {
        this.opener = opener;
        this.limits = limits;
        this.executors = executors;
        this.timer = timer;
    }

    @Override
    public CompletableFuture<byte[]> request(PeerId peer, List<String> protocols, byte[] request, Duration timeout) {
        return call(peer, protocols, request, timeout, true).thenApply(b -> b);
    }

    @Override
    public CompletableFuture<Void> send(PeerId peer, List<String> protocols, byte[] message, Duration timeout) {
        return call(peer, protocols, message, timeout, false).thenApply(b -> null);
    }

    private CompletableFuture<byte[]> call(PeerId peer, List<String> protocols, byte[] payload, Duration timeout,
            boolean expectResponse) {
        if (protocols.isEmpty()) {
            return CompletableFuture.failedFuture(new IllegalArgumentException("no protocol to propose"));
        }
        ProtocolLimits pl = limits.apply(protocols.get(0));
        if (payload.length > pl.maxMessageBytes()) {
            return CompletableFuture.failedFuture(new RequestException(Reason.TOO_LARGE, peer, protocols.get(0)
                    + " request of " + payload.length + " bytes to " + peer + " is over the limit of "
                    + pl.maxMessageBytes(), null));
        }
        Executor exec = executors.apply(protocols.get(0), pl);
        CompletableFuture<byte[]> result = new CompletableFuture<>();
        CompletableFuture<byte[]> delivered = new CompletableFuture<>();
        result.whenComplete((v, e) -> exec.execute(() -> {
            if (e != null) {
                delivered.completeExceptionally(e);
            } else {
                delivered.complete(v);
            }
        }));
        delivered.whenComplete((v, e) -> {
            if (delivered.isCancelled()) {
                result.completeExceptionally(new RequestException(Reason.CANCELLED, peer, protocols.get(0)
                        + " request to " + peer + " cancelled", null));
            }
        });
        AtomicReference<MessageStream> stream = new AtomicReference<>();
        String key = protocols.get(0) + " " + peer;
        Lane lane;
        synchronized (lanes) {
            lane = lanes.computeIfAbsent(key, k -> new Lane(k, pl.outboundStreamsPerPeer()));
        }
        CompletableFuture<Void> turn = lane.enter();
        var deadline = timer.schedule(() -> {
            if (result.completeExceptionally(new RequestException(Reason.TIMEOUT, peer, protocols.get(0) + " request to "
                    + peer + " got no response within " + timeout, null))) {
                turn.cancel(false);
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        result.whenComplete((v, e) -> {
            deadline.cancel(false);
            MessageStream s = stream.get();
            if (s != null && (e != null)) {
                s.reset();
            }
            if (turn.isDone() && !turn.isCompletedExceptionally()) {
                // the turn ends with the stream (its slot in the protocol's per-peer stream limit), not the answer
                if (s instanceof FramedStream fs) {
                    fs.raw().gone.whenComplete((x, y) -> lane.leave());
                } else {
                    lane.leave();
                }
            } else {
                turn.cancel(false);
            }
        });
        turn.thenCompose(v -> opener.open(peer, protocols, pl))
                .thenCompose(s -> {
                    stream.set(s);
                    if (result.isDone()) {
                        s.reset();
                        return CompletableFuture.completedFuture((byte[]) null);
                    }
                    CompletableFuture<Void> sent = s.write(ByteBuffer.wrap(payload)).thenCompose(x -> s.closeWrite());
                    if (!expectResponse) {
                        return sent.thenApply(x -> {
                            s.close();
                            return new byte[0];
                        });
                    }
                    return sent.thenCompose(x -> s.read()).thenApply(msg -> {
                        s.close();
                        ByteBuffer b = msg.orElseThrow(() -> new RequestException(Reason.NO_RESPONSE, peer,
                                peer + " closed the " + s.protocol() + " stream without a response", null));
                        byte[] out = new byte[b.remaining()];
                        b.get(out);
                        return out;
                    });
                })
                .whenComplete((bytes, e) -> {
                    if (e != null) {
                        result.completeExceptionally(classify(e, peer, protocols));
                    } else {
                        result.complete(bytes);
                    }
                });
        return delivered;
    }

    static RequestException classify(Throwable e, PeerId peer, List<String> protocols) {
        Throwable t = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        if (t instanceof RequestException re) {
            return re;
        }
        String what = protocols + " request to " + peer + ": " + t.getMessage();
        Reason r;
        if (t instanceof java.util.concurrent.CancellationException) {
            r = Reason.CANCELLED;
        } else if (t instanceof MessageTooLargeException) {
            r = Reason.TOO_LARGE;
        } else if (t instanceof StreamTimeoutException) {
            r = Reason.TIMEOUT;
        } else if (t instanceof ResourceLimitException) {
            r = Reason.RESOURCE_LIMIT;
        } else if (t instanceof StreamResetException) {
            r = Reason.RESET;
        } else if (t instanceof ProtocolViolationException && String.valueOf(t.getMessage()).contains("supports none")) {
            r = Reason.UNSUPPORTED_PROTOCOL;
        } else if (t instanceof DialException) {
            r = Reason.DIAL_FAILED;
        } else {
            r = Reason.RESET;
        }
        return new RequestException(r, peer, what, t);
    }

    /** Calls in flight to one peer and protocol, and those waiting for a turn. */
    private final class Lane {
        private final String key;
        private final int width;
        private int inFlight;
        private final ArrayDeque<CompletableFuture<Void>> waiting = new ArrayDeque<>();

        Lane(String key, int width) {
            this.key = key;
            this.width = width;
        }

        CompletableFuture<Void> enter() {
            synchronized (lanes) {
                if (inFlight < width) {
                    inFlight++;
                    return CompletableFuture.completedFuture(null);
                }
                if (waiting.size() >= 4 * width) {
                    return CompletableFuture.failedFuture(new ResourceLimitException(key + ": " + inFlight
                            + " calls in flight and " + waiting.size() + " waiting"));
                }
                CompletableFuture<Void> f = new CompletableFuture<>();
                waiting.add(f);
                return f;
            }
        }

        void leave() {
            CompletableFuture<Void> next;
            synchronized (lanes) {
                while ((next = waiting.poll()) != null && next.isDone()) {
                    // skip waiters that gave up
                }
                if (next == null) {
                    inFlight--;
                    if (inFlight == 0 && waiting.isEmpty()) {
                        lanes.remove(key, this);
                    }
                    return;
                }
            }
            if (!next.complete(null)) {
                leave();
            }
        }
    }
}

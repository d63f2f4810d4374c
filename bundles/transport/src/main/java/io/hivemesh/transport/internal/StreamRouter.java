package io.hivemesh.transport.internal;

import io.hivemesh.api.net.ProtocolHandler;
import io.hivemesh.api.net.ProtocolLimits;
import io.hivemesh.api.net.RequestHandler;
import io.hivemesh.api.net.ResourceLimitException;
import io.hivemesh.api.net.Stream;
import java.time.Duration;
import java.util.Collection;
import java.util.Collections;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocols this host serves and how each inbound stream reaches its handler: multistream
 * negotiation (bounded by the stream's negotiation deadline), the protocol's resource limits
 * ({@link ResourceScopes.StreamScope#setProtocol}), then the handler on the protocol's executor —
 * a {@link ProtocolHandler} gets a {@link FramedStream}, a {@link RequestHandler} is served by
 * {@link RequestServer}; the transport's own byte-stream protocols (identify, ping, perf) run inline,
 * as they never block. Thread-safe.
 */
final class StreamRouter {
    private static final Logger LOG = LoggerFactory.getLogger(StreamRouter.class);
    /** Raw (byte-stream) protocols are reset after this long without progress. */
    static final Duration RAW_IDLE = Duration.ofSeconds(60);

    /** One served protocol. */
    private interface Entry {
        Object owner();
    }

    private record Builtin(Consumer<Stream> handler, ProtocolLimits limits) implements Entry {
        @Override
        public Object owner() {
            return handler;
        }
    }

    private record Messages(ProtocolHandler handler, ProtocolLimits limits) implements Entry {
        @Override
        public Object owner() {
            return handler;
        }
    }

    private record Requests(RequestHandler handler, ProtocolLimits limits) implements Entry {
        @Override
        public Object owner() {
            return handler;
        }
    }

    private final Map<String, Entry> served = new ConcurrentHashMap<>();
    private final ResourceScopes resources;
    private final HandlerExecutors executors;
    private final AtomicLong lastSaturationLog = new AtomicLong(Long.MIN_VALUE);
    private final Multistream.Responder.Protocols responder = new Multistream.Responder.Protocols() {
        @Override
        public boolean supports(String protocol) {
            return served.containsKey(protocol);
        }

        @Override
        public Collection<String> all() {
            return protocols();
        }
    };

    StreamRouter(ResourceScopes resources, HandlerExecutors executors) {
        this.resources = resources;
        this.executors = executors;
    }

    /** Serves a byte-stream protocol of the transport itself (runs inline: must never block). */
    void addBuiltin(String protocol, Consumer<Stream> handler) {
        served.put(protocol, new Builtin(handler, null));
    }

    /** A built-in byte-stream protocol with its own limits (streams per peer and in all), capped by the configuration. */
    void addBuiltin(String protocol, Consumer<Stream> handler, ProtocolLimits limits) {
        served.put(protocol, new Builtin(handler, resources.protocolLimits(limits)));
    }

    void add(String protocol, ProtocolHandler handler, ProtocolLimits limits) {
        served.put(protocol, new Messages(handler, resources.protocolLimits(limits)));
    }

    void add(String protocol, RequestHandler handler, ProtocolLimits limits) {
        served.put(protocol, new Requests(handler, resources.protocolLimits(limits)));
    }

    /** Stops serving {@code protocol} if {@code owner} still serves it; true if it did. */
    boolean remove(String protocol, Object owner) {
        Entry e = served.get(protocol);
        return e != null && e.owner() == owner && served.remove(protocol, e);
    }

    Set<String> protocols() {
        return Collections.unmodifiableSet(new TreeSet<>(served.keySet()));
    }

    Multistream.Responder.Protocols responder() {
        return responder;
    }

    /** The limits of {@code protocol}: those of its local handler, else the defaults; capped by the configuration. */
    ProtocolLimits limitsFor(String protocol) {
        Entry e = served.get(protocol);
        if (e instanceof Messages m) {
            return m.limits();
        }
        if (e instanceof Requests r) {
            return r.limits();
        }
        if (e instanceof Builtin b && b.limits() != null) {
            return b.limits();
        }
        return resources.protocolLimits(ProtocolLimits.defaults());
    }

    /** An inbound stream: negotiate, charge, dispatch. Runs on the stream's event loop. */
    void onInbound(YamuxStream s) {
        StreamNegotiation.run(s, new Multistream.Responder(responder, io.netty.buffer.ByteBufAllocator.DEFAULT))
                .whenComplete((protocol, e) -> {
                    if (e != null) {
                        LOG.debug("stream from {} not negotiated: {}", s.remotePeer(), e.toString());
                        return;
                    }
                    s.execute(() -> dispatch(s, protocol));
                });
    }

    private void dispatch(YamuxStream s, String protocol) {
        Entry e = served.get(protocol);
        if (e == null) {
            s.reset();
            return;
        }
        ProtocolLimits limits = limitsFor(protocol);
        try {
            s.scope.setProtocol(protocol, limits);
        } catch (ResourceLimitException ex) {
            logRefusal("resetting a " + protocol + " stream from " + s.remotePeer() + ": " + ex.getMessage());
            s.reset();
            return;
        }
        if (e instanceof Builtin b) {
            s.idleTimeoutNanos = RAW_IDLE.toNanos();
            try {
                b.handler().accept(s);
            } catch (RuntimeException ex) {
                LOG.warn("built-in handler of {} failed on a stream from {}: {}", protocol, s.remotePeer(),
                        ex.toString());
                s.reset();
            }
        } else if (e instanceof Messages m) {
            admit(s, protocol, limits, exec -> m.handler().handle(new FramedStream(s, limits, exec)));
        } else if (e instanceof Requests r) {
            admit(s, protocol, limits, exec -> RequestServer.serve(new FramedStream(s, limits, exec), r.handler()));
        }
    }

    private void admit(YamuxStream s, String protocol, ProtocolLimits limits,
            Consumer<HandlerExecutors.ProtocolExecutor> run) {
        HandlerExecutors.ProtocolExecutor exec = executors.forProtocol(protocol, limits);
        boolean admitted = exec.tryAdmit(() -> {
            try {
                run.accept(exec);
            } catch (RuntimeException ex) {
                LOG.warn("handler of {} failed on a stream from {}: {}", protocol, s.remotePeer(), ex.toString());
                s.reset();
            }
        });
        if (!admitted) {
            logRefusal("resetting a " + protocol + " stream from " + s.remotePeer() + ": the protocol's "
                    + limits.handlerThreads() + " handler threads and queue of " + limits.handlerQueue() + " are full");
            s.reset();
        }
    }

    private void logRefusal(String message) {
        long now = System.nanoTime();
        long last = lastSaturationLog.get();
        if ((last == Long.MIN_VALUE || now - last > TimeUnit.SECONDS.toNanos(10))
                && lastSaturationLog.compareAndSet(last, now)) {
            LOG.warn("{} (logged at most every 10 s)", message);
        } else {
            LOG.debug(message);
        }
    }
}

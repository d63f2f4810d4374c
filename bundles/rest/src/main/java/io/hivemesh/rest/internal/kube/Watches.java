package io.hivemesh.rest.internal.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.ApiException;
import io.hivemesh.rest.internal.http.Json;
import io.hivemesh.rest.internal.http.Responses;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.servlet.AsyncContext;
import javax.servlet.ServletOutputStream;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Watch streams: {@code ?watch=true} answers 200 with chunked JSON lines ({@code ADDED}, {@code MODIFIED},
 * {@code DELETED}, {@code BOOKMARK}, {@code ERROR}), from the requested resourceVersion (or the
 * current objects as ADDED), until {@code timeoutSeconds} (at most {@value #MAX_TIMEOUT_S}) or the
 * client goes. Events queue per watch (at most {@value #MAX_QUEUED}; a watch that falls further behind
 * ends with a 410 ERROR so its client lists again) and are written by a small pool of its own, never
 * on the thread that published them nor on a request thread.
 */
public final class Watches {
    private static final Logger LOG = LoggerFactory.getLogger(Watches.class);
    static final int MAX_TIMEOUT_S = 1800;
    static final int MAX_QUEUED = 2000;
    static final long BOOKMARK_EVERY_S = 30;

    private final KubeState state;
    private final ExecutorService writers;
    private final ScheduledExecutorService timers;
    private final int maxWatches;
    private final AtomicInteger open = new AtomicInteger();

    public Watches(KubeState state, ExecutorService writers, ScheduledExecutorService timers, int maxWatches) {
        this.state = state;
        this.writers = writers;
        this.timers = timers;
        this.maxWatches = maxWatches;
    }

    public int open() {
        return open.get();
    }

    /** Starts a watch of {@code kind} in {@code namespace} (null: the caller's visible namespaces). */
    public void start(HttpServletRequest req, HttpServletResponse resp, KubeKind kind, String namespace,
                      Predicate<ObjectNode> filter) throws IOException {
        String upgrade = req.getHeader("Upgrade");
        if (upgrade != null && upgrade.equalsIgnoreCase("websocket")) {
            throw ApiException.badRequest("watches over WebSocket are not served: watch over HTTP (a chunked stream of JSON lines)");
        }
        if (open.incrementAndGet() > maxWatches) {
            open.decrementAndGet();
            throw ApiException.of(429, "TooManyRequests", "too many open watches on this node (" + maxWatches + ")");
        }
        boolean started = false;
        try {
            long timeout = timeoutSeconds(req.getParameter("timeoutSeconds"));
            boolean bookmarks = "true".equals(req.getParameter("allowWatchBookmarks"));
            String rvParam = req.getParameter("resourceVersion");
            long fromRv = parseRv(rvParam);
            resp.setStatus(200);
            resp.setContentType(Responses.JSON);
            resp.setHeader("Cache-Control", "no-cache");
            resp.setHeader("Transfer-Encoding", "chunked");
            AsyncContext async = req.startAsync();
            async.setTimeout(0);
            Stream stream = new Stream(async, resp.getOutputStream(), kind);
            async.addListener(new javax.servlet.AsyncListener() {
                @Override
                public void onComplete(javax.servlet.AsyncEvent event) {
                    stream.end();
                }

                @Override
                public void onTimeout(javax.servlet.AsyncEvent event) {
                    stream.end();
                }

                @Override
                public void onError(javax.servlet.AsyncEvent event) {
                    stream.end();
                }

                @Override
                public void onStartAsync(javax.servlet.AsyncEvent event) {
                    // nothing: one async cycle per watch
                }
            });
            started = true;
            WatchHub.Subscription sub;
            if (fromRv == 0) {
                synchronized (state.hub()) {
                    long now = state.resourceVersion();
                    List<ObjectNode> current = state.list(kind, namespace);
                    for (ObjectNode o : current) {
                        if (filter.test(o)) {
                            stream.offer("ADDED", o);
                        }
                    }
                    sub = subscribe(kind, namespace, filter, now, stream);
                }
            } else {
                sub = subscribe(kind, namespace, filter, fromRv, stream);
            }
            stream.subscription = sub;
            if (sub == null) {
                return;
            }
            stream.timeout = timers.schedule(stream::end, timeout, TimeUnit.SECONDS);
            if (bookmarks) {
                stream.bookmarks = timers.scheduleAtFixedRate(stream::bookmark, BOOKMARK_EVERY_S, BOOKMARK_EVERY_S,
                        TimeUnit.SECONDS);
            }
        } finally {
            if (!started) {
                open.decrementAndGet();
            }
        }
    }

    private WatchHub.Subscription subscribe(KubeKind kind, String namespace, Predicate<ObjectNode> filter, long fromRv,
                                            Stream stream) {
        try {
            return state.hub().subscribe(kind, namespace, filter, fromRv, c -> stream.offer(c.type(), c.object()));
        } catch (WatchHub.Expired e) {
            stream.error(ApiException.of(410, "Expired", e.getMessage()));
            return null;
        }
    }

    static long timeoutSeconds(String p) {
        if (p == null || p.isBlank()) {
            return MAX_TIMEOUT_S;
        }
        try {
            long t = Long.parseLong(p);
            if (t <= 0) {
                throw ApiException.badRequest("timeoutSeconds must be positive, not " + p);
            }
            return Math.min(t, MAX_TIMEOUT_S);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("timeoutSeconds is not a number: " + p);
        }
    }

    static long parseRv(String p) {
        if (p == null || p.isBlank()) {
            return 0;
        }
        try {
            long rv = Long.parseLong(p);
            if (rv < 0) {
                throw ApiException.badRequest("resourceVersion must not be negative: " + p);
            }
            return rv;
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("resourceVersion is not a number: " + p);
        }
    }

    /** One open watch: its queue of lines and its writer. */
    private final class Stream {
        private final AsyncContext async;
        private final ServletOutputStream out;
        private final KubeKind kind;
        private final ArrayDeque<byte[]> queue = new ArrayDeque<>();
        private boolean draining;
        private boolean ended;
        private long lastRv;
        volatile WatchHub.Subscription subscription;
        volatile ScheduledFuture<?> timeout;
        volatile ScheduledFuture<?> bookmarks;

        Stream(AsyncContext async, ServletOutputStream out, KubeKind kind) {
            this.async = async;
            this.out = out;
            this.kind = kind;
        }

        void offer(String type, ObjectNode object) {
            ObjectNode ev = Json.object();
            ev.put("type", type);
            ev.set("object", object);
            try {
                lastRv = Math.max(lastRv, Long.parseLong(object.path("metadata").path("resourceVersion").asText("0")));
            } catch (NumberFormatException ignored) {
                // views without a version: no bookmark progress
            }
            enqueue(line(ev), false);
        }

        void bookmark() {
            ObjectNode o = Json.object();
            o.put("kind", kind.kind()).put("apiVersion", kind.apiVersion());
            o.putObject("metadata").put("resourceVersion", Long.toString(Math.max(lastRv, state.resourceVersion())));
            ObjectNode ev = Json.object();
            ev.put("type", "BOOKMARK");
            ev.set("object", o);
            enqueue(line(ev), false);
        }

        void error(ApiException e) {
            ObjectNode ev = Json.object();
            ev.put("type", "ERROR");
            ev.set("object", Responses.statusBody(e));
            enqueue(line(ev), true);
        }

        private byte[] line(ObjectNode ev) {
            byte[] b = Json.bytes(ev);
            byte[] l = new byte[b.length + 1];
            System.arraycopy(b, 0, l, 0, b.length);
            l[b.length] = '\n';
            return l;
        }

        private void enqueue(byte[] line, boolean last) {
            synchronized (this) {
                if (ended) {
                    return;
                }
                if (queue.size() >= MAX_QUEUED && !last) {
                    queue.clear();
                    error(ApiException.of(410, "Expired", "the watch fell more than " + MAX_QUEUED
                            + " events behind: list again"));
                    return;
                }
                queue.add(line);
                if (last) {
                    queue.add(new byte[0]);
                }
                if (draining) {
                    return;
                }
                draining = true;
            }
            try {
                writers.execute(this::drain);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                end();
            }
        }

        private void drain() {
            while (true) {
                byte[] next;
                synchronized (this) {
                    next = queue.poll();
                    if (next == null) {
                        draining = false;
                        return;
                    }
                }
                if (next.length == 0) {
                    end();
                    return;
                }
                try {
                    out.write(next);
                    if (queue.isEmpty()) {
                        out.flush();
                    }
                } catch (IOException | IllegalStateException e) {
                    LOG.debug("watch client went away: {}", e.toString());
                    end();
                    return;
                }
            }
        }

        void end() {
            synchronized (this) {
                if (ended) {
                    return;
                }
                ended = true;
                queue.clear();
            }
            WatchHub.Subscription s = subscription;
            if (s != null) {
                s.close();
            }
            if (timeout != null) {
                timeout.cancel(false);
            }
            if (bookmarks != null) {
                bookmarks.cancel(false);
            }
            open.decrementAndGet();
            try {
                async.complete();
            } catch (IllegalStateException e) {
                // already completed by the container (client gone)
            }
        }
    }
}

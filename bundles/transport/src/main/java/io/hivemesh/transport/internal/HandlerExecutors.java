package io.hivemesh.transport.internal;

import io.hivemesh.api.net.ProtocolLimits;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.LinkedTransferQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One bounded executor per protocol: handler code of that protocol runs there, never on a network
 * event loop, so it may block briefly (files, fsync). New streams are <em>admitted</em> against
 * {@code handlerThreads + handlerQueue} ({@link ProtocolExecutor#tryAdmit}); completions of streams
 * already admitted always run (they are bounded by the streams in flight). A protocol's threads are
 * started with its executor (on first use) and handed work through a lock-free queue, so an event
 * loop never waits to submit. Thread-safe.
 */
final class HandlerExecutors {
    private final Map<String, ProtocolExecutor> executors = new ConcurrentHashMap<>();
    private volatile boolean shutdown;

    /** The executor of {@code protocol}; created with {@code limits} on first use. */
    ProtocolExecutor forProtocol(String protocol, ProtocolLimits limits) {
        return executors.computeIfAbsent(protocol, p -> new ProtocolExecutor(p, limits));
    }

    /** Stops every executor (running tasks finish; queued ones are dropped). */
    void shutdown() {
        shutdown = true;
        executors.values().forEach(e -> e.pool.shutdownNow());
        executors.clear();
    }

    /** The executor of one protocol. */
    final class ProtocolExecutor implements Executor {
        private final String protocol;
        private final ThreadPoolExecutor pool;
        private final int capacity;
        private final AtomicInteger admitted = new AtomicInteger();

        ProtocolExecutor(String protocol, ProtocolLimits limits) {
            this.protocol = protocol;
            this.capacity = limits.handlerThreads() + limits.handlerQueue();
            AtomicInteger n = new AtomicInteger();
            String name = "hivemesh-" + protocol.replaceAll("[^A-Za-z0-9._-]+", "-").replaceAll("^-|-$", "");
            // Lock-free hand-off: event loops submit here, so an offer must never park (BlockHound checks);
            // the threads are started up front so that no submission has to take the pool's lock to add one.
            this.pool = new ThreadPoolExecutor(limits.handlerThreads(), limits.handlerThreads(), 30, TimeUnit.SECONDS,
                    new LinkedTransferQueue<>(), r -> {
                        Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                        t.setDaemon(true);
                        return t;
                    });
            pool.prestartAllCoreThreads();
        }

        /**
         * Runs {@code task} (a new stream's handler) if fewer than {@code handlerThreads +
         * handlerQueue} are admitted and not finished; false if the protocol is saturated.
         */
        boolean tryAdmit(Runnable task) {
            if (shutdown || admitted.incrementAndGet() > capacity) {
                admitted.decrementAndGet();
                return false;
            }
            try {
                pool.execute(() -> {
                    try {
                        task.run();
                    } finally {
                        admitted.decrementAndGet();
                    }
                });
                return true;
            } catch (java.util.concurrent.RejectedExecutionException e) {
                admitted.decrementAndGet();
                return false;
            }
        }

        /** Runs a continuation of an admitted stream (futures completing for its handler). */
        @Override
        public void execute(Runnable command) {
            try {
                pool.execute(command);
            } catch (java.util.concurrent.RejectedExecutionException e) {
                // the host is stopping: complete here rather than leave a caller waiting forever
                command.run();
            }
        }

        String protocol() {
            return protocol;
        }
    }
}

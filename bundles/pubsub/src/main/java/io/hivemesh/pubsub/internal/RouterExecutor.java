package io.hivemesh.pubsub.internal;

import io.hivemesh.api.HivemeshException;
import java.time.Duration;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The one thread the gossipsub router and its network glue run on, with a bounded task queue. Work
 * handed to it comes from stream reads (one outstanding per stream), write completions, connection
 * events, timers and API calls, so the queue stays far below its bound in practice; a refused task
 * is the caller's to handle ({@link RejectedExecutionException}). {@link #call} lets other threads
 * read router state with a deadline.
 */
final class RouterExecutor implements Executor {
    private final ThreadPoolExecutor pool;
    private volatile Thread thread;

    RouterExecutor(String name, int queueCapacity) {
        this.pool = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS, new LinkedBlockingQueue<>(queueCapacity), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        pool.prestartCoreThread();
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    /** Whether the caller is the router thread. */
    boolean inRouter() {
        return Thread.currentThread() == thread;
    }

    /**
     * Runs {@code task} on the router thread and waits up to {@code timeout} for its result (at once
     * when already on it).
     *
     * @throws HivemeshException naming {@code what} if it timed out, was refused or failed
     */
    <T> T call(String what, Callable<T> task, Duration timeout) {
        if (inRouter()) {
            try {
                return task.call();
            } catch (Exception e) {
                throw new HivemeshException("pubsub: " + what + " failed: " + e, e);
            }
        }
        Future<T> f;
        try {
            f = pool.submit(task);
        } catch (RejectedExecutionException e) {
            throw new HivemeshException("pubsub: " + what + ": the router is not running", e);
        }
        try {
            return f.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            f.cancel(false);
            throw new HivemeshException("pubsub: " + what + " interrupted", e);
        } catch (TimeoutException e) {
            f.cancel(false);
            throw new HivemeshException("pubsub: " + what + " took longer than " + timeout.toMillis() + " ms", e);
        } catch (ExecutionException e) {
            throw new HivemeshException("pubsub: " + what + " failed: " + e.getCause(), e.getCause());
        }
    }

    /** Stops taking tasks, lets queued ones run for up to {@code grace}, then interrupts. */
    void shutdown(Duration grace) {
        pool.shutdown();
        try {
            if (!pool.awaitTermination(grace.toMillis(), TimeUnit.MILLISECONDS)) {
                pool.shutdownNow();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            pool.shutdownNow();
        }
    }
}

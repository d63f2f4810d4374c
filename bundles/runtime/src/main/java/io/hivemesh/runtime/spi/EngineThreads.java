package io.hivemesh.runtime.spi;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/** The threads of runtime engines: all daemon threads, named after what they do. */
public final class EngineThreads {
    private EngineThreads() {
    }

    /**
     * A pool of at most {@code threads} daemon threads named {@code name-1, name-2, ...} for the
     * blocking calls of an engine; idle threads end after 30 s. The owner shuts it down.
     */
    public static ThreadPoolExecutor pool(String name, int threads) {
        AtomicInteger n = new AtomicInteger();
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), r -> {
                    Thread t = new Thread(r, name + "-" + n.incrementAndGet());
                    t.setDaemon(true);
                    return t;
                });
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** Runs every task on a new daemon thread of that name (for long reads that must not hold a pool thread). */
    public static Executor threadPerTask(String threadName) {
        return r -> {
            Thread t = new Thread(r, threadName);
            t.setDaemon(true);
            t.start();
        };
    }
}

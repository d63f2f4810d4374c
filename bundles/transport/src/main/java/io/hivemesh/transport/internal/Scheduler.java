package io.hivemesh.transport.internal;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * Runs the {@link Dialer}'s tasks: its timers (stagger, deadline), the start of each attempt and the
 * completion of its futures. The dialer never blocks in a task. Implementations must be
 * thread-safe; tasks may run on any thread of the implementation, in any order, except that a
 * timer never runs before its delay.
 */
public interface Scheduler {
    /** A scheduled task that can still be called off. */
    interface Timer {
        /** Prevents the task from running if it has not started; no effect otherwise. */
        void cancel();
    }

    /** Runs {@code task} soon, on a thread of the scheduler (never on the calling thread's stack). */
    void execute(Runnable task);

    /** Runs {@code task} once after {@code delay}. */
    Timer schedule(Runnable task, Duration delay);

    /**
     * The scheduler of an executor, e.g. a dedicated single-thread executor or a Netty
     * {@code EventLoopGroup} (whose event loops then also run the dial's callbacks and dependents
     * of its futures).
     */
    static Scheduler of(ScheduledExecutorService executor) {
        Objects.requireNonNull(executor, "executor");
        return new Scheduler() {
            @Override
            public void execute(Runnable task) {
                executor.execute(task);
            }

            @Override
            public Timer schedule(Runnable task, Duration delay) {
                ScheduledFuture<?> f = executor.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
                return () -> f.cancel(false);
            }
        };
    }
}

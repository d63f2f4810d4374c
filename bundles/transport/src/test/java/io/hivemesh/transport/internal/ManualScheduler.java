package io.hivemesh.transport.internal;

import java.time.Duration;
import java.util.PriorityQueue;

/**
 * A {@link Scheduler} on a manual clock, for tests: nothing runs until the test calls
 * {@link #runDue()} or {@link #advance}; tasks run on the test's thread in due-time order (ties in
 * submission order). Not thread-safe: drive it from one thread.
 */
final class ManualScheduler implements Scheduler {
    private static final class Task implements Timer {
        final long due;
        final long seq;
        final Runnable body;
        boolean cancelled;

        Task(long due, long seq, Runnable body) {
            this.due = due;
            this.seq = seq;
            this.body = body;
        }

        @Override
        public void cancel() {
            cancelled = true;
        }
    }

    private final PriorityQueue<Task> tasks = new PriorityQueue<>((a, b) -> a.due != b.due
            ? Long.compare(a.due, b.due) : Long.compare(a.seq, b.seq));
    private long now;
    private long seq;

    @Override
    public synchronized void execute(Runnable task) {
        tasks.add(new Task(now, seq++, task));
    }

    @Override
    public synchronized Timer schedule(Runnable task, Duration delay) {
        Task t = new Task(now + delay.toNanos(), seq++, task);
        tasks.add(t);
        return t;
    }

    /** Runs every task due now, including those they submit for now. */
    void runDue() {
        advance(Duration.ZERO);
    }

    /** Moves the clock forward by {@code d}, running each task at its due time. */
    void advance(Duration d) {
        long target = now + d.toNanos();
        while (true) {
            Task t;
            synchronized (this) {
                t = tasks.peek();
                if (t == null || t.due > target) {
                    now = target;
                    return;
                }
                tasks.poll();
                now = t.due;
            }
            if (!t.cancelled) {
                t.body.run();
            }
        }
    }

    /** Timers still pending and not cancelled. */
    synchronized long pending() {
        return tasks.stream().filter(t -> !t.cancelled).count();
    }
}

package io.hivemesh.benchmarks.pubsub;

import java.util.PriorityQueue;
import java.util.function.LongSupplier;

/**
 * The simulation's virtual time and event queue: events run in time order (ties in the order they
 * were scheduled) on the caller's thread. Virtual milliseconds; the CPU time an event takes does not
 * advance it. Bounded by {@link #run}'s event and wall-clock limits.
 */
final class SimClock implements LongSupplier {
    private record Event(long time, long seq, Runnable task) implements Comparable<Event> {
        @Override
        public int compareTo(Event o) {
            int c = Long.compare(time, o.time);
            return c != 0 ? c : Long.compare(seq, o.seq);
        }
    }

    private final PriorityQueue<Event> queue = new PriorityQueue<>();
    private long now;
    private long seq;
    private long events;

    @Override
    public long getAsLong() {
        return now;
    }

    long now() {
        return now;
    }

    long events() {
        return events;
    }

    /** Runs {@code task} at virtual time {@code at} (now if earlier). */
    void at(long at, Runnable task) {
        queue.add(new Event(Math.max(at, now), seq++, task));
    }

    /** Runs {@code task} after the events already due now (a router executor). */
    void soon(Runnable task) {
        at(now, task);
    }

    /**
     * Runs events up to virtual time {@code until}; false if it stopped at {@code maxEvents} or the
     * wall-clock {@code deadlineNanos} (System.nanoTime) first.
     */
    boolean run(long until, long maxEvents, long deadlineNanos) {
        while (!queue.isEmpty() && queue.peek().time <= until) {
            if (events >= maxEvents || ((events & 0xfff) == 0 && System.nanoTime() > deadlineNanos)) {
                return false;
            }
            Event e = queue.poll();
            now = e.time;
            events++;
            e.task.run();
        }
        now = Math.max(now, until);
        return true;
    }
}

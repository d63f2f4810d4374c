package io.hivemesh.transport.internal;

import java.time.Duration;

/**
 * Test time: a monotonic nanosecond clock with an arbitrary origin and a wall clock that moves with
 * it. {@link #restart()} models a process restart (new monotonic origin, wall clock unchanged).
 */
final class FakeTime {
    private long nanos;
    private long wallMillis;

    FakeTime(long nanosOrigin, long wallMillis) {
        this.nanos = nanosOrigin;
        this.wallMillis = wallMillis;
    }

    long nanos() {
        return nanos;
    }

    long wallMillis() {
        return wallMillis;
    }

    void advance(Duration d) {
        nanos += d.toNanos();
        wallMillis += d.toMillis();
    }

    /** A new monotonic origin, as after a restart. */
    void restart() {
        nanos = -nanos - 7_777_777_777L;
    }
}

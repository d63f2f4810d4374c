package io.hivemesh.transport.internal;

import java.util.function.LongPredicate;

/**
 * Sans-IO receive window of one yamux stream with auto-tuning (the approach of go-yamux and
 * quic-go). The invariant is {@code credit + buffered <= target}: the remote may send only what is
 * left of the target once the unread bytes are counted, so a reader slower than its sender never
 * lets the buffer grow beyond the window. Updates are batched: credit is granted once at least half
 * the target is free. If the previous grant was less than four round trips ago (the window, not the
 * reader, limits throughput), the target doubles up to {@code maxWindow} — provided the memory for
 * it can be reserved. Time is an input.
 */
final class ReceiveWindow {
    static final int INITIAL = 256 * 1024;
    /** Round trips on loopback are tiny; below this floor they do not count as a window limit signal. */
    static final long MIN_RTT_NANOS = 1_000_000L;

    private final int maxWindow;
    private long target = INITIAL;
    private long credit = INITIAL;
    private long buffered;
    private long lastUpdateNanos = Long.MIN_VALUE;

    ReceiveWindow(int maxWindow) {
        if (maxWindow < INITIAL) {
            throw new IllegalArgumentException("max window " + maxWindow + " below the initial " + INITIAL);
        }
        this.maxWindow = maxWindow;
    }

    /** Whether {@code n} more bytes fit in the credit granted (false: a protocol violation). */
    boolean admits(long n) {
        return n <= credit;
    }

    /** Accounts {@code n} received bytes; false if they exceed the credit granted (a protocol violation). */
    boolean onReceived(long n) {
        if (n > credit) {
            return false;
        }
        credit -= n;
        buffered += n;
        return true;
    }

    /**
     * Accounts {@code n} bytes the application consumed; returns the window delta to send now, or 0.
     *
     * @param reserveGrowth asked to reserve the memory of a larger window; false keeps the target
     */
    long onConsumed(long n, long nowNanos, long rttNanos, LongPredicate reserveGrowth) {
        buffered = Math.max(0, buffered - n);
        long free = target - credit - buffered;
        if (free < target / 2) {
            return 0;
        }
        long rtt = Math.max(rttNanos, MIN_RTT_NANOS);
        if (lastUpdateNanos != Long.MIN_VALUE && nowNanos - lastUpdateNanos < 4 * rtt && target < maxWindow) {
            long grow = Math.min(target * 2, maxWindow) - target;
            if (reserveGrowth.test(grow)) {
                target += grow;
                free += grow;
            }
        }
        credit += free;
        lastUpdateNanos = nowNanos;
        return free;
    }

    long target() {
        return target;
    }

    long credit() {
        return credit;
    }

    long buffered() {
        return buffered;
    }
}

package io.hivemesh.transport.internal;

/**
 * Sans-IO receive window of one yamux stream with auto-tuning (the approach of go-yamux and
 * quic-go): the remote holds {@code credit} bytes of permission; once the application consumed half
 * the target window, the credit is topped up to the target, and if the previous top-up was less than
 * four round trips ago (the window, not the reader, limits throughput) the target doubles, up to
 * {@code maxWindow}. Bytes buffered unread stay below twice the largest window. Time is an input.
 */
final class ReceiveWindow {
    static final int INITIAL = 256 * 1024;
    /** Round trips on loopback are tiny; below this floor they do not count as a window limit signal. */
    static final long MIN_RTT_NANOS = 1_000_000L;

    private final int maxWindow;
    private int target = INITIAL;
    private long credit = INITIAL;
    private long consumed;
    private long lastUpdateNanos = Long.MIN_VALUE;

    ReceiveWindow(int maxWindow) {
        if (maxWindow < INITIAL) {
            throw new IllegalArgumentException("max window " + maxWindow + " below the initial " + INITIAL);
        }
        this.maxWindow = maxWindow;
    }

    /** Accounts {@code n} received bytes; false if they exceed the credit granted (a protocol violation). */
    boolean onReceived(long n) {
        if (n > credit) {
            return false;
        }
        credit -= n;
        return true;
    }

    /** Accounts {@code n} bytes the application consumed; returns the window delta to send now, or 0. */
    int onConsumed(int n, long nowNanos, long rttNanos) {
        consumed += n;
        if (consumed < target / 2) {
            return 0;
        }
        long rtt = Math.max(rttNanos, MIN_RTT_NANOS);
        if (lastUpdateNanos != Long.MIN_VALUE && nowNanos - lastUpdateNanos < 4 * rtt && target < maxWindow) {
            target = (int) Math.min((long) target * 2, maxWindow);
        }
        int delta = (int) (target - credit);
        credit = target;
        consumed = 0;
        lastUpdateNanos = nowNanos;
        return Math.max(delta, 0);
    }

    int target() {
        return target;
    }

    long credit() {
        return credit;
    }
}

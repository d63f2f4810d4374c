package io.hivemesh.transport.internal;

import java.time.Duration;
import java.util.Objects;

/**
 * Settings of a {@link Dialer}.
 *
 * @param deadline the longest a dial may take, address resolution included; when it passes, the
 *     dial fails and every attempt still running is cancelled
 * @param staggerDelay how long an attempt runs alone before the next one starts (the next starts
 *     sooner if an attempt fails); RFC 8305 suggests 250 ms
 * @param maxParallel the most attempts running at once for one dial
 * @param maxAddresses the most addresses one dial considers: resolved socket addresses tried, and
 *     input addresses resolved; the rest are reported as not tried
 */
public record DialerSettings(Duration deadline, Duration staggerDelay, int maxParallel, int maxAddresses) {
    /** 10 s deadline, 250 ms stagger, 4 in parallel, 16 addresses. */
    public static final DialerSettings DEFAULTS =
            new DialerSettings(Duration.ofSeconds(10), Duration.ofMillis(250), 4, 16);

    /**
     * @throws IllegalArgumentException if the deadline is not positive, the stagger is negative or
     *     a limit is below 1
     */
    public DialerSettings {
        Objects.requireNonNull(deadline, "deadline");
        Objects.requireNonNull(staggerDelay, "staggerDelay");
        if (deadline.isNegative() || deadline.isZero()) {
            throw new IllegalArgumentException("dial deadline must be positive: " + deadline);
        }
        if (staggerDelay.isNegative()) {
            throw new IllegalArgumentException("dial stagger delay must not be negative: " + staggerDelay);
        }
        if (maxParallel < 1) {
            throw new IllegalArgumentException("dial maxParallel must be at least 1: " + maxParallel);
        }
        if (maxAddresses < 1) {
            throw new IllegalArgumentException("dial maxAddresses must be at least 1: " + maxAddresses);
        }
    }
}

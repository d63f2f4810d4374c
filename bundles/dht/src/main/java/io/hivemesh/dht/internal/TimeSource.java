package io.hivemesh.dht.internal;

import java.time.Clock;
import java.time.Instant;

/**
 * Where the DHT takes its time from: wall-clock instants (record times, schedules) and a monotonic
 * nanosecond counter (timeouts, rate limits, table ages). Injected so that tests move time by hand
 * instead of sleeping. Implementations are thread-safe.
 */
public interface TimeSource {
    /** The current wall-clock instant. */
    Instant now();

    /** A monotonic counter in nanoseconds (only differences are meaningful). */
    long nanoTime();

    /** The system clock (UTC) and {@link System#nanoTime()}. */
    static TimeSource system() {
        return of(Clock.systemUTC(), System::nanoTime);
    }

    /**
     * Both readings from one {@link Clock}: the nanosecond counter is the clock's instant in
     * nanoseconds since the epoch, so a test clock moves both at once.
     */
    static TimeSource of(Clock clock) {
        return of(clock, () -> {
            Instant i = clock.instant();
            return i.getEpochSecond() * 1_000_000_000L + i.getNano();
        });
    }

    /** Instants from {@code clock}, nanoseconds from {@code nanos}. */
    static TimeSource of(Clock clock, java.util.function.LongSupplier nanos) {
        return new TimeSource() {
            @Override
            public Instant now() {
                return clock.instant();
            }

            @Override
            public long nanoTime() {
                return nanos.getAsLong();
            }
        };
    }
}

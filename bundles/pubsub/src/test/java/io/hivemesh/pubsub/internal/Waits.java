package io.hivemesh.pubsub.internal;

import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/** Bounded polls of a condition for the integration tests: never a sleep that a result depends on. */
final class Waits {
    private Waits() {
    }

    /** Polls {@code cond} every 100 ms until it holds, failing with {@code what} after {@code seconds}. */
    static void until(String what, long seconds, Callable<Boolean> cond) throws Exception {
        until(() -> what, seconds, cond);
    }

    static void until(Supplier<String> what, long seconds, Callable<Boolean> cond) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!cond.call()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + seconds + " s: " + what.get());
            }
            Thread.sleep(100);
        }
    }
}

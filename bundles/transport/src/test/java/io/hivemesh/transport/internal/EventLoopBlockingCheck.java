package io.hivemesh.transport.internal;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import reactor.blockhound.BlockHound;

/**
 * Fails a test if anything blocked a Netty event loop while it ran (BlockHound: sleeps, waits,
 * parks, file and socket I/O called on a thread Netty marks non-blocking). Registered for every
 * test of the transport and DHT modules through JUnit's extension auto-detection
 * ({@code META-INF/services/org.junit.jupiter.api.extension.Extension}). Needs the JVM flag
 * {@code -XX:+AllowRedefinitionToAddDeleteMethods} (set in the modules' surefire/failsafe argLine).
 *
 * <p>Allowed on purpose: reading {@code /dev/urandom} by the JDK's SecureRandom (Noise key
 * generation and ping payloads; it never blocks on Linux once booted), and the brief lock of a
 * scheduled executor's timer queue when a timer is added or cancelled (the dialer's and
 * request-response timers, {@code CompletableFuture.orTimeout}). Not installed while Jazzer
 * fuzzes (its own agent instruments the same classes).
 */
public final class EventLoopBlockingCheck implements BeforeAllCallback, AfterEachCallback {
    private static final List<String> VIOLATIONS = new ArrayList<>();
    private static boolean installed;

    static synchronized void install() {
        if (installed || System.getenv("JAZZER_FUZZ") != null) {
            return;
        }
        installed = true;
        BlockHound.install(builder -> builder
                .allowBlockingCallsInside("sun.security.provider.NativePRNG", "engineNextBytes")
                .allowBlockingCallsInside("sun.security.provider.NativePRNG$Blocking", "engineNextBytes")
                .allowBlockingCallsInside("sun.security.provider.NativePRNG$NonBlocking", "engineNextBytes")
                .allowBlockingCallsInside("sun.security.provider.SeedGenerator", "getSystemEntropy")
                // the timer queue of a ScheduledThreadPoolExecutor takes a lock for microseconds (no I/O)
                .allowBlockingCallsInside("java.util.concurrent.ScheduledThreadPoolExecutor", "delayedExecute")
                .allowBlockingCallsInside("java.util.concurrent.ScheduledThreadPoolExecutor$ScheduledFutureTask", "cancel")
                .blockingMethodCallback(method -> {
                    StringBuilder where = new StringBuilder(Thread.currentThread().getName()).append(": ")
                            .append(method);
                    for (StackTraceElement e : new Throwable().getStackTrace()) {
                        if (e.getClassName().startsWith("io.hivemesh")) {
                            where.append("\n    at ").append(e);
                        }
                    }
                    synchronized (VIOLATIONS) {
                        VIOLATIONS.add(where.toString());
                    }
                }));
    }

    /** Takes the violations recorded so far (the self-test uses it). */
    static List<String> drain() {
        synchronized (VIOLATIONS) {
            List<String> out = List.copyOf(VIOLATIONS);
            VIOLATIONS.clear();
            return out;
        }
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        install();
    }

    @Override
    public void afterEach(ExtensionContext context) {
        List<String> found;
        synchronized (VIOLATIONS) {
            found = List.copyOf(VIOLATIONS);
            VIOLATIONS.clear();
        }
        if (!found.isEmpty()) {
            throw new AssertionError("blocking call on a Netty event loop during " + context.getDisplayName() + ":\n"
                    + String.join("\n", found.subList(0, Math.min(5, found.size()))));
        }
    }
}

package io.hivemesh.runtime.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.runtime.DeployConfig;
import io.hivemesh.api.runtime.EngineInfo;
import io.hivemesh.api.runtime.ManifestException;
import io.hivemesh.api.runtime.NoSuchWorkloadException;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.RuntimeEngineException;
import io.hivemesh.api.runtime.WorkloadState;
import io.hivemesh.api.runtime.WorkloadStatus;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The conformance suite every {@link RuntimeEngine} passes (mock, podman, docker): lifecycle,
 * state from the runtime, bad input, unknown workloads. Engines that run real containers extend
 * {@link RealRuntimeConformance}, which adds HTTP on a host port, port conflicts and missing images.
 * Workload ids start with {@code ct-}; every one is removed after each test, also on failure.
 */
public abstract class RuntimeEngineConformance {
    protected static final Duration WAIT = Duration.ofSeconds(60);

    /** The engine under test (the same instance for the whole test). */
    protected abstract RuntimeEngine engine();

    /** An image the engine can run that has {@code sh}, {@code httpd} and {@code sleep}. */
    protected String image() {
        return "localhost/busybox:latest";
    }

    @AfterEach
    void removeTestWorkloads() throws Exception {
        for (WorkloadStatus s : get(engine().list())) {
            if (s.workloadId().startsWith("ct-")) {
                try {
                    get(engine().remove(s.workloadId()));
                } catch (NoSuchWorkloadException gone) {
                    // removed concurrently
                }
            }
        }
    }

    protected String pod(String name, String command, int hostPort) {
        String ports = hostPort == 0 ? "" : """
                    ports:
                    - {containerPort: 8080, hostPort: %d}
                """.formatted(hostPort);
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  restartPolicy: Never
                  containers:
                  - name: main
                    image: %s
                    command: [sh, -c, %s]
                %s""".formatted(name, image(), quote(command), ports);
    }

    private static String quote(String s) {
        return "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Test
    void reportsItselfAvailable() throws Exception {
        EngineInfo info = get(engine().info());
        assertTrue(info.available(), () -> "engine not available: " + info.reason());
        assertEquals(engine().name(), info.engine());
        assertFalse(info.version().isBlank());
    }

    @Test
    void deploysListsAndRemoves() throws Exception {
        WorkloadStatus status = get(engine().deploy("ct-life", pod("life", "echo hello-from-ct; exec sleep 600", 0),
                DeployConfig.defaults()));
        assertEquals("ct-life", status.workloadId());
        assertEquals("life", status.name());
        assertEquals(engine().name(), status.engine());
        assertEquals(WorkloadState.RUNNING, status.state(), () -> "status " + status);
        assertTrue(get(engine().list()).stream().anyMatch(s -> s.workloadId().equals("ct-life")));
        assertEquals(WorkloadState.RUNNING, get(engine().status("ct-life")).state());
        assertTrue(get(engine().logs("ct-life", 10)).size() <= 10);
        get(engine().remove("ct-life"));
        assertNoSuchWorkload(engine().status("ct-life"));
        assertFalse(get(engine().list()).stream().anyMatch(s -> s.workloadId().equals("ct-life")));
        assertNoSuchWorkload(engine().remove("ct-life"));
    }

    @Test
    void redeployReplacesTheWorkload() throws Exception {
        get(engine().deploy("ct-redeploy", pod("one", "echo first; exec sleep 600", 0), DeployConfig.defaults()));
        get(engine().deploy("ct-redeploy", pod("two", "echo second; exec sleep 600", 0), DeployConfig.defaults()));
        WorkloadStatus s = get(engine().status("ct-redeploy"));
        assertEquals("two", s.name());
        assertEquals(1, get(engine().list()).stream().filter(x -> x.workloadId().equals("ct-redeploy")).count());
    }

    @Test
    void badManifestsFailDeployWithTheFieldAndLeaveNothing() throws Exception {
        String[][] cases = {
            {"kind: Pod\napiVersion: v1\nmetadata: {name: a}\nspec: {containers: [{name: c, image: [unclosed", "invalid YAML"},
            {"kind: Service\napiVersion: v1\nmetadata: {name: a}\nspec: {}", "kind: 'Service' is not supported"},
            {"kind: Pod\napiVersion: v1\nmetadata: {name: a}\nspec: {containers: [{name: c}]}", "spec.containers[0].image: missing"},
        };
        for (String[] c : cases) {
            ManifestException e = assertThrows(ManifestException.class, () -> engine().validate(c[0]));
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
            Throwable t = failure(engine().deploy("ct-bad", c[0], DeployConfig.defaults()));
            assertInstanceOf(ManifestException.class, t);
            assertTrue(t.getMessage().contains(c[1]), t.getMessage());
            assertNoSuchWorkload(engine().status("ct-bad"));
        }
        Throwable badId = failure(engine().deploy("Not_An_Id", pod("x", "true", 0), DeployConfig.defaults()));
        assertTrue(badId.getMessage().contains("workload id 'Not_An_Id'"), badId.getMessage());
    }

    @Test
    void unknownWorkloadsAreNamed() {
        assertNoSuchWorkload(engine().status("ct-nothing"));
        assertNoSuchWorkload(engine().logs("ct-nothing", 5));
        assertNoSuchWorkload(engine().remove("ct-nothing"));
    }

    protected static void assertNoSuchWorkload(CompletableFuture<?> future) {
        Throwable t = failure(future);
        assertInstanceOf(NoSuchWorkloadException.class, t, () -> "expected NoSuchWorkloadException, got " + t);
    }

    protected static Throwable failure(CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(WAIT.toSeconds(), TimeUnit.SECONDS));
        assertInstanceOf(RuntimeEngineException.class, e.getCause(), () -> "not a RuntimeEngineException: " + e.getCause());
        return e.getCause();
    }

    protected static <T> T get(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(WAIT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
    }

    protected static <T> T join(CompletableFuture<T> future) {
        return future.orTimeout(WAIT.toSeconds(), TimeUnit.SECONDS).join();
    }

    /** Polls {@code probe} (bounded: 20 s, every 100 ms) until {@code done} holds; returns the last value. */
    protected static <T> T eventually(Supplier<T> probe, java.util.function.Predicate<T> done) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        T value = probe.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            Thread.sleep(100);
            value = probe.get();
        }
        return value;
    }
}

package io.hivemesh.runtime.podman.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.runtime.DeployConfig;
import io.hivemesh.api.runtime.EngineInfo;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.WorkloadState;
import io.hivemesh.api.runtime.WorkloadStatus;
import io.hivemesh.runtime.conformance.PodmanService;
import io.hivemesh.runtime.conformance.RealRuntimeConformance;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The podman engine against real podman (local CLI), plus a podman service socket that goes away. */
class PodmanEngineTest extends RealRuntimeConformance {
    private static ExecutorService executor;
    private static PodmanEngine engine;

    @BeforeAll
    static void start() {
        executor = PodmanEngineComponent.executor("test-podman", 4);
        engine = new PodmanEngine(new PodmanCli("podman", "", Duration.ofSeconds(60)), executor);
        EngineInfo info = engine.info().join();
        if (!info.available()) {
            throw new IllegalStateException("podman is required for these tests (run scripts/setup-podman): " + info.reason());
        }
    }

    @AfterAll
    static void stop() {
        engine.close();
        executor.shutdownNow();
    }

    @Override
    protected RuntimeEngine engine() {
        return engine;
    }

    @Override
    protected int basePort() {
        return 28100;
    }

    @Override
    protected List<Long> limitsOfOneContainer(String workloadId) {
        String out = new PodmanCli("podman", "", Duration.ofSeconds(30)).check("inspect", List.of("ps", "-q", "--filter",
                "label=" + RuntimeEngine.WORKLOAD_LABEL + "=" + workloadId, "--filter", "label=io.hivemesh.replica=1"));
        String id = out.lines().findFirst().orElseThrow();
        String[] v = new PodmanCli("podman", "", Duration.ofSeconds(30)).check("inspect", List.of("container", "inspect",
                "--format", "{{.HostConfig.CpuQuota}} {{.HostConfig.CpuPeriod}} {{.HostConfig.Memory}}", id)).strip().split(" ");
        return List.of(Long.parseLong(v[0]) * 1000 / Long.parseLong(v[1]), Long.parseLong(v[2]));
    }

    @Test
    void aNewEngineInstanceFindsWorkloadsByLabel() throws Exception {
        get(engine.deploy("ct-survive", pod("survive", "exec sleep 600", 0), DeployConfig.defaults()));
        ExecutorService other = PodmanEngineComponent.executor("test-podman-2", 2);
        try {
            PodmanEngine restarted = new PodmanEngine(new PodmanCli("podman", "", Duration.ofSeconds(60)), other);
            List<WorkloadStatus> found = get(restarted.list());
            assertEquals(1, found.stream().filter(s -> s.workloadId().equals("ct-survive")).count());
            assertEquals(WorkloadState.RUNNING, get(restarted.status("ct-survive")).state());
        } finally {
            other.shutdownNow();
        }
    }

    @Test
    void serviceSocketGoneGivesClearErrorsAndTheEngineRecovers(@TempDir Path dir) throws Exception {
        ExecutorService pool = PodmanEngineComponent.executor("test-podman-remote", 2);
        try (PodmanService service = new PodmanService(dir).start()) {
            PodmanEngine remote = new PodmanEngine(new PodmanCli("podman", service.url(), Duration.ofSeconds(30)), pool);
            assertTrue(get(remote.info()).available());
            get(remote.deploy("ct-remote", pod("remote", "i=0; while true; do echo r-$i; i=$((i+1)); sleep 0.1; done", 0),
                    DeployConfig.defaults()));
            List<String> lines = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> follow = remote.followLogs("ct-remote", 0, lines::add);
            eventually(lines::size, n -> n >= 2);
            service.stop();
            Throwable midStream = failure(follow);
            assertTrue(midStream.getMessage().contains("log stream of workload ct-remote ended"), midStream.getMessage());
            EngineInfo down = get(remote.info());
            assertFalse(down.available());
            assertTrue(down.reason().contains(service.socket().toString()), down.reason());
            Throwable t = failure(remote.deploy("ct-remote2", pod("remote2", "exec sleep 600", 0), DeployConfig.defaults()));
            assertTrue(t.getMessage().contains("ct-remote2") && t.getMessage().contains("unable to connect"), t.getMessage());
            assertNoSuchWorkload(engine.status("ct-remote2"));
            service.start();
            assertTrue(get(remote.info()).available(), "the engine works again once the socket is back");
            assertEquals(WorkloadState.RUNNING, get(remote.status("ct-remote")).state());
            get(remote.remove("ct-remote"));
        } finally {
            pool.shutdownNow();
        }
    }
}

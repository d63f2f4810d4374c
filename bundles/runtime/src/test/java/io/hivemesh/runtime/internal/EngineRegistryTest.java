package io.hivemesh.runtime.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.runtime.DeployConfig;
import io.hivemesh.api.runtime.EngineInfo;
import io.hivemesh.api.runtime.NoSuchWorkloadException;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.WorkloadState;
import io.hivemesh.api.runtime.WorkloadStatus;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import org.junit.jupiter.api.Test;

class EngineRegistryTest {
    /** A fixed engine for selection logic (the mock engine bundle is tested on its own). */
    record Fixed(String name, boolean available, List<String> workloads) implements RuntimeEngine {
        public CompletableFuture<EngineInfo> info() {
            return CompletableFuture.completedFuture(new EngineInfo(name, available, "1", available ? "" : name + " is down"));
        }
        public void validate(String manifestYaml) { }
        public CompletableFuture<WorkloadStatus> deploy(String id, String yaml, DeployConfig config) { return null; }
        public CompletableFuture<WorkloadStatus> status(String id) {
            return workloads.contains(id)
                    ? CompletableFuture.completedFuture(new WorkloadStatus(id, id, name, WorkloadState.RUNNING, Optional.empty(), Optional.empty(), List.of()))
                    : CompletableFuture.failedFuture(new NoSuchWorkloadException(id));
        }
        public CompletableFuture<List<String>> logs(String id, int tail) { return null; }
        public CompletableFuture<Void> followLogs(String id, int tail, Consumer<String> onLine) { return null; }
        public CompletableFuture<Void> remove(String id) { return null; }
        public CompletableFuture<List<WorkloadStatus>> list() { return null; }
    }

    @Test
    void selectsByNameThenPreferredThenRankingAndExplainsWhenNone() {
        EngineRegistry registry = new EngineRegistry("podman", Duration.ofSeconds(1));
        String none = assertThrows(() -> registry.select(Optional.empty()).join());
        assertTrue(none.contains("no runtime engine is installed"), none);
        Fixed mock = new Fixed("mock", true, List.of("m1"));
        Fixed podman = new Fixed("podman", false, List.of("p1"));
        Fixed docker = new Fixed("docker", true, List.of());
        registry.add(mock, -100, 1);
        registry.add(podman, 100, 2);
        registry.add(docker, 50, 3);
        assertEquals(List.of(podman, docker, mock), registry.engines());
        assertSame(docker, registry.select(Optional.empty()).join(), "preferred podman is down: best available");
        assertSame(mock, registry.select(Optional.of("mock")).join());
        String down = assertThrows(() -> registry.select(Optional.of("podman")).join());
        assertTrue(down.contains("podman is down"), down);
        String unknown = assertThrows(() -> registry.select(Optional.of("vm")).join());
        assertTrue(unknown.contains("no runtime engine named 'vm'") && unknown.contains("podman, docker, mock"), unknown);
        registry.setPreferred("mock");
        assertSame(mock, registry.select(Optional.empty()).join());
        registry.remove(docker);
        registry.remove(mock);
        String all = assertThrows(() -> registry.select(Optional.empty()).join());
        assertTrue(all.contains("no runtime engine is available: podman (podman is down)"), all);
    }

    @Test
    void locatesTheEngineHoldingAWorkload() {
        EngineRegistry registry = new EngineRegistry("", Duration.ofSeconds(1));
        Fixed mock = new Fixed("mock", true, List.of("m1"));
        registry.add(mock, 0, 1);
        registry.add(new Fixed("podman", true, List.of("p1")), 10, 2);
        assertSame(mock, registry.locate("m1").join().orElseThrow());
        assertTrue(registry.locate("zz").join().isEmpty());
        String msg = assertThrows(() -> registry.require("zz").join());
        assertTrue(msg.contains("no runtime engine holds workload 'zz'"), msg);
    }

    private static String assertThrows(Runnable r) {
        CompletionException e = org.junit.jupiter.api.Assertions.assertThrows(CompletionException.class, r::run);
        return e.getCause().getMessage();
    }
}

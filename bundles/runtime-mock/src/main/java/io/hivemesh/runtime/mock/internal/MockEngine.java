package io.hivemesh.runtime.mock.internal;

import io.hivemesh.api.runtime.DeployConfig;
import io.hivemesh.api.runtime.EngineInfo;
import io.hivemesh.api.runtime.PortMapping;
import io.hivemesh.api.runtime.RuntimeEngineException;
import io.hivemesh.api.runtime.WorkloadState;
import io.hivemesh.api.runtime.WorkloadStatus;
import io.hivemesh.runtime.manifest.ContainerSpec;
import io.hivemesh.runtime.manifest.Manifests;
import io.hivemesh.runtime.manifest.PodPlan;
import io.hivemesh.runtime.manifest.PodSpec;
import io.hivemesh.runtime.manifest.PortSpec;
import io.hivemesh.runtime.spi.AbstractRuntimeEngine;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * A {@link io.hivemesh.api.runtime.RuntimeEngine} that <b>runs nothing</b>: it validates and plans manifests like the real
 * engines, then only records the pods in memory and reports them RUNNING. Its version string and
 * every log line say so. Deterministic: failures come from a seeded random sequence (rate
 * {@code failureRate}), every call waits {@code delay}; host ports clash only with its own workloads.
 * Inspection methods let tests see what was asked of it. State is lost with the instance (it has no
 * runtime to rebuild from). Thread-safe (synchronized).
 */
public final class MockEngine extends AbstractRuntimeEngine {
    public static final String NAME = "mock";
    public static final String VERSION = "in-memory (runs nothing)";

    private final double failureRate;
    private final Random random;
    private final Map<String, List<PodSpec>> workloads = new TreeMap<>();
    private final Map<String, CompletableFuture<Void>> ends = new TreeMap<>();
    private int deploys;
    private int failures;

    public MockEngine(Duration delay, double failureRate, long seed) {
        super(NAME, delay.isZero() ? Runnable::run : CompletableFuture.delayedExecutor(delay.toMillis(), TimeUnit.MILLISECONDS));
        if (failureRate < 0 || failureRate > 1) {
            throw new IllegalArgumentException("failureRate must be within 0..1, was " + failureRate);
        }
        this.failureRate = failureRate;
        this.random = new Random(seed);
    }

    @Override
    public CompletableFuture<EngineInfo> info() {
        return async(() -> new EngineInfo(NAME, true, VERSION, ""));
    }

    @Override
    public CompletableFuture<WorkloadStatus> deploy(String workloadId, String manifestYaml, DeployConfig config) {
        return async(() -> {
            List<PodSpec> pods = PodPlan.plan(NAME, workloadId, Manifests.parse(manifestYaml), config);
            synchronized (this) {
                deploys++;
                if (failureRate > 0 && random.nextDouble() < failureRate) {
                    failures++;
                    throw new RuntimeEngineException(NAME + ": deploy of workload " + workloadId
                            + " failed: simulated failure (failureRate " + failureRate + ")");
                }
                for (Map.Entry<String, List<PodSpec>> other : workloads.entrySet()) {
                    if (other.getKey().equals(workloadId)) {
                        continue;
                    }
                    for (int port : hostPorts(pods)) {
                        if (hostPorts(other.getValue()).contains(port)) {
                            throw new RuntimeEngineException(NAME + ": deploy of workload " + workloadId
                                    + " failed: host port " + port + " is taken by workload " + other.getKey());
                        }
                    }
                }
                workloads.put(workloadId, pods);
                ends.computeIfAbsent(workloadId, k -> new CompletableFuture<>());
                return statusOf(workloadId);
            }
        });
    }

    private static List<Integer> hostPorts(List<PodSpec> pods) {
        return pods.stream().flatMap(p -> p.containers().stream()).flatMap(c -> c.ports().stream())
                .map(PortSpec::hostPort).filter(p -> p != 0).toList();
    }

    @Override
    public CompletableFuture<WorkloadStatus> status(String workloadId) {
        return async(() -> statusOf(workloadId));
    }

    private synchronized WorkloadStatus statusOf(String workloadId) {
        List<PodSpec> pods = workloads.get(workloadId);
        if (pods == null) {
            throw noWorkload(workloadId);
        }
        List<PortMapping> ports = new ArrayList<>();
        for (PodSpec pod : pods) {
            for (ContainerSpec c : pod.containers()) {
                for (PortSpec p : c.ports()) {
                    if (p.hostPort() != 0) {
                        ports.add(new PortMapping(pod.name() + "-" + c.name(), p.containerPort(), p.protocol(),
                                p.hostIp(), p.hostPort()));
                    }
                }
            }
        }
        return new WorkloadStatus(workloadId, pods.get(0).labels().get(PodPlan.NAME_LABEL), NAME, WorkloadState.RUNNING,
                Optional.empty(), Optional.of("mock engine: recorded only, nothing runs"), ports);
    }

    @Override
    public CompletableFuture<List<String>> logs(String workloadId, int tail) {
        return async(() -> {
            List<String> lines = linesOf(workloadId);
            return lines.subList(Math.max(0, lines.size() - Math.max(0, tail)), lines.size());
        });
    }

    private synchronized List<String> linesOf(String workloadId) {
        statusOf(workloadId);
        List<String> lines = new ArrayList<>();
        for (PodSpec pod : workloads.get(workloadId)) {
            for (ContainerSpec c : pod.containers()) {
                lines.add("mock: " + pod.name() + "/" + c.name() + " would run " + c.image() + "; nothing runs");
            }
        }
        return lines;
    }

    @Override
    public CompletableFuture<Void> followLogs(String workloadId, int tail, Consumer<String> onLine) {
        return logs(workloadId, tail).thenCompose(lines -> {
            lines.forEach(onLine);
            synchronized (this) {
                CompletableFuture<Void> end = ends.get(workloadId);
                return end == null ? CompletableFuture.completedFuture(null) : end.copy();
            }
        });
    }

    @Override
    public CompletableFuture<Void> remove(String workloadId) {
        return async(() -> {
            CompletableFuture<Void> end;
            synchronized (this) {
                if (workloads.remove(workloadId) == null) {
                    throw noWorkload(workloadId);
                }
                end = ends.remove(workloadId);
            }
            if (end != null) {
                end.complete(null);
            }
            return null;
        });
    }

    @Override
    public CompletableFuture<List<WorkloadStatus>> list() {
        return async(() -> {
            synchronized (this) {
                return workloads.keySet().stream().map(this::statusOf).toList();
            }
        });
    }

    /** Inspection: how many deploys were asked for, including failed ones. */
    public synchronized int deployCount() {
        return deploys;
    }

    /** Inspection: how many deploys failed by the simulated failure rate. */
    public synchronized int simulatedFailures() {
        return failures;
    }

    /** Inspection: the pods recorded for a workload (empty if none). */
    public synchronized List<PodSpec> pods(String workloadId) {
        return workloads.getOrDefault(workloadId, List.of());
    }

    /** Inspection: the workload ids recorded now, sorted. */
    public synchronized List<String> workloadIds() {
        return List.copyOf(workloads.keySet());
    }
}

package io.hivemesh.runtime.spi;

import io.hivemesh.api.runtime.DeployConfig;
import io.hivemesh.api.runtime.EngineInfo;
import io.hivemesh.api.runtime.NoSuchWorkloadException;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.RuntimeEngineException;
import io.hivemesh.api.runtime.WorkloadState;
import io.hivemesh.api.runtime.WorkloadStatus;
import io.hivemesh.runtime.manifest.ContainerObservation;
import io.hivemesh.runtime.manifest.Manifests;
import io.hivemesh.runtime.manifest.PodPlan;
import io.hivemesh.runtime.manifest.PodSpec;
import io.hivemesh.runtime.manifest.WorkloadStatuses;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executor;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

/**
 * An engine over a container runtime that keeps no state of its own: every container carries the
 * workload label (and {@link PodPlan#ENGINE_LABEL}), so status, list, logs and log following ask the
 * runtime by label (an engine or node restart finds every workload again). This class holds the
 * orchestration; the engine implements the hooks that talk to its runtime. Lines of a workload with
 * more than one container are prefixed with {@code "<container> | "}. Thread-safe if the hooks are.
 *
 * @param <C> the engine's view of one listed container
 */
public abstract class ContainerRuntimeEngine<C> extends AbstractRuntimeEngine {
    private final List<LogStream> following = new CopyOnWriteArrayList<>();

    protected ContainerRuntimeEngine(String name, Executor executor) {
        super(name, executor);
    }

    /** One followed log stream of one container. */
    public interface LogStream {
        /**
         * Passes every line to {@code onLine} until the stream ends; throws a {@link RuntimeEngineException}
         * if it broke ({@code abandoned} tells whether the follower was already completed or cancelled,
         * when a broken stream is expected).
         */
        void readAll(Consumer<String> onLine, BooleanSupplier abandoned);

        /** Stops the stream (quietly; also when already stopped). */
        void close();
    }

    /** Asks the runtime for its version (runs on the executor; a thrown error makes the engine unavailable). */
    protected abstract EngineInfo probe();

    /** Makes the runtime run exactly these planned pods of the workload (removing what a failure left). */
    protected abstract void apply(String workloadId, List<PodSpec> pods);

    /** The workload containers of this engine matching a label filter ({@code key} or {@code key=value}), sorted by name. */
    protected abstract List<C> containers(String labelFilter);

    /** Like {@link #containers} with the state, exit code and error the runtime reports. */
    protected abstract List<ContainerObservation> observe(String labelFilter);

    protected abstract String containerName(C container);

    /** The last {@code tail} (at least 0) log lines of one container. */
    protected abstract List<String> logLines(C container, int tail);

    /** Opens the followed log of one container from its last {@code tail} (at least 0) lines. */
    protected abstract LogStream openLogStream(String workloadId, C container, int tail) throws IOException;

    @Override
    public CompletableFuture<EngineInfo> info() {
        return async(this::probe).exceptionally(t -> new EngineInfo(name(), false, "", unwrap(t).getMessage()));
    }

    @Override
    public CompletableFuture<WorkloadStatus> deploy(String workloadId, String manifestYaml, DeployConfig config) {
        return async(() -> {
            List<PodSpec> pods = PodPlan.plan(name(), workloadId, Manifests.parse(manifestYaml), config);
            apply(workloadId, pods);
            return statusNow(workloadId);
        });
    }

    /**
     * The error of a failed deploy after the clean-up of what it left: "{@code <name>: deploy of
     * workload <id> failed: <cause> (partial <leftovers> removed)}", or naming the failed clean-up.
     */
    protected final RuntimeEngineException deployFailed(String workloadId, String cause, Throwable error,
            String leftovers, Runnable cleanUp) {
        String message = name() + ": deploy of workload " + workloadId + " failed: " + cause;
        try {
            cleanUp.run();
            return new RuntimeEngineException(message + " (partial " + leftovers + " removed)", error);
        } catch (RuntimeEngineException e) {
            return new RuntimeEngineException(message + "; clean-up failed too: " + e.getMessage(), error);
        }
    }

    @Override
    public CompletableFuture<WorkloadStatus> status(String workloadId) {
        return async(() -> statusNow(PodPlan.checkWorkloadId(workloadId)));
    }

    /** The workload's status now (on the calling thread); {@link NoSuchWorkloadException} if nothing is labelled with it. */
    protected final WorkloadStatus statusNow(String workloadId) {
        List<ContainerObservation> observed = observe(RuntimeEngine.WORKLOAD_LABEL + "=" + workloadId);
        if (observed.isEmpty()) {
            throw noWorkload(workloadId);
        }
        return WorkloadStatuses.of(workloadId, name(), observed);
    }

    @Override
    public CompletableFuture<List<WorkloadStatus>> list() {
        return async(() -> WorkloadStatuses.group(name(), observe(RuntimeEngine.WORKLOAD_LABEL)));
    }

    /** The workload's containers; {@link NoSuchWorkloadException} if there are none. */
    protected final List<C> requireContainers(String workloadId) {
        PodPlan.checkWorkloadId(workloadId);
        List<C> containers = containers(RuntimeEngine.WORKLOAD_LABEL + "=" + workloadId);
        if (containers.isEmpty()) {
            throw noWorkload(workloadId);
        }
        return containers;
    }

    @Override
    public CompletableFuture<List<String>> logs(String workloadId, int tail) {
        return async(() -> {
            List<C> containers = requireContainers(workloadId);
            List<String> lines = new ArrayList<>();
            for (C c : containers) {
                String prefix = containers.size() > 1 ? containerName(c) + " | " : "";
                logLines(c, Math.max(0, tail)).forEach(l -> lines.add(prefix + l));
            }
            return lines;
        });
    }

    /**
     * Follows every container's log on its own thread. Completing or cancelling the result stops the
     * streams. When all streams end, the result completes normally if the workload has stopped or is
     * gone, and exceptionally if the runtime does not answer or the workload still runs.
     */
    @Override
    public CompletableFuture<Void> followLogs(String workloadId, int tail, Consumer<String> onLine) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        List<LogStream> streams = new CopyOnWriteArrayList<>();
        result.whenComplete((v, t) -> streams.forEach(s -> {
            following.remove(s);
            s.close();
        }));
        async(() -> requireContainers(workloadId)).whenComplete((containers, failure) -> {
            if (failure != null) {
                result.completeExceptionally(unwrap(failure));
                return;
            }
            List<CompletableFuture<Void>> readers = new ArrayList<>();
            for (C c : containers) {
                String prefix = containers.size() > 1 ? containerName(c) + " | " : "";
                try {
                    LogStream s = openLogStream(workloadId, c, Math.max(0, tail));
                    streams.add(s);
                    following.add(s);
                    readers.add(CompletableFuture.runAsync(() -> s.readAll(l -> onLine.accept(prefix + l), result::isDone),
                            EngineThreads.threadPerTask("hivemesh-" + name() + "-logs")));
                } catch (IOException e) {
                    result.completeExceptionally(new RuntimeEngineException(name() + ": cannot follow logs of "
                            + containerName(c) + ": " + e.getMessage(), e));
                    return;
                }
            }
            if (result.isDone()) {
                streams.forEach(LogStream::close);
                return;
            }
            CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new)).whenComplete((v, t) -> {
                if (t != null) {
                    result.completeExceptionally(unwrap(t));
                } else if (!result.isDone()) {
                    async(() -> endOfStream(workloadId)).whenComplete((v2, t2) -> {
                        if (t2 != null) {
                            result.completeExceptionally(unwrap(t2));
                        } else {
                            result.complete(null);
                        }
                    });
                }
            });
        });
        return result;
    }

    /**
     * The log streams ended: normal if the workload has stopped; an error if the runtime does not
     * answer or the workload still runs (the stream broke, e.g. the service socket went away).
     */
    private Void endOfStream(String workloadId) {
        WorkloadStatus status;
        try {
            status = statusNow(workloadId);
        } catch (NoSuchWorkloadException e) {
            return null;
        } catch (RuntimeEngineException e) {
            throw new RuntimeEngineException(name() + ": log stream of workload " + workloadId
                    + " ended: the runtime does not answer: " + e.getMessage(), e);
        }
        if (status.state() == WorkloadState.RUNNING) {
            throw new RuntimeEngineException(name() + ": log stream of workload " + workloadId
                    + " ended while the workload still runs");
        }
        return null;
    }

    /** Stops every log follower (engine deactivation). */
    public void close() {
        following.forEach(LogStream::close);
        following.clear();
    }
}

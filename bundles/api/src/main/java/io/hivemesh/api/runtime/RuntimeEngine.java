package io.hivemesh.api.runtime;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A container runtime that runs workloads described as Kubernetes manifests (Pod, Deployment).
 * Whiteboard: each engine is an OSGi service; the node picks one by configuration and
 * {@code service.ranking}. Workloads are found again from the runtime's own labels
 * ({@value #WORKLOAD_LABEL}), so an engine keeps no state that a restart could lose. Status always
 * comes from the runtime itself. Every method is thread-safe; failures complete exceptionally with
 * a {@link RuntimeEngineException} naming the workload and the cause.
 */
public interface RuntimeEngine {

    /** The label every container of a workload carries, with the workload id as value. */
    String WORKLOAD_LABEL = "io.hivemesh.workload";

    /** A short stable name, e.g. {@code podman}, {@code docker}, {@code mock}. */
    String name();

    /** Whether the runtime answers right now, and its version. */
    CompletableFuture<EngineInfo> info();

    /** Checks a (possibly multi-document) YAML manifest; throws {@link ManifestException} naming the bad field. */
    void validate(String manifestYaml);

    /**
     * Deploys (or replaces) workload {@code workloadId}; completes when the runtime has started it.
     * Workload ids are lower-case DNS labels of at most 40 characters. Every Pod document (and every
     * Deployment, with {@code config.replicas()} copies when that is above 1, else its own
     * {@code spec.replicas}) becomes one pod. On failure nothing of the new deployment is left behind.
     * A redeploy replaces the workload's previous pods, including replicas it no longer has.
     */
    CompletableFuture<WorkloadStatus> deploy(String workloadId, String manifestYaml, DeployConfig config);

    /**
     * The workload's status as the runtime reports it now; completes exceptionally with
     * {@link NoSuchWorkloadException} when the runtime holds nothing labelled with the id.
     */
    CompletableFuture<WorkloadStatus> status(String workloadId);

    /** The last {@code tail} log lines of every container of the workload. */
    CompletableFuture<List<String>> logs(String workloadId, int tail);

    /**
     * Streams log lines to {@code onLine} as they are written, starting with the last {@code tail};
     * completes when the workload ends; cancel the future to stop following.
     */
    CompletableFuture<Void> followLogs(String workloadId, int tail, Consumer<String> onLine);

    /**
     * Stops and removes every container (and pod) of the workload; completes when nothing of it is
     * left; {@link NoSuchWorkloadException} when there was nothing to remove.
     */
    CompletableFuture<Void> remove(String workloadId);

    /** Every workload this engine finds in the runtime (by label). */
    CompletableFuture<List<WorkloadStatus>> list();
}

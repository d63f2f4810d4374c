package io.hivemesh.runtime.manifest;

import io.hivemesh.api.runtime.DeployConfig;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.RuntimeEngineException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Turns validated documents and a deploy config into the pods an engine creates. Pod names are
 * {@code <workloadId>-<metadata.name>} (with {@code -<n>} per replica when there are several), so
 * two workloads never collide. Labels: the manifest's, the config's, then {@link #NAME_LABEL} and
 * {@link #ENGINE_LABEL} and {@link RuntimeEngine#WORKLOAD_LABEL} (which nothing can override). The config's CPU/memory limits
 * replace the manifest's on every container; its env is added to every container, over the
 * manifest's. Replicas: {@code config.replicas()} when above 1, else the document's own.
 */
public final class PodPlan {
    /** Label holding the manifest's {@code metadata.name}. */
    public static final String NAME_LABEL = "io.hivemesh.name";
    /**
     * Label holding the name of the engine that created the pod: engines that share one runtime
     * (docker on podman's compatible API) never claim each other's workloads.
     */
    public static final String ENGINE_LABEL = "io.hivemesh.engine";
    /** Label holding the replica number of a pod (1-based). */
    public static final String REPLICA_LABEL = "io.hivemesh.replica";
    private static final Pattern WORKLOAD_ID = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");

    private PodPlan() {
    }

    /** Throws {@link RuntimeEngineException} if {@code workloadId} is not a lower-case DNS label of at most 40 characters. */
    public static String checkWorkloadId(String workloadId) {
        if (workloadId == null || !WORKLOAD_ID.matcher(workloadId).matches()) {
            throw new RuntimeEngineException("workload id '" + workloadId
                    + "' is not a lower-case DNS label of at most 40 characters (a-z, 0-9, '-')");
        }
        return workloadId;
    }

    /** The pods engine {@code engine} creates for workload {@code workloadId}: {@code documents} under {@code config}. */
    public static List<PodSpec> plan(String engine, String workloadId, List<ManifestDocument> documents, DeployConfig config) {
        checkWorkloadId(workloadId);
        OptionalLong cpu = config.cpuLimit().map(q -> quantity(() -> Quantities.cpuMillis(q), "cpu limit"))
                .map(OptionalLong::of).orElse(OptionalLong.empty());
        OptionalLong memory = config.memoryLimit().map(q -> quantity(() -> Quantities.memoryBytes(q), "memory limit"))
                .map(OptionalLong::of).orElse(OptionalLong.empty());
        String manifestName = String.join(",", documents.stream().map(ManifestDocument::name).toList());
        List<PodSpec> pods = new ArrayList<>();
        for (ManifestDocument doc : documents) {
            int replicas = config.replicas() > 1 ? config.replicas() : doc.replicas();
            List<ContainerSpec> containers = new ArrayList<>();
            for (ContainerSpec c : doc.containers()) {
                Map<String, String> env = new LinkedHashMap<>(c.env());
                env.putAll(config.env());
                containers.add(new ContainerSpec(c.name(), c.image(), c.command(), c.args(), env, c.ports(),
                        cpu.isPresent() ? cpu : c.cpuMillis(), memory.isPresent() ? memory : c.memoryBytes()));
            }
            for (int r = 1; r <= replicas; r++) {
                Map<String, String> labels = new LinkedHashMap<>(doc.labels());
                labels.putAll(config.labels());
                labels.put(NAME_LABEL, manifestName.length() <= 63 ? manifestName : doc.name());
                labels.put(REPLICA_LABEL, Integer.toString(r));
                labels.put(ENGINE_LABEL, engine);
                labels.put(RuntimeEngine.WORKLOAD_LABEL, workloadId);
                String name = workloadId + "-" + doc.name() + (replicas > 1 ? "-" + r : "");
                pods.add(new PodSpec(name, workloadId, doc.name(), labels, doc.restartPolicy(), containers));
            }
        }
        return pods;
    }

    private static long quantity(java.util.function.LongSupplier parse, String what) {
        try {
            return parse.getAsLong();
        } catch (IllegalArgumentException e) {
            throw new RuntimeEngineException("deploy config " + what + ": " + e.getMessage());
        }
    }
}

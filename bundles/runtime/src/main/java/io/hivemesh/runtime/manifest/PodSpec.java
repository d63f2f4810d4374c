package io.hivemesh.runtime.manifest;

import java.util.List;
import java.util.Map;

/**
 * A pod an engine creates: its runtime name (unique per workload), the manifest name it came from,
 * every label (including the workload label), restart policy and containers.
 */
public record PodSpec(String name, String workloadId, String manifestName, Map<String, String> labels,
                      String restartPolicy, List<ContainerSpec> containers) {
    public PodSpec {
        labels = Map.copyOf(labels);
        containers = List.copyOf(containers);
    }
}

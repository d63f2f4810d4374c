package io.hivemesh.runtime.manifest;

import java.util.List;
import java.util.Map;

/**
 * One validated document of a manifest: a Pod, or a Deployment with its pod template. {@code index}
 * counts from 1 in the YAML stream; {@code replicas} is 1 for a Pod.
 */
public record ManifestDocument(int index, String kind, String name, Map<String, String> labels, int replicas,
                               String restartPolicy, List<ContainerSpec> containers) {
    public ManifestDocument {
        labels = Map.copyOf(labels);
        containers = List.copyOf(containers);
    }
}

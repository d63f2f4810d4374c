package io.hivemesh.api.runtime;

import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * How to deploy a workload: replicas, limits (Kubernetes quantities such as {@code 500m},
 * {@code 256Mi}), extra environment and labels. Immutable.
 */
public record DeployConfig(int replicas, Optional<String> cpuLimit, Optional<String> memoryLimit,
                           Map<String, String> env, Map<String, String> labels) {
    public DeployConfig {
        if (replicas < 1) {
            throw new IllegalArgumentException("replicas must be at least 1, was " + replicas);
        }
        Objects.requireNonNull(cpuLimit, "cpuLimit");
        Objects.requireNonNull(memoryLimit, "memoryLimit");
        env = Map.copyOf(env);
        labels = Map.copyOf(labels);
    }

    /** One replica, no limits, no extra env or labels. */
    public static DeployConfig defaults() {
        return new DeployConfig(1, Optional.empty(), Optional.empty(), Map.of(), Map.of());
    }
}

package io.hivemesh.api.runtime;

import java.util.List;
import java.util.Optional;

/**
 * One workload as the runtime sees it: state, exit code when exited, the runtime's reason when
 * failed, and the ports it bound.
 */
public record WorkloadStatus(String workloadId, String name, String engine, WorkloadState state,
                             Optional<Integer> exitCode, Optional<String> reason, List<PortMapping> ports) {
    public WorkloadStatus {
        ports = List.copyOf(ports);
    }
}

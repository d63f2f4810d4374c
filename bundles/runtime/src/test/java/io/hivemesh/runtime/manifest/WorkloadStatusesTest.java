package io.hivemesh.runtime.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hivemesh.api.runtime.PortMapping;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.WorkloadState;
import io.hivemesh.api.runtime.WorkloadStatus;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class WorkloadStatusesTest {
    static ContainerObservation c(String id, String name, String state, int code, String error) {
        return new ContainerObservation(name, Map.of(RuntimeEngine.WORKLOAD_LABEL, id, PodPlan.NAME_LABEL, "web"),
                state, code, error, List.of(new PortMapping(name, 80, "tcp", "", 28001)));
    }

    @Test
    void foldsStates() {
        List<WorkloadStatus> s = WorkloadStatuses.group("podman", List.of(
                c("a", "a1", "running", 0, ""), c("a", "a2", "running", 0, ""),
                c("b", "b1", "running", 0, ""), c("b", "b2", "exited", 3, ""),
                c("c", "c1", "created", 0, ""),
                c("d", "d1", "exited", 0, "oci runtime error: no such file"),
                new ContainerObservation("x", Map.of(), "running", 0, "", List.of())));
        assertEquals(List.of("a", "b", "c", "d"), s.stream().map(WorkloadStatus::workloadId).toList());
        assertEquals(WorkloadState.RUNNING, s.get(0).state());
        assertEquals("web", s.get(0).name());
        assertEquals(WorkloadState.EXITED, s.get(1).state());
        assertEquals(Optional.of(3), s.get(1).exitCode());
        assertEquals(WorkloadState.CREATED, s.get(2).state());
        assertEquals(WorkloadState.FAILED, s.get(3).state());
        assertEquals(Optional.of("container d1: oci runtime error: no such file"), s.get(3).reason());
        assertEquals(2, s.get(0).ports().size());
    }
}

package io.hivemesh.runtime.manifest;

import io.hivemesh.api.runtime.PortMapping;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.WorkloadState;
import io.hivemesh.api.runtime.WorkloadStatus;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * Folds the containers a runtime reports into workload statuses. A workload is FAILED if a
 * container is dead or carries a runtime error (the reason names it), EXITED if any container has
 * exited (the exit code is the first non-zero one, else 0; the reason names the container), RUNNING
 * if every container runs, CREATED if none has started, UNKNOWN otherwise (e.g. paused).
 */
public final class WorkloadStatuses {
    private WorkloadStatuses() {
    }

    /** One status per workload id found in the containers' {@link RuntimeEngine#WORKLOAD_LABEL}, sorted by id. */
    public static List<WorkloadStatus> group(String engine, List<ContainerObservation> containers) {
        Map<String, List<ContainerObservation>> byId = containers.stream()
                .filter(c -> c.labels().containsKey(RuntimeEngine.WORKLOAD_LABEL))
                .collect(Collectors.groupingBy(c -> c.labels().get(RuntimeEngine.WORKLOAD_LABEL), TreeMap::new,
                        Collectors.toList()));
        List<WorkloadStatus> out = new ArrayList<>();
        byId.forEach((id, list) -> out.add(of(id, engine, list)));
        return out;
    }

    /** The status of one workload from its (non-empty) containers. */
    public static WorkloadStatus of(String workloadId, String engine, List<ContainerObservation> containers) {
        List<ContainerObservation> sorted = new ArrayList<>(containers);
        sorted.sort(Comparator.comparing(ContainerObservation::name));
        String name = sorted.stream().map(c -> c.labels().get(PodPlan.NAME_LABEL)).filter(n -> n != null)
                .findFirst().orElse(workloadId);
        List<PortMapping> ports = sorted.stream().flatMap(c -> c.ports().stream()).distinct().toList();
        WorkloadState state;
        Optional<Integer> exitCode = Optional.empty();
        Optional<String> reason = Optional.empty();
        Optional<ContainerObservation> failed = sorted.stream()
                .filter(c -> c.state().toLowerCase(Locale.ROOT).equals("dead") || !c.error().isBlank()).findFirst();
        List<ContainerObservation> exited = sorted.stream()
                .filter(c -> c.state().toLowerCase(Locale.ROOT).equals("exited")
                        || c.state().toLowerCase(Locale.ROOT).equals("stopped")).toList();
        if (failed.isPresent()) {
            ContainerObservation c = failed.get();
            state = WorkloadState.FAILED;
            reason = Optional.of("container " + c.name() + ": "
                    + (c.error().isBlank() ? "state " + c.state() : c.error()));
        } else if (!exited.isEmpty()) {
            ContainerObservation c = exited.stream().filter(x -> x.exitCode() != 0).findFirst().orElse(exited.get(0));
            state = WorkloadState.EXITED;
            exitCode = Optional.of(c.exitCode());
            reason = Optional.of("container " + c.name() + " exited with code " + c.exitCode());
        } else if (sorted.stream().allMatch(c -> c.state().equalsIgnoreCase("running"))) {
            state = WorkloadState.RUNNING;
        } else if (sorted.stream().allMatch(c -> c.state().equalsIgnoreCase("created")
                || c.state().equalsIgnoreCase("configured") || c.state().equalsIgnoreCase("initialized"))) {
            state = WorkloadState.CREATED;
        } else {
            state = WorkloadState.UNKNOWN;
            reason = Optional.of(sorted.stream().map(c -> c.name() + "=" + c.state()).collect(Collectors.joining(", ")));
        }
        return new WorkloadStatus(workloadId, name, engine, state, exitCode, reason, ports);
    }
}

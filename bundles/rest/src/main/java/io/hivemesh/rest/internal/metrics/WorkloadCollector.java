package io.hivemesh.rest.internal.metrics;

import io.hivemesh.api.workload.MachinePlane;
import io.hivemesh.api.workload.MachinePlane.Replica;
import io.hivemesh.api.workload.MachinePlane.Task;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The machine plane's families, read at scrape time from the tasks this node owns: tasks by state
 * ({@code Available}: every wanted replica of the current generation runs; {@code Progressing}:
 * not yet, or no longer), replicas of the current generations by state, and the mesh's nodes.
 * Replica states come from other nodes' reports: any name outside {@link #REPLICA_STATES} counts
 * as {@code Unknown}, so a peer cannot grow the number of series.
 */
public final class WorkloadCollector implements MultiCollector {
    /** Replica states as the machine plane reports them, and {@code Unassigned} for replicas no node holds. */
    public static final List<String> REPLICA_STATES = List.of("Unassigned", "Awarded", "Pending", "Running",
            "Exited", "Failed", "Unknown");
    public static final List<String> TASK_STATES = List.of("Available", "Progressing");

    private final Supplier<Optional<MachinePlane>> plane;

    public WorkloadCollector(Supplier<Optional<MachinePlane>> plane) {
        this.plane = plane;
    }

    @Override
    public MetricSnapshots collect() {
        Optional<MachinePlane> p = plane.get();
        if (p.isEmpty()) {
            return new MetricSnapshots();
        }
        Map<String, Integer> tasks = zeros(TASK_STATES);
        Map<String, Integer> replicas = zeros(REPLICA_STATES);
        long wanted = 0;
        for (Task t : p.get().tasks(null)) {
            wanted += t.replicas();
            tasks.merge(t.running() >= t.replicas() ? "Available" : "Progressing", 1, Integer::sum);
            int current = 0;
            for (Replica r : t.assignments()) {
                if (r.generation() == t.generation()) {
                    current++;
                    replicas.merge(REPLICA_STATES.contains(r.state()) && !r.state().equals("Unassigned")
                            ? r.state() : "Unknown", 1, Integer::sum);
                }
            }
            replicas.merge("Unassigned", Math.max(0, t.replicas() - current), Integer::sum);
        }
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(Families.gauge("hivemesh_workload_tasks", "Tasks this node owns, by state.", "state", tasks));
        out.add(Families.gauge("hivemesh_workload_replicas",
                "Replicas of the current generation of the tasks this node owns, by state as their nodes report it.",
                "state", replicas));
        out.add(Families.gauge("hivemesh_workload_replicas_wanted",
                "Replicas the tasks this node owns ask for, added up.", wanted));
        out.add(Families.gauge("hivemesh_mesh_nodes", "Nodes of the mesh as last heard, this one included.",
                p.get().nodes().size()));
        return new MetricSnapshots(out);
    }

    private static Map<String, Integer> zeros(List<String> keys) {
        Map<String, Integer> m = new LinkedHashMap<>();
        keys.forEach(k -> m.put(k, 0));
        return m;
    }
}

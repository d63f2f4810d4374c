package io.hivemesh.rest.internal.metrics;

import static io.hivemesh.rest.internal.metrics.MachinePlaneFake.replica;
import static io.hivemesh.rest.internal.metrics.MachinePlaneFake.task;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.hivemesh.api.workload.MachinePlane;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

class WorkloadCollectorTest {
    private final MachinePlaneFake plane = new MachinePlaneFake();
    private final ServiceSlot<MachinePlane> slot = new ServiceSlot<>();

    @Test
    void tasksAndCurrentReplicasByState() {
        slot.bind(plane);
        plane.tasks.add(task("t1", 2, 2, List.of(replica(0, 2, "Running"), replica(1, 2, "Running"),
                replica(0, 1, "Running")))); // generation 1 is being retired: not counted
        plane.tasks.add(task("t2", 1, 3, List.of(replica(0, 1, "Running"), replica(1, 1, "Pending"))));
        plane.nodes.add(new MachinePlane.MeshNode("node-0", 1000, 1 << 30, 500, 1 << 29, 3, 0));

        Map<String, Exposition.Family> f = Scrape.of(new WorkloadCollector(slot));

        Exposition.Family tasks = f.get("hivemesh_workload_tasks");
        assertEquals(1, tasks.value("hivemesh_workload_tasks", "state", "Available"));
        assertEquals(1, tasks.value("hivemesh_workload_tasks", "state", "Progressing"));
        Exposition.Family r = f.get("hivemesh_workload_replicas");
        assertEquals(3, r.value("hivemesh_workload_replicas", "state", "Running"));
        assertEquals(1, r.value("hivemesh_workload_replicas", "state", "Pending"));
        assertEquals(1, r.value("hivemesh_workload_replicas", "state", "Unassigned"));
        assertEquals(0, r.value("hivemesh_workload_replicas", "state", "Failed"));
        assertEquals(5, f.get("hivemesh_workload_replicas_wanted").value("hivemesh_workload_replicas_wanted"));
        assertEquals(1, f.get("hivemesh_mesh_nodes").value("hivemesh_mesh_nodes"));
    }

    @Test
    void aPeersMadeUpStateNamesCannotAddSeriesOrBreakTheFormat() {
        slot.bind(plane);
        plane.tasks.add(task("t1", 1, 3, List.of(replica(0, 1, "Running\"} evil 1\n# TYPE x gauge"),
                replica(1, 1, "Unassigned"), replica(2, 1, "running"))));
        String text = Scrape.text(new NodeMetrics(List.of(new WorkloadCollector(slot)), false));
        Map<String, Exposition.Family> f = Exposition.parse(text);
        Exposition.Family r = f.get("hivemesh_workload_replicas");
        assertEquals(3, r.value("hivemesh_workload_replicas", "state", "Unknown"));
        assertEquals(0, r.value("hivemesh_workload_replicas", "state", "Running"));
        assertEquals(0, r.value("hivemesh_workload_replicas", "state", "Unassigned"));
        Set<String> states = r.samples().stream().map(s -> s.labels().get("state")).collect(Collectors.toSet());
        assertEquals(Set.copyOf(WorkloadCollector.REPLICA_STATES), states);
        assertFalse(text.contains("evil"), text);
    }

    @Test
    void noMachinePlaneNoFamilies() {
        assertEquals(Map.of(), Scrape.of(new WorkloadCollector(slot)));
    }
}

package io.hivemesh.workload.internal;

import io.hivemesh.crypto.internal.Standalone;
import io.hivemesh.workload.internal.MachineNodesForTests.TestNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;

import static io.hivemesh.workload.internal.MachineNodesForTests.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * {@code workload:get} on a node that runs one of the replicas (not the owner) lists its own
 * replica with its state, not as a bare provider record: its own status reports never come back
 * to it by gossip. (MachinePlaneTest's observer is such a node whenever the owner wins no replica.)
 */
class GetOnAReplicaNodeTest extends InProcessMeshTest {
    @Test
    void aReplicaNodeSeesItsOwnReplicaRunning() throws Exception {
        TestNode owner = mesh.add(MachinePlaneTest.ROOMY, MachineNodesForTests.NOT_BIDDING, Standalone.identity(), null);
        TestNode b = mesh.add(MachinePlaneTest.ROOMY);
        TestNode c = mesh.add(MachinePlaneTest.ROOMY);
        OwnerTasks.Applied applied = owner.service().apply(MachinePlaneTest.deployment(2, "v1"), OptionalInt.empty());
        await("two running replicas", 20, () -> MachinePlaneTest.runningNodes(MachinePlaneTest.task(owner,
                applied.taskId()), 1).size() == 2);
        await("b lists both replicas running, its own included", 10, () -> {
            try {
                List<WorkloadService.ReplicaRow> rows = b.service().get("web", Duration.ofSeconds(2));
                return rows.size() == 2 && rows.stream().allMatch(r -> r.state().equals("Running"));
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        List<WorkloadService.ReplicaRow> rows = b.service().get("web", Duration.ofSeconds(2));
        assertEquals(List.of(b.id().toString(), c.id().toString()).stream().sorted().toList(),
                rows.stream().map(WorkloadService.ReplicaRow::node).sorted().toList());
    }
}

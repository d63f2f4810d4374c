package io.hivemesh.workload.internal;

import io.hivemesh.crypto.internal.Standalone;
import io.hivemesh.workload.internal.MachineNodesForTests.TestNode;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.Optional;
import java.util.OptionalInt;

import static io.hivemesh.workload.internal.MachineNodesForTests.await;

/**
 * An apply tenders at once instead of waiting for the owner's next repair round (up to a heartbeat
 * interval, 2 s by default, on the way from apply to running): with a loop that runs once at start
 * and then not for ten minutes, the replicas still run.
 */
class ApplyTendersAtOnceTest extends InProcessMeshTest {
    static final MachineSettings RARE_LOOP = new MachineSettings("default", Duration.ofMillis(100),
            Duration.ofMinutes(10), Duration.ofSeconds(30), Duration.ofMillis(200), Duration.ofSeconds(2), 5,
            Duration.ofMinutes(5), Duration.ofSeconds(3), Duration.ofSeconds(5), Optional.empty(), true, 100,
            128L << 20);

    @Test
    void theReplicasRunWithoutARepairRoundAfterTheApply() throws Exception {
        TestNode owner = mesh.add(MachinePlaneTest.ROOMY, RARE_LOOP, Standalone.identity(), null);
        mesh.add(MachinePlaneTest.ROOMY, RARE_LOOP, Standalone.identity(), null);
        mesh.add(MachinePlaneTest.ROOMY, RARE_LOOP, Standalone.identity(), null);
        OwnerTasks.Applied applied = owner.service().apply(MachinePlaneTest.deployment(2, "v1"), OptionalInt.empty());
        await("two running replicas, long before the next repair round", 20, () -> MachinePlaneTest.runningNodes(
                MachinePlaneTest.task(owner, applied.taskId()), 1).size() == 2);
        org.junit.jupiter.api.Assertions.assertEquals(2, MachinePlaneTest.runningNodes(
                MachinePlaneTest.task(owner, applied.taskId()), 1).size(), "two distinct nodes run it");
        org.junit.jupiter.api.Assertions.assertTrue(owner.service().events(applied.taskId()).stream()
                .anyMatch(e -> e.kind().equals("Tender")), "the apply tendered");
    }
}

package io.hivemesh.workload.internal;

import io.hivemesh.crypto.internal.Standalone;
import io.hivemesh.workload.internal.MachineNodesForTests.TestNode;
import io.hivemesh.workload.internal.WorkloadStore.OwnedTask;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;

import static io.hivemesh.workload.internal.MachineNodesForTests.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A replica whose node is lost together with so many share holders that fewer than the threshold
 * are left: the owner splits the key again over live nodes, and the replacement runs (found by
 * the 50-node simulation, where 20 % of the nodes were lost at once).
 */
class LostShareHoldersTest extends InProcessMeshTest {
    @Test
    void theKeyIsSplitAgainWhenTooFewHoldersAreLeft() throws Exception {
        TestNode owner = mesh.add(MachinePlaneTest.ROOMY, MachineNodesForTests.NOT_BIDDING, Standalone.identity(), null);
        List<TestNode> workers = new ArrayList<>();
        for (int i = 0; i < 4; i++) {
            workers.add(mesh.add(MachinePlaneTest.ROOMY));
        }
        OwnerTasks.Applied applied = owner.service().apply(MachinePlaneTest.deployment(1, "v1"), OptionalInt.of(1));
        await("one running replica", 20, () -> MachinePlaneTest.runningNodes(MachinePlaneTest.task(owner,
                applied.taskId()), 1).size() == 1);
        OwnedTask before = MachinePlaneTest.task(owner, applied.taskId());
        String first = MachinePlaneTest.runningNodes(before, 1).iterator().next();

        // Cut off the replica's node, then holders until fewer than the threshold are left.
        List<TestNode> cut = new ArrayList<>();
        workers.stream().filter(w -> w.id().toString().equals(first)).forEach(cut::add);
        for (TestNode w : workers) {
            long left = before.holders().stream().filter(h -> cut.stream().noneMatch(c -> c.id().toString().equals(h)))
                    .count();
            if (left >= before.threshold() && !cut.contains(w) && before.holders().contains(w.id().toString())) {
                cut.add(w);
            }
        }
        List<TestNode> left = new ArrayList<>(workers);
        left.removeAll(cut);
        long holdersLeft = before.holders().stream().filter(h -> cut.stream().noneMatch(c -> c.id().toString()
                .equals(h))).count();
        assertTrue(holdersLeft < before.threshold() && !left.isEmpty(), "the setup leaves " + holdersLeft
                + " holders of " + before.holders().size() + " (threshold " + before.threshold() + ") and "
                + left.size() + " worker(s)");
        cut.forEach(c -> mesh.mesh.down(c.id(), true));

        await("the replica runs on a worker left", 30, () -> {
            Set<String> now = MachinePlaneTest.runningNodes(MachinePlaneTest.task(owner, applied.taskId()), 1);
            return now.size() == 1 && left.stream().anyMatch(w -> now.contains(w.id().toString()));
        });
        OwnedTask after = MachinePlaneTest.task(owner, applied.taskId());
        assertFalse(after.holders().equals(before.holders()), "new holders: " + after.holders());
        for (TestNode c : cut) {
            assertFalse(after.holders().contains(c.id().toString()), "a lost node holds no new share");
        }
        assertTrue(owner.service().events(applied.taskId()).stream().anyMatch(e -> e.kind().equals("SharesDistributed")
                && e.message().contains("again")), "the owner says it split the key again");
    }
}

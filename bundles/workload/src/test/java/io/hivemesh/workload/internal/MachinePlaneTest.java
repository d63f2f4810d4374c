package io.hivemesh.workload.internal;

import io.hivemesh.workload.internal.MachineNodesForTests.TestNode;
import io.hivemesh.workload.internal.WorkloadStore.Assignment;
import io.hivemesh.workload.internal.WorkloadStore.OwnedTask;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.OptionalInt;
import java.util.Set;
import java.util.stream.Collectors;

import static io.hivemesh.workload.internal.MachineNodesForTests.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The machine plane's workflow between in-process nodes (real crypto, store, scheduling and share
 * logic; mock engine and in-memory mesh): apply, spread, heal, update, delete.
 */
class MachinePlaneTest extends InProcessMeshTest {
    static final Capacity ROOMY = new Capacity(2000, 2L << 30);

    static String deployment(int replicas, String arg) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                spec:
                  replicas: %d
                  selector:
                    matchLabels:
                      app: web
                  template:
                    metadata:
                      labels:
                        app: web
                    spec:
                      containers:
                        - name: web
                          image: docker.io/library/busybox:1.36
                          args: ["%s"]
                          resources:
                            requests:
                              cpu: 200m
                              memory: 64Mi
                """.formatted(replicas, arg);
    }

    static Set<String> runningNodes(OwnedTask t, long generation) {
        return t.assignments().stream().filter(a -> a.generation() == generation && a.state().equals("Running"))
                .map(Assignment::node).collect(Collectors.toSet());
    }

    static OwnedTask task(TestNode owner, String id) {
        return owner.store().task(id).orElseThrow();
    }

    @Test
    void twoReplicasRunOnTwoDistinctNodesAndEveryNodeSeesThem() throws Exception {
        TestNode a = mesh.add(ROOMY);
        TestNode b = mesh.add(ROOMY);
        TestNode c = mesh.add(ROOMY);
        OwnerTasks.Applied applied = a.service().apply(deployment(2, "v1"), OptionalInt.empty());
        await("two running replicas", 20, () -> runningNodes(task(a, applied.taskId()), 1).size() == 2);
        Set<String> nodes = runningNodes(task(a, applied.taskId()), 1);
        long pods = List.of(a, b, c).stream().mapToLong(n -> n.engine().workloadIds().size()).sum();
        assertEquals(2, pods, "exactly two pods in the whole mesh");
        for (TestNode n : List.of(a, b, c)) {
            assertTrue(n.engine().workloadIds().size() <= 1, "at most one replica per node");
        }
        // The third node (any node that runs nothing) lists both through providers and reports.
        TestNode idle = List.of(a, b, c).stream().filter(n -> !nodes.contains(n.id().toString())).findFirst()
                .orElseThrow();
        TestNode observer = idle == a ? List.of(b, c).stream().filter(n -> nodes.contains(n.id().toString()))
                .findFirst().orElseThrow() : idle;
        await("the observer sees both replicas", 10, () -> {
            try {
                return observer.service().get("web", Duration.ofSeconds(2)).stream()
                        .filter(r -> r.state().equals("Running")).count() == 2;
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        });
        // The events tell the story.
        List<String> kinds = a.service().events("web").stream().map(e -> e.kind()).toList();
        assertTrue(kinds.containsAll(List.of("Applied", "Tender", "SharesDistributed", "Awarded")), kinds.toString());
        // both replicas Running on the owner: the generation is Available, once (the apply-latency metric's end;
        // recorded just after the owner stores the report, so awaited)
        await("the Available event", 10, () -> a.service().events("web").stream()
                .anyMatch(e -> e.kind().equals("Available")));
        List<String> after = a.service().events("web").stream().map(e -> e.kind()).toList();
        assertEquals(1, after.stream().filter("Available"::equals).count(), after.toString());
        assertTrue(after.indexOf("Applied") < after.indexOf("Available"), after.toString());
    }

    @Test
    void aLostNodesReplicaIsRescheduledAndComesBackRemoved() throws Exception {
        TestNode a = mesh.add(ROOMY, MachineNodesForTests.NOT_BIDDING, io.hivemesh.crypto.internal.Standalone.identity(),
                null);
        TestNode b = mesh.add(ROOMY);
        TestNode c = mesh.add(ROOMY);
        OwnerTasks.Applied applied = a.service().apply(deployment(1, "v1"), OptionalInt.of(1));
        await("one running replica", 20, () -> runningNodes(task(a, applied.taskId()), 1).size() == 1);
        String first = runningNodes(task(a, applied.taskId()), 1).iterator().next();
        TestNode victim = List.of(a, b, c).stream().filter(n -> n.id().toString().equals(first)).findFirst()
                .orElseThrow();
        mesh.mesh.down(victim.id(), true);
        await("the replica runs on another node", 30, () -> {
            Set<String> now = runningNodes(task(a, applied.taskId()), 1);
            return now.size() == 1 && !now.contains(first);
        });
        mesh.mesh.down(victim.id(), false);
        await("the returning node removes its stale replica", 20, () -> victim.engine().workloadIds().isEmpty());
        assertEquals(1, List.of(a, b, c).stream().mapToLong(n -> n.engine().workloadIds().size()).sum());
    }

    @Test
    void anUpdateRollsToTheNewGenerationAndADeleteLeavesNothing() throws Exception {
        TestNode a = mesh.add(ROOMY);
        TestNode b = mesh.add(ROOMY);
        TestNode c = mesh.add(ROOMY);
        OwnerTasks.Applied v1 = a.service().apply(deployment(2, "v1"), OptionalInt.empty());
        await("two running replicas", 20, () -> runningNodes(task(a, v1.taskId()), 1).size() == 2);
        OwnerTasks.Applied same = a.service().apply(deployment(2, "v1"), OptionalInt.empty());
        assertFalse(same.changed(), "the same manifest again changes nothing");
        OwnerTasks.Applied v2 = a.service().apply(deployment(2, "v2"), OptionalInt.empty());
        assertEquals(2, v2.generation());
        await("two replicas of generation 2 and none of 1", 30, () -> {
            OwnedTask t = task(a, v1.taskId());
            return runningNodes(t, 2).size() == 2 && t.assignments().stream().noneMatch(x -> x.generation() == 1);
        });
        await("two pods in the mesh", 10, () -> List.of(a, b, c).stream()
                .mapToLong(n -> n.engine().workloadIds().size()).sum() == 2);
        for (TestNode n : List.of(a, b, c)) {
            for (String id : n.engine().workloadIds()) {
                assertTrue(id.contains("-g2-"), "only generation 2 runs: " + id);
            }
        }
        List<String> result = a.service().delete("web").get();
        assertFalse(result.isEmpty());
        await("no pod anywhere", 10, () -> List.of(a, b, c).stream().allMatch(n -> n.engine().workloadIds().isEmpty()));
        assertTrue(mesh.providers.of(TaskCids.of(v1.taskId())).isEmpty(), "providers withdrawn");
        assertTrue(a.store().task(v1.taskId()).isEmpty());
        assertTrue(a.store().tombstone(v1.taskId()).isPresent());
        assertNotEquals(0, a.store().tombstone(v1.taskId()).get().generation());
    }

    @Test
    void keysAreExchangedDirectlyAndOnlyAPeersOwnRecordIsAccepted() throws Exception {
        TestNode a = mesh.add(ROOMY);
        TestNode b = mesh.add(ROOMY);
        long now = System.currentTimeMillis();
        var own = new io.hivemesh.protocol.MachineMessage.NodeKeysRecord(b.id(), b.sealer().kemPublicKey(), new byte[0],
                1, now, now + 60_000);
        a.node().serveKeys(() -> new io.hivemesh.protocol.MachineMessage.NodeKeysRecord(a.id(),
                a.sealer().kemPublicKey(), new byte[0], 1, now, now + 60_000));
        b.node().serveKeys(() -> own);
        var got = a.node().askKeys(b.id()).get(5, java.util.concurrent.TimeUnit.SECONDS);
        assertTrue(java.util.Arrays.equals(b.sealer().kemPublicKey(), got.kemPublicKey()));
        // b answering with an expired record of its own is refused.
        b.node().serveKeys(() -> new io.hivemesh.protocol.MachineMessage.NodeKeysRecord(b.id(),
                b.sealer().kemPublicKey(), new byte[0], 2, now - 120_000, now - 60_000));
        var e = org.junit.jupiter.api.Assertions.assertThrows(java.util.concurrent.ExecutionException.class,
                () -> a.node().askKeys(b.id()).get(5, java.util.concurrent.TimeUnit.SECONDS));
        assertTrue(e.getCause().getMessage().contains("no valid key record"), e.getCause().getMessage());
    }
}

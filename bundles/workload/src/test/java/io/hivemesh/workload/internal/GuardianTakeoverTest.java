package io.hivemesh.workload.internal;

import io.hivemesh.api.crypto.Capability;
import io.hivemesh.api.crypto.CryptoException;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.crypto.internal.Standalone;
import io.hivemesh.protocol.MachineMessage;
import io.hivemesh.protocol.MachineMessage.ShareGrant;
import io.hivemesh.protocol.MachineMessage.ShareRequest;
import io.hivemesh.protocol.MachineMessage.TaskRecord;
import io.hivemesh.protocol.SignedMessages;
import io.hivemesh.workload.internal.MachineNodesForTests.TestNode;
import io.hivemesh.workload.internal.WorkloadStore.Assignment;
import io.hivemesh.workload.internal.WorkloadStore.GuardedTask;
import io.hivemesh.workload.internal.WorkloadStore.OwnedTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import static io.hivemesh.workload.internal.MachineNodesForTests.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Guardians between in-process nodes (real crypto, store, scheduling and share logic; mock engine
 * and in-memory mesh): they heal a task whose owner is gone, one after the other, hand it back
 * when the owner returns, and nobody else can heal it.
 */
class GuardianTakeoverTest extends InProcessMeshTest {
    /** The owner: the most room, so it wins the first replica itself (and guardians are two workers). */
    static final Capacity BIG = new Capacity(16_000, 32L << 30);
    static final MachineSettings SETTINGS = MachineNodesForTests.FAST.withOwnerGrace(Duration.ofSeconds(2));

    TestNode owner;
    final List<TestNode> workers = new ArrayList<>();
    final Set<PeerId> down = java.util.concurrent.ConcurrentHashMap.newKeySet();

    @BeforeEach
    void setUp() {
        owner = mesh.add(BIG, SETTINGS, Standalone.identity(), null);
        for (int i = 0; i < 5; i++) {
            workers.add(mesh.add(MachinePlaneTest.ROOMY, SETTINGS, Standalone.identity(), null));
        }
    }

    @AfterEach
    void printStateWhenDebugging() {
        if (Boolean.getBoolean("guardians.debug")) {
            for (TestNode n : all()) {
                System.out.println("== " + n.name() + " " + n.id() + " pods " + n.engine().workloadIds()
                        + " guarded " + n.store().guardedTasks());
                n.node().context().events().all().forEach(e -> System.out.println("   " + e.node().toString()
                        .substring(46) + " " + e.kind() + ": " + e.message()));
            }
        }
    }

    private void cut(TestNode n, boolean isDown) {
        mesh.mesh.down(n.id(), isDown);
        if (isDown) {
            down.add(n.id());
        } else {
            down.remove(n.id());
        }
    }

    private List<TestNode> all() {
        List<TestNode> out = new ArrayList<>(workers);
        out.add(0, owner);
        return out;
    }

    private TestNode byId(PeerId id) {
        return all().stream().filter(n -> n.id().equals(id)).findFirst().orElseThrow();
    }

    /** The nodes not cut off whose engine runs a pod. */
    private List<TestNode> livePods() {
        return all().stream().filter(n -> !down.contains(n.id()) && !n.engine().workloadIds().isEmpty()).toList();
    }

    private long pods() {
        return all().stream().mapToLong(n -> n.engine().workloadIds().size()).sum();
    }

    private boolean heals(TestNode guardian, String taskId) {
        return guardian.store().guarded(taskId).map(GuardedTask::healer).orElse(false);
    }

    /** Applies one replica (it runs on the owner) and waits until both guardians keep the task record. */
    private String applyAndWaitForGuardians() throws InterruptedException {
        OwnerTasks.Applied applied = owner.service().apply(MachinePlaneTest.deployment(1, "v1"), OptionalInt.of(1));
        String id = applied.taskId();
        await("the replica runs on the owner", 20, () -> MachinePlaneTest.runningNodes(
                MachinePlaneTest.task(owner, id), 1).equals(Set.of(owner.id().toString())));
        List<PeerId> guardians = Guardians.ofStrings(MachinePlaneTest.task(owner, id).holders(), owner.id());
        assertEquals(2, guardians.size(), "two guardians among the holders");
        await("both guardians keep the record with the running replica", 20, () -> guardians.stream().allMatch(g ->
                byId(g).store().guarded(id).map(r -> r.assignments().stream().anyMatch(a ->
                        a.node().equals(owner.id().toString()) && a.state().equals("Running"))).orElse(false)));
        return id;
    }

    @Test
    void guardiansHealWhileTheOwnerIsGoneOneAfterTheOtherAndHandTheTaskBack() throws Exception {
        String id = applyAndWaitForGuardians();
        List<PeerId> guardians = Guardians.ofStrings(MachinePlaneTest.task(owner, id).holders(), owner.id());
        TestNode g1 = byId(guardians.get(0));
        TestNode g2 = byId(guardians.get(1));

        // The owner, which also runs the replica, is cut off for good: the first guardian heals.
        cut(owner, true);
        await("the first guardian heals and the replica runs on a live node", 30, () -> heals(g1, id)
                && livePods().size() == 1 && g1.store().guarded(id).get().assignments().stream().anyMatch(a ->
                a.state().equals("Running") && !a.node().equals(owner.id().toString())));
        assertTrue(!heals(g2, id), "the second guardian waits while the first is there");
        TestNode x1 = livePods().get(0);
        await("the healer's view reaches the second guardian", 10, () -> g2.store().guarded(id).get().assignments()
                .stream().anyMatch(a -> a.node().equals(x1.id().toString())));

        // The first guardian goes too (with the replica's node): the second takes over.
        cut(g1, true);
        cut(x1, true);
        await("the second guardian heals and the replica runs on a third node", 30, () -> heals(g2, id)
                && livePods().size() == 1 && !livePods().get(0).equals(x1));
        TestNode x2 = livePods().get(0);
        await("its replica runs", 20, () -> g2.store().guarded(id).get().assignments().stream().anyMatch(a ->
                a.node().equals(x2.id().toString()) && a.state().equals("Running")));
        for (TestNode n : List.of(x1, x2)) {
            assertTrue(n.store().replicas().stream().allMatch(r -> r.owner().equals(owner.id().toString())),
                    "a replica a guardian awarded is still the owner's");
        }

        // The owner comes back: it takes the task back from the second guardian.
        cut(owner, false);
        await("the owner adopts the guardian's replica", 30, () -> {
            List<Assignment> current = MachinePlaneTest.task(owner, id).assignments();
            return current.size() == 1 && current.get(0).node().equals(x2.id().toString())
                    && current.get(0).state().equals("Running");
        });
        await("the owner's own, older replica is removed as stale", 20, () -> owner.engine().workloadIds().isEmpty());
        await("the guardian stops healing", 20, () -> !heals(g2, id));

        // The first guardian and the first replacement come back: their replica is stale as well.
        cut(g1, false);
        cut(x1, false);
        await("exactly the wanted replica runs in the whole mesh", 30, () -> pods() == 1
                && x2.engine().workloadIds().size() == 1);
        List<WorkloadService.ReplicaRow> rows = owner.service().get("web", Duration.ofSeconds(2));
        assertEquals(1, rows.size(), rows.toString());
        assertEquals(x2.id().toString(), rows.get(0).node());
        assertEquals("Running", rows.get(0).state());
        List<String> kinds = owner.service().events("web").stream().map(MachineMessage.WorkloadEvent::kind).toList();
        assertTrue(kinds.contains("HandedBack"), kinds.toString());

        // A delete by the owner removes the replica a guardian placed, and the guardians forget the task.
        owner.service().delete("web").get(10, TimeUnit.SECONDS);
        await("no pod anywhere", 20, () -> pods() == 0);
        await("the guardians forget the task", 20, () -> g1.store().guarded(id).isEmpty()
                && g2.store().guarded(id).isEmpty());
    }

    @Test
    void onlyAGuardiansDelegatedCapabilityOpensTheShares() throws Exception {
        String id = applyAndWaitForGuardians();
        OwnedTask t = MachinePlaneTest.task(owner, id);
        List<PeerId> guardians = Guardians.ofStrings(t.holders(), owner.id());
        TestNode guardian = byId(guardians.get(0));
        TestNode stranger = workers.stream().filter(w -> !guardians.contains(w.id())).findFirst().orElseThrow();
        TestNode winner = workers.stream().filter(w -> !guardians.contains(w.id()) && w != stranger).findFirst()
                .orElseThrow();
        TestNode holder = byId(PeerId.parse(t.holders().stream().filter(h -> !h.equals(owner.id().toString()))
                .findFirst().orElseThrow()));
        String resource = ShareHolder.resource(id, t.generation());
        byte[] healToken = guardian.store().guarded(id).orElseThrow().healToken();
        Instant now = Instant.now();
        Capability forWinner = new Capability(guardian.id(), winner.id(), resource, Set.of(ShareHolder.SHARE_ACTION),
                now.minusSeconds(1), now.plusSeconds(120), Map.of());

        // The guardian's delegation is taken by the holders unchanged.
        byte[] delegated = guardian.capabilities().delegate(healToken, forWinner);
        assertEquals("", askShare(winner, holder, id, t.generation(), delegated).refusal());

        // Not a guardian: it cannot delegate the guardian's token, and what it issues itself is refused.
        Capability fromStranger = new Capability(stranger.id(), winner.id(), resource,
                Set.of(ShareHolder.SHARE_ACTION), now.minusSeconds(1), now.plusSeconds(120), Map.of());
        CryptoException e = assertThrows(CryptoException.class,
                () -> stranger.capabilities().delegate(healToken, fromStranger));
        assertTrue(e.getMessage().contains("audience"), e.getMessage());
        byte[] own = stranger.capabilities().issue(fromStranger);
        String refusal = askShare(winner, holder, id, t.generation(), own).refusal();
        assertTrue(refusal.contains("not by the trusted issuer"), refusal);
        // Nor can it present the guardian's heal token itself.
        String stolen = askShare(stranger, holder, id, t.generation(), healToken).refusal();
        assertTrue(stolen.contains("granted to " + guardian.id()), stolen);
    }

    /** {@code asker} presents {@code token} to {@code holder} for a share, as an awarded node does. */
    private ShareGrant askShare(TestNode asker, TestNode holder, String taskId, long generation, byte[] token)
            throws Exception {
        MachineWire wire = asker.node().context().wire();
        ShareGrant challenge = (ShareGrant) wire.call(holder.id(), new ShareRequest(taskId, generation, asker.id(),
                token, new byte[0], new byte[0]), Duration.ofSeconds(3)).get(5, TimeUnit.SECONDS).orElseThrow();
        byte[] signature = asker.capabilities().present(token, challenge.challenge());
        return (ShareGrant) wire.call(holder.id(), new ShareRequest(taskId, generation, asker.id(), token,
                challenge.challenge(), signature), Duration.ofSeconds(3)).get(5, TimeUnit.SECONDS).orElseThrow();
    }

    @Test
    void forgedAndForeignTaskRecordsAreRefused() throws Exception {
        String id = applyAndWaitForGuardians();
        List<PeerId> guardians = Guardians.ofStrings(MachinePlaneTest.task(owner, id).holders(), owner.id());
        TestNode guardian = byId(guardians.get(0));
        TestNode evil = workers.stream().filter(w -> !guardians.contains(w.id())).findFirst().orElseThrow();
        GuardedTask kept = guardian.store().guarded(id).orElseThrow();
        TaskRecord real = guardian.node().guardians().tasks().record(kept, System.currentTimeMillis());
        List<MachineMessage.TaskAssignment> none = List.of();
        byte[] evilToken = evil.capabilities().issue(new Capability(evil.id(), guardian.id(),
                ShareHolder.resource(id, kept.generation()), Set.of(ShareHolder.SHARE_ACTION, Guardians.HEAL_ACTION),
                Instant.now().minusSeconds(1), Instant.now().plusSeconds(600), Map.of()));

        // Signed by another node than the owner it names: the envelope does not open.
        TaskRecord asOwner = withSender(real, owner.id(), none, evilToken);
        ExecutionException forged = assertThrows(ExecutionException.class, () -> mesh.mesh.inject(evil.id(),
                guardian.id(), SignedMessages.sign(evil.signer(), asOwner)).get(5, TimeUnit.SECONDS));
        assertTrue(forged.getCause().getMessage().contains("author"), forged.getCause().getMessage());
        // Signed by itself, as a "fellow guardian" it is not: refused.
        TaskRecord asGuardian = withSender(real, evil.id(), none, new byte[0]);
        ExecutionException foreign = assertThrows(ExecutionException.class, () -> evil.node().context().wire()
                .call(guardian.id(), asGuardian, Duration.ofSeconds(3)).get(5, TimeUnit.SECONDS));
        assertTrue(foreign.getCause().getMessage().contains("not a fellow guardian"), foreign.getCause().getMessage());

        GuardedTask after = guardian.store().guarded(id).orElseThrow();
        assertEquals(Guardians.placement(kept.assignments()), Guardians.placement(after.assignments()),
                "the guardian's record is unchanged");
        assertEquals(kept.owner(), after.owner());
        Optional<OwnedTask> stillOwned = owner.store().task(id);
        assertTrue(stillOwned.isPresent());
    }

    private static TaskRecord withSender(TaskRecord r, PeerId sender, List<MachineMessage.TaskAssignment> assignments,
                                         byte[] healToken) {
        return new TaskRecord(r.taskId(), r.generation(), r.owner(), r.tenant(), r.name(), r.replicas(), r.cpuMillis(),
                r.memoryBytes(), r.manifestNonce(), r.manifestCiphertext(), r.holders(), r.threshold(), r.guardians(),
                assignments, healToken, sender, System.currentTimeMillis());
    }
}

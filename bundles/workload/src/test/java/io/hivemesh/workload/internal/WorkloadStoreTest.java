package io.hivemesh.workload.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.protocol.MachineMessage.Port;
import io.hivemesh.workload.internal.WorkloadStore.Assignment;
import io.hivemesh.workload.internal.WorkloadStore.GuardedTask;
import io.hivemesh.workload.internal.WorkloadStore.HeldShare;
import io.hivemesh.workload.internal.WorkloadStore.OwnedTask;
import io.hivemesh.workload.internal.WorkloadStore.RunningReplica;
import io.hivemesh.workload.internal.WorkloadStore.Tombstone;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class WorkloadStoreTest {
    private static final PeerId OWNER = TestPeers.peer(1);
    private static final PeerId NODE_A = TestPeers.peer(2);
    private static final PeerId NODE_B = TestPeers.peer(3);
    private static final String TASK = TaskIds.taskId("default", "web");
    private static final String OTHER = TaskIds.taskId("default", "api");

    @TempDir
    Path dir;

    private WorkloadStore open() {
        return WorkloadStore.open(dir.resolve("workload"));
    }

    private static OwnedTask task(String id, long generation) {
        Assignment a = new Assignment(0, NODE_A.toString(), generation, "Running", "",
                List.of(new Port("nginx", 80, "tcp", "0.0.0.0", 30080)), 1_000L);
        Assignment b = new Assignment(1, NODE_B.toString(), generation, "Awarded", "waiting", List.of(), 1_001L);
        return new OwnedTask(id, "default", "web", generation, 2, "ab".repeat(32), new byte[] {1, 2, 3},
                new byte[] {4, 5, 6, 7}, new byte[] {8, 9}, 250, 64L << 20, List.of(a, b),
                List.of(NODE_A.toString(), NODE_B.toString()), 2, 500L, 1_002L);
    }

    private static void assertSameTask(OwnedTask expected, OwnedTask actual) {
        assertEquals(expected.taskId(), actual.taskId());
        assertEquals(expected.tenant(), actual.tenant());
        assertEquals(expected.name(), actual.name());
        assertEquals(expected.generation(), actual.generation());
        assertEquals(expected.replicas(), actual.replicas());
        assertEquals(expected.manifestSha256(), actual.manifestSha256());
        assertArrayEquals(expected.manifestNonce(), actual.manifestNonce());
        assertArrayEquals(expected.manifestCiphertext(), actual.manifestCiphertext());
        assertArrayEquals(expected.sealedManifestKey(), actual.sealedManifestKey());
        assertEquals(expected.cpuMillis(), actual.cpuMillis());
        assertEquals(expected.memoryBytes(), actual.memoryBytes());
        assertEquals(expected.assignments(), actual.assignments());
        assertEquals(expected.holders(), actual.holders());
        assertEquals(expected.threshold(), actual.threshold());
        assertEquals(expected.createdMillis(), actual.createdMillis());
        assertEquals(expected.updatedMillis(), actual.updatedMillis());
    }

    private static RunningReplica replica(String taskId, long generation, int replica) {
        return new RunningReplica(taskId, generation, replica, OWNER.toString(),
                TaskIds.runtimeId(taskId, generation, replica, NODE_A), 250, 64L << 20, "Collecting", "", 2_000L);
    }

    @Test
    void everyKindSurvivesARestart() {
        WorkloadStore s = open();
        OwnedTask t = task(TASK, 3);
        s.putTask(t);
        s.putShare(new HeldShare(TASK, 3, OWNER.toString(), 2, new byte[] {7, 7, 7}, 3_000L));
        s.putShare(new HeldShare(TASK, 4, OWNER.toString(), 1, new byte[] {8}, 3_001L));
        s.putReplica(replica(TASK, 3, 1).withState("Running", "started"));
        s.putTombstone(new Tombstone(OTHER, 5, OWNER.toString(), 4_000L));
        s.recordGeneration(TASK, 4);

        WorkloadStore r = open();
        assertTrue(r.problems().isEmpty(), r.problems().toString());
        assertSameTask(t, r.task(TASK).orElseThrow());
        assertEquals(1, r.tasks().size());
        HeldShare h = r.share(TASK, 3).orElseThrow();
        assertEquals(OWNER.toString(), h.owner());
        assertEquals(2, h.index());
        assertArrayEquals(new byte[] {7, 7, 7}, h.sealedShare());
        assertEquals(3_000L, h.receivedMillis());
        assertArrayEquals(new byte[] {8}, r.share(TASK, 4).orElseThrow().sealedShare());
        assertEquals(2, r.shares().size());
        assertEquals(List.of(replica(TASK, 3, 1).withState("Running", "started")), r.replicas());
        assertEquals(replica(TASK, 3, 1).withState("Running", "started"), r.replica(TASK, 3, 1).orElseThrow());
        assertEquals(new Tombstone(OTHER, 5, OWNER.toString(), 4_000L), r.tombstone(OTHER).orElseThrow());
        assertEquals(1, r.tombstones().size());
        assertEquals(4, r.highestGeneration(TASK));
        assertEquals(5, r.highestGeneration(OTHER));
    }

    @Test
    void aGuardedTaskSurvivesARestartAndGoesWhenRemoved() {
        OwnedTask t = task(TASK, 4);
        GuardedTask g = new GuardedTask(TASK, 4, OWNER.toString(), "default", "web", 2, 250, 64L << 20,
                new byte[] {1, 2, 3}, new byte[] {4, 5, 6, 7}, List.of(OWNER.toString(), NODE_A.toString()), 2,
                List.of(NODE_A.toString()), t.assignments(), new byte[] {9, 9}, true, 77L, 100L, 200L);
        open().putGuarded(g);
        GuardedTask back = open().guarded(TASK).orElseThrow();
        assertEquals(g.owner(), back.owner());
        assertEquals(g.guardians(), back.guardians());
        assertEquals(g.holders(), back.holders());
        assertEquals(g.assignments(), back.assignments());
        assertArrayEquals(g.healToken(), back.healToken());
        assertArrayEquals(g.manifestCiphertext(), back.manifestCiphertext());
        assertTrue(back.healer());
        assertEquals(77L, back.handbackAtMillis());
        assertEquals(0L, back.withAssignments(List.of(), false, 300L).handbackAtMillis(),
                "no longer healing: no hand-back pending");
        assertThrows(IllegalArgumentException.class, () -> new GuardedTask(TASK, 4, "not-a-peer", "default", "web",
                2, 250, 1, new byte[0], new byte[0], List.of(), 1, List.of(), List.of(), new byte[0], false, 0, 0, 0));
        WorkloadStore s = open();
        assertTrue(s.removeGuarded(TASK));
        assertTrue(open().guardedTasks().isEmpty());
    }

    @Test
    void removalsSurviveARestart() {
        WorkloadStore s = open();
        s.putTask(task(TASK, 1));
        s.putShare(new HeldShare(TASK, 1, OWNER.toString(), 0, new byte[] {1}, 1L));
        s.putReplica(replica(TASK, 1, 0));
        s.putTombstone(new Tombstone(TASK, 1, OWNER.toString(), 1L));
        assertTrue(s.removeTask(TASK));
        assertTrue(s.removeShare(TASK, 1));
        assertTrue(s.removeReplica(TASK, 1, 0));
        assertTrue(s.removeTombstone(TASK));
        assertFalse(s.removeTask(TASK));
        assertFalse(s.removeReplica(TASK, 1, 1));

        WorkloadStore r = open();
        assertTrue(r.tasks().isEmpty());
        assertTrue(r.shares().isEmpty());
        assertTrue(r.replicas().isEmpty());
        assertTrue(r.tombstones().isEmpty());
        assertEquals(1, r.highestGeneration(TASK), "the generation stays known after the task is gone");
    }

    @Test
    void bytesAreBase64AndPeersStringsOnDisk() throws Exception {
        WorkloadStore s = open();
        s.putTask(task(TASK, 1));
        String json = Files.readString(dir.resolve("workload/tasks/" + TASK + ".json"));
        assertTrue(json.contains("\"manifestCiphertext\":\"" + Base64.getEncoder().encodeToString(new byte[] {4, 5, 6, 7})
                + "\""), json);
        assertTrue(json.contains("\"node\":\"" + NODE_A + "\""), json);
    }

    @Test
    void generationsNeverGoDown() {
        WorkloadStore s = open();
        assertEquals(0, s.highestGeneration(TASK));
        assertEquals(5, s.recordGeneration(TASK, 5));
        assertEquals(5, s.recordGeneration(TASK, 3));
        assertEquals(5, s.highestGeneration(TASK));
        s.putTask(task(TASK, 7));
        assertEquals(7, s.highestGeneration(TASK), "storing a task records its generation");
        s.putTask(task(TASK, 2));
        assertEquals(7, s.highestGeneration(TASK));
        s.putReplica(replica(OTHER, 9, 0));
        assertEquals(9, s.highestGeneration(OTHER), "storing a replica records its generation");
        assertEquals(7, open().highestGeneration(TASK));
        assertEquals(0, open().highestGeneration("unknown"));
    }

    @Test
    void aLostGenerationFileIsRebuiltFromTheRecords() throws Exception {
        WorkloadStore s = open();
        s.putTask(task(TASK, 6));
        s.putTombstone(new Tombstone(OTHER, 4, OWNER.toString(), 1L));
        Files.writeString(dir.resolve("workload/generations/" + TASK + ".json"), "{\"taskId\":");
        Files.delete(dir.resolve("workload/generations/" + OTHER + ".json"));

        WorkloadStore r = open();
        assertEquals(6, r.highestGeneration(TASK));
        assertEquals(4, r.highestGeneration(OTHER));
        assertEquals(1, r.problems().size(), r.problems().toString());
        assertTrue(r.problems().get(0).contains("generations/" + TASK + ".json"), r.problems().toString());
    }

    @Test
    void tombstonesBarTheirGenerationAndBelowAndNeverGoDown() {
        WorkloadStore s = open();
        assertFalse(s.isTombstoned(TASK, 1));
        assertEquals(4, s.putTombstone(new Tombstone(TASK, 4, OWNER.toString(), 10L)).generation());
        assertTrue(s.isTombstoned(TASK, 4));
        assertTrue(s.isTombstoned(TASK, 1));
        assertFalse(s.isTombstoned(TASK, 5), "a later generation (a new apply) is not deleted");
        assertFalse(s.isTombstoned(OTHER, 1));
        Tombstone kept = s.putTombstone(new Tombstone(TASK, 2, OWNER.toString(), 20L));
        assertEquals(new Tombstone(TASK, 4, OWNER.toString(), 10L), kept, "a replayed older delete changes nothing");
        assertEquals(4, s.highestGeneration(TASK), "a tombstone records its generation");
        assertEquals(6, s.putTombstone(new Tombstone(TASK, 6, OWNER.toString(), 30L)).generation());

        WorkloadStore r = open();
        assertTrue(r.isTombstoned(TASK, 6));
        assertFalse(r.isTombstoned(TASK, 7));
        assertTrue(r.removeTombstone(TASK));
        assertFalse(r.isTombstoned(TASK, 1));
        assertFalse(open().isTombstoned(TASK, 1));
        assertEquals(6, open().highestGeneration(TASK));
    }

    @Test
    void aTempFileLeftByACrashIsIgnoredAndCleaned() throws Exception {
        WorkloadStore s = open();
        s.putTask(task(TASK, 1));
        Path tasks = dir.resolve("workload/tasks");
        Files.writeString(tasks.resolve("." + TASK + ".json.abc" + AtomicFiles.TEMP_SUFFIX), "{\"taskId\":\"" + TASK);

        WorkloadStore r = open();
        assertSameTask(task(TASK, 1), r.task(TASK).orElseThrow());
        assertTrue(r.problems().isEmpty(), r.problems().toString());
        try (Stream<Path> files = Files.list(tasks)) {
            assertEquals(List.of(TASK + ".json"), files.map(p -> p.getFileName().toString()).toList());
        }
    }

    @Test
    void corruptFilesAreSetAsideAndTheRestLoads() throws Exception {
        WorkloadStore s = open();
        s.putTask(task(TASK, 1));
        s.putReplica(replica(TASK, 1, 0));
        Path tasks = dir.resolve("workload/tasks");
        Files.writeString(tasks.resolve(OTHER + ".json"), "{\"taskId\":\"" + OTHER + "\",\"tenant\":");
        RunningReplica bad = replica(OTHER, 1, 0);
        Path replicas = dir.resolve("workload/replicas");
        String badOwner = Files.readString(replicas.resolve(JsonRecordDir.fileName(TASK + "-g1-r0")))
                .replace(OWNER.toString(), "not-a-peer");
        Files.writeString(replicas.resolve(JsonRecordDir.fileName(bad.taskId() + "-g1-r0")), badOwner);

        WorkloadStore r = open();
        assertEquals(List.of(TASK), r.tasks().stream().map(OwnedTask::taskId).toList());
        assertEquals(1, r.replicas().size());
        assertEquals(2, r.problems().size(), r.problems().toString());
        assertTrue(Files.exists(tasks.resolve(OTHER + ".json.corrupt")));
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("not a valid OwnedTask")), r.problems().toString());
        assertTrue(r.problems().stream().anyMatch(p -> p.contains("RunningReplica")), r.problems().toString());
        assertTrue(open().problems().isEmpty());
    }

    @Test
    void recordsCheckTheirFieldsAndCopyTheirBytes() {
        assertThrows(IllegalArgumentException.class, () -> new Tombstone(TASK, 1, "nobody", 1L));
        assertThrows(NullPointerException.class, () -> new HeldShare(TASK, 1, OWNER.toString(), 0, null, 1L));
        assertThrows(IllegalArgumentException.class, () -> new Assignment(-1, NODE_A.toString(), 1, "Running", "",
                List.of(), 1L));
        byte[] share = {1, 2};
        HeldShare h = new HeldShare(TASK, 1, OWNER.toString(), 0, share, 1L);
        share[0] = 9;
        h.sealedShare()[1] = 9;
        assertArrayEquals(new byte[] {1, 2}, h.sealedShare());
    }

    @Test
    void withMethodsChangeOnlyWhatTheyName() {
        OwnedTask t = task(TASK, 2);
        OwnedTask moved = t.withAssignments(List.of(), 9_999L);
        assertEquals(List.of(), moved.assignments());
        assertEquals(9_999L, moved.updatedMillis());
        assertSameTask(t, moved.withAssignments(t.assignments(), t.updatedMillis()));
        OwnedTask held = t.withHolders(List.of(NODE_B.toString()), 1, 8_888L);
        assertEquals(List.of(NODE_B.toString()), held.holders());
        assertEquals(1, held.threshold());
        assertEquals(t.assignments(), held.assignments());
        RunningReplica r = replica(TASK, 2, 0).withState("Failed", "oom");
        assertEquals("Failed", r.state());
        assertEquals("oom", r.reason());
        assertEquals(replica(TASK, 2, 0).runtimeId(), r.runtimeId());
    }

    @Test
    void concurrentPutsFromSeveralThreadsAreAllKept() throws Exception {
        WorkloadStore s = open();
        int threads = 4;
        int perThread = 20;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Callable<Void>> jobs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                int thread = t;
                jobs.add(() -> {
                    for (int i = 0; i < perThread; i++) {
                        long g = thread * perThread + i + 1;
                        s.putReplica(replica(TASK, g, thread));
                        s.recordGeneration(OTHER, g);
                        s.putTombstone(new Tombstone(OTHER, g, OWNER.toString(), g));
                    }
                    return null;
                });
            }
            for (Future<Void> f : pool.invokeAll(jobs, 120, TimeUnit.SECONDS)) {
                f.get(1, TimeUnit.SECONDS);
            }
        } finally {
            pool.shutdownNow();
            assertTrue(pool.awaitTermination(30, TimeUnit.SECONDS));
        }
        long top = threads * perThread;
        WorkloadStore r = open();
        assertEquals(threads * perThread, r.replicas().size());
        assertEquals(top, r.highestGeneration(TASK));
        assertEquals(top, r.highestGeneration(OTHER));
        assertEquals(top, r.tombstone(OTHER).orElseThrow().generation(), "the highest tombstone wins any race");
    }
}

package io.hivemesh.workload.internal;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.protocol.MachineMessage.Port;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * The machine plane's state on disk, under one directory: tasks this node owns, key shares it
 * holds, replicas it runs, tombstones of deleted tasks, the highest generation seen per task and
 * the tasks it guards, each kind in its own {@link JsonRecordDir} (sub-directories {@code tasks},
 * {@code shares}, {@code replicas}, {@code tombstones}, {@code generations}, {@code guarded}),
 * one JSON file per record, every write
 * atomic and durable when the method returns. {@link #open} loads everything; files that cannot
 * be loaded are set aside and listed in {@link #problems()}. Generations never go down: storing a
 * task, replica or tombstone also records its generation. Thread-safe. PeerIds are kept as their
 * strings (checked to parse), byte arrays as base64; the records hold no plaintext secret (the
 * manifest key is sealed to the owner, shares stay sealed to the holder).
 */
public final class WorkloadStore {
    private final Path dir;
    private final JsonRecordDir<OwnedTask> tasks;
    private final JsonRecordDir<HeldShare> shares;
    private final JsonRecordDir<RunningReplica> replicas;
    private final JsonRecordDir<Tombstone> tombstones;
    private final JsonRecordDir<Generation> generations;
    private final JsonRecordDir<GuardedTask> guarded;
    private final Object generationLock = new Object();

    private WorkloadStore(Path dir) {
        ObjectMapper json = JsonMapper.builder()
                .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .build();
        this.dir = dir;
        this.tasks = JsonRecordDir.open(dir.resolve("tasks"), OwnedTask.class, OwnedTask::taskId, json);
        this.shares = JsonRecordDir.open(dir.resolve("shares"), HeldShare.class,
                s -> shareKey(s.taskId(), s.generation()), json);
        this.replicas = JsonRecordDir.open(dir.resolve("replicas"), RunningReplica.class,
                r -> replicaKey(r.taskId(), r.generation(), r.replica()), json);
        this.tombstones = JsonRecordDir.open(dir.resolve("tombstones"), Tombstone.class, Tombstone::taskId, json);
        this.generations = JsonRecordDir.open(dir.resolve("generations"), Generation.class, Generation::taskId, json);
        this.guarded = JsonRecordDir.open(dir.resolve("guarded"), GuardedTask.class, GuardedTask::taskId, json);
    }

    /** Opens the store under {@code dir} (created if absent) and loads it; a generation file lost is rebuilt. */
    public static WorkloadStore open(Path dir) {
        WorkloadStore s = new WorkloadStore(Objects.requireNonNull(dir, "dir"));
        s.tasks.list().forEach(t -> s.recordGeneration(t.taskId(), t.generation()));
        s.replicas.list().forEach(r -> s.recordGeneration(r.taskId(), r.generation()));
        s.tombstones.list().forEach(t -> s.recordGeneration(t.taskId(), t.generation()));
        return s;
    }

    /** The store's directory. */
    public Path directory() {
        return dir;
    }

    /** Files set aside at load, one line each naming the file and what was wrong. */
    public List<String> problems() {
        List<String> all = new ArrayList<>();
        for (JsonRecordDir<?> d : List.of(tasks, shares, replicas, tombstones, generations, guarded)) {
            all.addAll(d.problems());
        }
        return all;
    }

    // Owned tasks (owner side), by task id.

    public void putTask(OwnedTask t) {
        tasks.put(t);
        recordGeneration(t.taskId(), t.generation());
    }

    public Optional<OwnedTask> task(String taskId) {
        return tasks.get(taskId);
    }

    public List<OwnedTask> tasks() {
        return tasks.list();
    }

    public boolean removeTask(String taskId) {
        return tasks.remove(taskId);
    }

    // Held key shares (holder side), by task id and generation.

    public void putShare(HeldShare s) {
        shares.put(s);
    }

    public Optional<HeldShare> share(String taskId, long generation) {
        return shares.get(shareKey(taskId, generation));
    }

    public List<HeldShare> shares() {
        return shares.list();
    }

    public boolean removeShare(String taskId, long generation) {
        return shares.remove(shareKey(taskId, generation));
    }

    // Running replicas (worker side), by task id, generation and replica index.

    public void putReplica(RunningReplica r) {
        replicas.put(r);
        recordGeneration(r.taskId(), r.generation());
    }

    public Optional<RunningReplica> replica(String taskId, long generation, int replica) {
        return replicas.get(replicaKey(taskId, generation, replica));
    }

    public List<RunningReplica> replicas() {
        return replicas.list();
    }

    public boolean removeReplica(String taskId, long generation, int replica) {
        return replicas.remove(replicaKey(taskId, generation, replica));
    }

    // Tombstones, by task id.

    /**
     * Stores {@code t} unless a tombstone of the task at a higher generation is there already (a
     * replayed older delete never lowers it); returns the tombstone now in force.
     */
    public Tombstone putTombstone(Tombstone t) {
        synchronized (generationLock) {
            Optional<Tombstone> old = tombstones.get(t.taskId());
            if (old.isPresent() && old.get().generation() >= t.generation()) {
                return old.get();
            }
            tombstones.put(t);
            recordGeneration(t.taskId(), t.generation());
            return t;
        }
    }

    public Optional<Tombstone> tombstone(String taskId) {
        return tombstones.get(taskId);
    }

    public List<Tombstone> tombstones() {
        return tombstones.list();
    }

    /** Lifts the task's tombstone (its owner applies it again, at a higher generation). */
    public boolean removeTombstone(String taskId) {
        synchronized (generationLock) {
            return tombstones.remove(taskId);
        }
    }

    /** Whether generation {@code generation} of the task is deleted (a tombstone at it or above). */
    public boolean isTombstoned(String taskId, long generation) {
        return tombstones.get(taskId).map(t -> generation <= t.generation()).orElse(false);
    }

    // Tasks this node guards for their owner (guardian side), by task id.

    public void putGuarded(GuardedTask g) {
        guarded.put(g);
    }

    public Optional<GuardedTask> guarded(String taskId) {
        return guarded.get(taskId);
    }

    public List<GuardedTask> guardedTasks() {
        return guarded.list();
    }

    public boolean removeGuarded(String taskId) {
        return guarded.remove(taskId);
    }

    // Highest generation seen, by task id.

    /** The highest generation recorded for the task; 0 when none. */
    public long highestGeneration(String taskId) {
        return generations.get(taskId).map(Generation::highest).orElse(0L);
    }

    /** Records that {@code generation} of the task was seen; never lowers it. Returns the highest now. */
    public long recordGeneration(String taskId, long generation) {
        synchronized (generationLock) {
            long highest = highestGeneration(taskId);
            if (generation > highest) {
                generations.put(new Generation(taskId, generation));
                return generation;
            }
            return highest;
        }
    }

    static String shareKey(String taskId, long generation) {
        return taskId + "-g" + generation;
    }

    static String replicaKey(String taskId, long generation, int replica) {
        return taskId + "-g" + generation + "-r" + replica;
    }

    private static String peer(String what, String value) {
        Objects.requireNonNull(value, what);
        try {
            PeerId.parse(value);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(what + " '" + value + "' is not a PeerId: " + e.getMessage(), e);
        }
        return value;
    }

    private static List<String> peers(String what, List<String> values) {
        List<String> out = values == null ? List.of() : List.copyOf(values);
        out.forEach(v -> peer(what, v));
        return out;
    }

    private static void notNegative(String what, long value) {
        if (value < 0) {
            throw new IllegalArgumentException(what + " " + value + " is negative");
        }
    }

    /**
     * A task this node owns: the manifest encrypted under the generation's key ({@code manifestNonce},
     * {@code manifestCiphertext}), that key sealed to this node itself, what each replica needs, which
     * node has which replica, and the share holders of the generation's key ({@code threshold} of them
     * open it). {@code manifestSha256} (hex) tells a re-apply of the same manifest.
     */
    public record OwnedTask(String taskId, String tenant, String name, long generation, int replicas,
                            String manifestSha256, byte[] manifestNonce, byte[] manifestCiphertext,
                            byte[] sealedManifestKey, long cpuMillis, long memoryBytes, List<Assignment> assignments,
                            List<String> holders, int threshold, long createdMillis, long updatedMillis) {
        public OwnedTask {
            Objects.requireNonNull(taskId, "taskId");
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(manifestSha256, "manifestSha256");
            notNegative("generation", generation);
            notNegative("replicas", replicas);
            manifestNonce = Objects.requireNonNull(manifestNonce, "manifestNonce").clone();
            manifestCiphertext = Objects.requireNonNull(manifestCiphertext, "manifestCiphertext").clone();
            sealedManifestKey = Objects.requireNonNull(sealedManifestKey, "sealedManifestKey").clone();
            assignments = assignments == null ? List.of() : List.copyOf(assignments);
            holders = peers("holder", holders);
        }

        @Override
        public byte[] manifestNonce() {
            return manifestNonce.clone();
        }

        @Override
        public byte[] manifestCiphertext() {
            return manifestCiphertext.clone();
        }

        @Override
        public byte[] sealedManifestKey() {
            return sealedManifestKey.clone();
        }

        /** This task with {@code next} as its assignments, updated at {@code nowMillis}. */
        public OwnedTask withAssignments(List<Assignment> next, long nowMillis) {
            return new OwnedTask(taskId, tenant, name, generation, replicas, manifestSha256, manifestNonce,
                    manifestCiphertext, sealedManifestKey, cpuMillis, memoryBytes, next, holders, threshold,
                    createdMillis, nowMillis);
        }

        /** This task with its generation's share holders and threshold, updated at {@code nowMillis}. */
        public OwnedTask withHolders(List<String> nextHolders, int nextThreshold, long nowMillis) {
            return new OwnedTask(taskId, tenant, name, generation, replicas, manifestSha256, manifestNonce,
                    manifestCiphertext, sealedManifestKey, cpuMillis, memoryBytes, assignments, nextHolders,
                    nextThreshold, createdMillis, nowMillis);
        }
    }

    /** Replica {@code replica} of generation {@code generation} is on {@code node}, in {@code state} as last reported. */
    public record Assignment(int replica, String node, long generation, String state, String reason, List<Port> ports,
                             long lastReportMillis) {
        public Assignment {
            notNegative("replica", replica);
            peer("node", node);
            Objects.requireNonNull(state, "state");
            reason = reason == null ? "" : reason;
            ports = ports == null ? List.of() : List.copyOf(ports);
        }
    }

    /** A key share this node holds, still sealed to it as {@code owner} deposited it. */
    public record HeldShare(String taskId, long generation, String owner, int index, byte[] sealedShare,
                            long receivedMillis) {
        public HeldShare {
            Objects.requireNonNull(taskId, "taskId");
            peer("owner", owner);
            sealedShare = Objects.requireNonNull(sealedShare, "sealedShare").clone();
        }

        @Override
        public byte[] sealedShare() {
            return sealedShare.clone();
        }
    }

    /** A replica this node runs (or is starting) for {@code owner}, under runtime workload id {@code runtimeId}. */
    public record RunningReplica(String taskId, long generation, int replica, String owner, String runtimeId,
                                 long cpuMillis, long memoryBytes, String state, String reason, long createdMillis) {
        public RunningReplica {
            Objects.requireNonNull(taskId, "taskId");
            notNegative("replica", replica);
            peer("owner", owner);
            Objects.requireNonNull(runtimeId, "runtimeId");
            Objects.requireNonNull(state, "state");
            reason = reason == null ? "" : reason;
        }

        /** This replica in {@code nextState} for {@code nextReason}. */
        public RunningReplica withState(String nextState, String nextReason) {
            return new RunningReplica(taskId, generation, replica, owner, runtimeId, cpuMillis, memoryBytes, nextState,
                    nextReason, createdMillis);
        }
    }

    /** Task {@code taskId} was deleted by {@code owner} at {@code generation}: nothing at or below it comes back. */
    public record Tombstone(String taskId, long generation, String owner, long atMillis) {
        public Tombstone {
            Objects.requireNonNull(taskId, "taskId");
            peer("owner", owner);
        }
    }

    /**
     * A task this node guards: the owner's last task record (encrypted manifest, holders,
     * assignments) and the heal capability the owner issued to this node. {@code healer}: this node
     * took over healing and the owner has not taken the task back yet; {@code handbackAtMillis}:
     * the owner record (its time) answered with this node's assignments, 0 if none yet;
     * {@code ownerHeardMillis}: when the owner last sent a record.
     */
    public record GuardedTask(String taskId, long generation, String owner, String tenant, String name, int replicas,
                              long cpuMillis, long memoryBytes, byte[] manifestNonce, byte[] manifestCiphertext,
                              List<String> holders, int threshold, List<String> guardians,
                              List<Assignment> assignments, byte[] healToken, boolean healer, long handbackAtMillis,
                              long ownerHeardMillis, long updatedMillis) {
        public GuardedTask {
            Objects.requireNonNull(taskId, "taskId");
            notNegative("generation", generation);
            peer("owner", owner);
            Objects.requireNonNull(tenant, "tenant");
            Objects.requireNonNull(name, "name");
            notNegative("replicas", replicas);
            manifestNonce = Objects.requireNonNull(manifestNonce, "manifestNonce").clone();
            manifestCiphertext = Objects.requireNonNull(manifestCiphertext, "manifestCiphertext").clone();
            holders = peers("holder", holders);
            guardians = peers("guardian", guardians);
            assignments = assignments == null ? List.of() : List.copyOf(assignments);
            healToken = Objects.requireNonNull(healToken, "healToken").clone();
        }

        @Override
        public byte[] manifestNonce() {
            return manifestNonce.clone();
        }

        @Override
        public byte[] manifestCiphertext() {
            return manifestCiphertext.clone();
        }

        @Override
        public byte[] healToken() {
            return healToken.clone();
        }

        /** This record with {@code next} as its assignments, as {@code healer} or not. */
        public GuardedTask withAssignments(List<Assignment> next, boolean nextHealer, long nowMillis) {
            return new GuardedTask(taskId, generation, owner, tenant, name, replicas, cpuMillis, memoryBytes,
                    manifestNonce, manifestCiphertext, holders, threshold, guardians, next, healToken, nextHealer,
                    nextHealer ? handbackAtMillis : 0, ownerHeardMillis, nowMillis);
        }

        /** This record after answering the owner's record of {@code ownerRecordMillis} with a hand-back. */
        public GuardedTask handedBack(long ownerRecordMillis, long nowMillis) {
            return new GuardedTask(taskId, generation, owner, tenant, name, replicas, cpuMillis, memoryBytes,
                    manifestNonce, manifestCiphertext, holders, threshold, guardians, assignments, healToken, healer,
                    ownerRecordMillis, nowMillis, nowMillis);
        }
    }

    /** The highest generation of a task seen. */
    public record Generation(String taskId, long highest) {
        public Generation {
            Objects.requireNonNull(taskId, "taskId");
            notNegative("generation", highest);
        }
    }
}

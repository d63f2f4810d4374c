package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.ContentRouting;
import io.hivemesh.api.runtime.DeployConfig;
import io.hivemesh.api.runtime.NoSuchWorkloadException;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.RuntimeEngines;
import io.hivemesh.api.runtime.WorkloadStatus;
import io.hivemesh.protocol.MachineMessage;
import io.hivemesh.protocol.MachineMessage.Award;
import io.hivemesh.protocol.MachineMessage.Bid;
import io.hivemesh.protocol.MachineMessage.Delete;
import io.hivemesh.protocol.MachineMessage.Deploy;
import io.hivemesh.protocol.MachineMessage.DeployResult;
import io.hivemesh.protocol.MachineMessage.ReplicaRef;
import io.hivemesh.protocol.MachineMessage.Tender;
import io.hivemesh.protocol.MachineMessage.WorkloadEvent;
import io.hivemesh.workload.internal.WorkloadStore.RunningReplica;
import io.hivemesh.workload.internal.WorkloadStore.Tombstone;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Clock;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;

/**
 * The worker role: bids on tenders it has room for, takes awards for tenders it bid on, gathers
 * the key shares, opens and deploys the manifest on its runtime engine (one replica, labelled with
 * this node), announces itself as a provider of the task, and removes replicas when their owner
 * says so. What it runs is on disk ({@link RunningReplica}) before the runtime is touched.
 */
public final class WorkerReplicas {
    private static final Logger LOG = LoggerFactory.getLogger(WorkerReplicas.class);
    private static final int REMEMBERED_TENDERS = 1024;
    /** Record states of replicas in flight, which the status loop leaves alone. */
    static final String COLLECTING = "Collecting";
    static final String DEPLOYING = "Deploying";
    static final String REMOVING = "Removing";

    private final MachineContext ctx;
    private final ShareCollector collector;
    private final Executor executor;
    private final ReplicaRuntime runtime;
    /** Tenders this node bid on, by task/generation/replica-set: an award is taken only for one of them. */
    private final Map<String, Tender> bidOn = new LinkedHashMap<>(16, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Tender> e) {
            return size() > REMEMBERED_TENDERS;
        }
    };

    /**
     * Checks an award made by a guardian in the task owner's place ({@code Award.owner} is not
     * {@code Award.taskOwner}): null if its capability chain is rooted at the task's owner, else why
     * not. Set by {@link MachineNodes}; without it such awards are refused.
     */
    private volatile java.util.function.Function<Deploy, String> guardianAwardCheck =
            d -> "awards by a guardian are not accepted here";

    public WorkerReplicas(MachineContext ctx, ShareCollector collector, ReplicaRuntime runtime) {
        this.ctx = ctx;
        this.collector = collector;
        this.executor = ctx.executor();
        this.runtime = runtime;
    }

    /** How awards by a guardian (in the task owner's place) are checked. */
    void checkGuardianAwardsWith(java.util.function.Function<Deploy, String> check) {
        this.guardianAwardCheck = check;
    }

    /** This node's bid for {@code t}, if it has room and may run the task. */
    public synchronized Optional<Bid> bidFor(Tender t) {
        if (t.excluded().contains(ctx.self()) || deleted(t.taskId(), t.generation(), t.owner())
                || ctx.store().highestGeneration(t.taskId()) > t.generation() || runsTask(t.taskId(), t.generation())
                || t.deadlineMillis() < ctx.clock().millis()) {
            return Optional.empty();
        }
        Capacity total = ctx.capacity().get();
        Capacity free = ctx.reservations().free(total);
        double score = Scheduler.score(total, free, ctx.reservations().reserved().size(), t.cpuMillis(),
                t.memoryBytes());
        if (score < 0) {
            return Optional.empty();
        }
        bidOn.put(key(t.taskId(), t.generation()), t);
        return Optional.of(new Bid(t.tenderId(), t.taskId(), t.generation(), ctx.self(), free.cpuMillis(),
                free.memoryBytes(), ctx.reservations().reserved().size(), score));
    }

    /** A tender from another node: bid (directly to its owner) if this node fits. */
    public void onTender(Tender t) {
        if (t.owner().equals(ctx.self())) {
            return;
        }
        bidFor(t).ifPresent(bid -> ctx.wire().call(t.owner(), bid, ctx.settings().requestTimeout())
                .whenComplete((r, e) -> {
                    if (e != null) {
                        LOG.debug("bid for task {} to {} failed: {}", t.taskId(), t.owner(), e.toString());
                    }
                }));
    }

    /**
     * An award: taken (reservation made, record written) when it is for a tender this node bid on,
     * names this node, is not deleted or outdated, and fits; then deployed in the background.
     */
    public CompletableFuture<MachineMessage> onDeploy(Deploy d) {
        Award a = d.award();
        ReplicaRef ref = new ReplicaRef(a.taskId(), a.generation(), a.replica());
        String refusal = check(d);
        if (refusal != null) {
            ctx.event(a.taskId(), a.generation(), "AwardRefused", refusal);
            return CompletableFuture.completedFuture(new DeployResult(a.taskId(), a.generation(), a.replica(),
                    ctx.self(), false, refusal));
        }
        // The replica is the task owner's, also when a guardian awarded it: it reports to the owner.
        RunningReplica record = new RunningReplica(a.taskId(), a.generation(), a.replica(), a.taskOwner().toString(),
                TaskIds.runtimeId(a.taskId(), a.generation(), a.replica(), ctx.self()),
                tenderOf(a).cpuMillis(), tenderOf(a).memoryBytes(), COLLECTING, "", ctx.clock().millis());
        ctx.store().putReplica(record);
        ctx.store().recordGeneration(a.taskId(), a.generation());
        ctx.event(a.taskId(), a.generation(), "Awarded", "replica " + a.replica() + " taken by " + ctx.self());
        executor.execute(() -> deploy(d, record));
        return CompletableFuture.completedFuture(new DeployResult(a.taskId(), a.generation(), a.replica(),
                ctx.self(), true, ""));
    }

    private synchronized String check(Deploy d) {
        Award a = d.award();
        if (!a.node().equals(ctx.self())) {
            return "the award names " + a.node() + ", not this node";
        }
        if (!d.delivery().taskId().equals(a.taskId()) || d.delivery().generation() != a.generation()
                || !d.capability().taskId().equals(a.taskId()) || d.capability().generation() != a.generation()) {
            return "the award's manifest or capability is for another task generation";
        }
        if (!a.taskOwner().equals(a.owner())) {
            String refusal = guardianAwardCheck.apply(d);
            if (refusal != null) {
                return refusal;
            }
        }
        if (deleted(a.taskId(), a.generation(), a.taskOwner())) {
            return "task " + a.taskId() + " generation " + a.generation() + " is deleted";
        }
        long highest = ctx.store().highestGeneration(a.taskId());
        if (highest > a.generation()) {
            return "task " + a.taskId() + " is at generation " + highest + " here, the award is for " + a.generation();
        }
        Tender t = bidOn.get(key(a.taskId(), a.generation()));
        if (t == null || !t.owner().equals(a.owner()) || !t.replicas().contains(a.replica())) {
            return "this node did not bid for replica " + a.replica() + " of task " + a.taskId() + " generation "
                    + a.generation() + " of " + a.owner();
        }
        if (runsTask(a.taskId(), a.generation())) {
            return "this node already runs a replica of task " + a.taskId();
        }
        ReplicaRef ref = new ReplicaRef(a.taskId(), a.generation(), a.replica());
        if (!ctx.reservations().tryReserve(ref, t.cpuMillis(), t.memoryBytes(), ctx.capacity().get())) {
            return "no room: " + t.cpuMillis() + "m CPU and " + t.memoryBytes() + " bytes wanted, "
                    + ctx.reservations().free(ctx.capacity().get()) + " free";
        }
        return null;
    }

    private synchronized Tender tenderOf(Award a) {
        return bidOn.get(key(a.taskId(), a.generation()));
    }

    private void deploy(Deploy d, RunningReplica record) {
        Award a = d.award();
        collector.collect(a, d.capability().token())
                .thenCompose(key -> {
                    String yaml;
                    try {
                        yaml = ManifestCipher.open(key, d.delivery());
                    } finally {
                        Arrays.fill(key, (byte) 0);
                    }
                    ctx.event(a.taskId(), a.generation(), "SharesCollected", a.threshold() + " of "
                            + a.holders().size() + " key shares combined; manifest opened");
                    return runtime.start(record, yaml, a.owner());
                })
                .whenComplete((status, error) -> {
                    if (error != null) {
                        Throwable c = error instanceof CompletionException && error.getCause() != null
                                ? error.getCause() : error;
                        fail(record, c.getMessage());
                    } else {
                        running(record, status);
                    }
                });
    }

    private void running(RunningReplica record, WorkloadStatus status) {
        RunningReplica now = record.withState(ReplicaRuntime.stateName(status), status.reason().orElse(""));
        ctx.store().putReplica(now);
        provide(record.taskId());
        ctx.event(record.taskId(), record.generation(), "Deployed", "replica " + record.replica() + " on "
                + ctx.self() + ": " + now.state());
        ctx.reporter().report(now, status.ports());
    }

    private void fail(RunningReplica record, String reason) {
        LOG.warn("replica {} of task {} failed: {}", record.replica(), record.taskId(), reason);
        ctx.event(record.taskId(), record.generation(), "Failed", "replica " + record.replica() + ": " + reason);
        runtime.stop(record).whenComplete((v, e) -> {
            forget(record);
            ctx.reporter().report(record.withState("Failed", reason), List.of());
        });
    }

    /** Owner-signed delete: removes the replicas it covers; a tombstone also bars the task from coming back. */
    public CompletableFuture<MachineMessage> onDelete(Delete d) {
        if (d.tombstone() && knows(d.taskId(), d.owner())) {
            ctx.store().putTombstone(new Tombstone(d.taskId(), d.generation(), d.owner().toString(), d.atMillis()));
        }
        List<CompletableFuture<Void>> removals = new java.util.ArrayList<>();
        for (RunningReplica r : ctx.store().replicas()) {
            if (r.taskId().equals(d.taskId()) && r.owner().equals(d.owner().toString())
                    && r.generation() <= d.generation() && (d.replica() < 0 || r.replica() == d.replica())) {
                markRemoving(r);
                removals.add(runtime.stop(r).thenRun(() -> {
                    forget(r);
                    ctx.reporter().report(r.withState("Removed", d.tombstone() ? "deleted by its owner"
                            : "retired by its owner"), List.of());
                    ctx.event(r.taskId(), r.generation(), "Removed", "replica " + r.replica() + " removed from "
                            + ctx.self());
                }));
            }
        }
        return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new)).thenApply(v -> null);
    }

    /** Marks {@code r} as being removed, so that the status loop does not take its going for a loss. */
    void markRemoving(RunningReplica r) {
        ctx.store().putReplica(r.withState(REMOVING, ""));
    }

    /** Removes the record and reservation of {@code r} and withdraws the provider record when no replica is left. */
    void forget(RunningReplica r) {
        ctx.store().removeReplica(r.taskId(), r.generation(), r.replica());
        ctx.reservations().release(new ReplicaRef(r.taskId(), r.generation(), r.replica()));
        if (!runsTask(r.taskId(), -1)) {
            ContentRouting p = ctx.providers().get();
            if (p != null) {
                p.withdraw(TaskCids.of(r.taskId()));
            }
        }
    }

    private void provide(String taskId) {
        ContentRouting p = ctx.providers().get();
        if (p != null) {
            p.provide(TaskCids.of(taskId)).whenComplete((n, e) -> {
                if (e != null) {
                    LOG.info("announcing task {} in the DHT failed: {}", taskId, e.toString());
                }
            });
        }
    }

    /** Whether {@code owner} deleted the task at or above {@code generation} (tombstones of other signers do not count). */
    private boolean deleted(String taskId, long generation, PeerId owner) {
        return ctx.store().tombstone(taskId).filter(tb -> tb.owner().equals(owner.toString())
                && tb.generation() >= generation).isPresent();
    }

    /**
     * Whether this node has a part of the task from {@code owner} (a replica or a share): only then
     * does it keep that owner's tombstone, so that nobody else can bar a task id by deleting it first.
     */
    private boolean knows(String taskId, PeerId owner) {
        String o = owner.toString();
        return ctx.store().replicas().stream().anyMatch(r -> r.taskId().equals(taskId) && r.owner().equals(o))
                || ctx.store().shares().stream().anyMatch(h -> h.taskId().equals(taskId) && h.owner().equals(o));
    }

    /** Whether this node runs a replica of the task (of generation {@code generation}; -1: any). */
    boolean runsTask(String taskId, long generation) {
        for (RunningReplica r : ctx.store().replicas()) {
            if (r.taskId().equals(taskId) && (generation < 0 || r.generation() == generation)) {
                return true;
            }
        }
        return false;
    }

    private static String key(String taskId, long generation) {
        return taskId + "/" + generation;
    }

    /** Exposed for the status loop and the shell. */
    public List<RunningReplica> replicas() {
        return ctx.store().replicas();
    }

    /** The engine running {@code r}, if any. */
    public CompletableFuture<Optional<RuntimeEngine>> engineOf(RunningReplica r) {
        return ctx.engines().locate(r.runtimeId());
    }

    static boolean isNoSuchWorkload(Throwable e) {
        Throwable c = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
        return c instanceof NoSuchWorkloadException;
    }

    static DeployConfig config(RunningReplica r, PeerId self) {
        return new DeployConfig(1, Optional.empty(), Optional.empty(), Map.of(), Map.of(
                "io.hivemesh.node", self.toString(), "io.hivemesh.task", r.taskId(),
                "io.hivemesh.generation", Long.toString(r.generation())));
    }
}

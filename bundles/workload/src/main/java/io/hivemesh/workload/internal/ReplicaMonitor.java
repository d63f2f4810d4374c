package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.WorkloadStatus;
import io.hivemesh.protocol.MachineMessage.Heartbeat;
import io.hivemesh.protocol.MachineMessage.HeartbeatAck;
import io.hivemesh.protocol.MachineMessage.ReplicaRef;
import io.hivemesh.workload.internal.WorkloadStore.RunningReplica;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The worker's loop, once per heartbeat interval: asks the runtime for each replica's status
 * (never assumed) and reports changes to the owner; sends each owner a heartbeat listing its
 * replicas here and removes those the owner's signed answer calls stale; gossips this node's
 * capacity. At start it reconciles the store with the runtime: replicas interrupted before they
 * ran are failed, workloads of this node the store does not know are removed.
 */
public final class ReplicaMonitor {
    private static final Logger LOG = LoggerFactory.getLogger(ReplicaMonitor.class);

    private final MachineContext ctx;
    private final WorkerReplicas worker;
    private final ReplicaRuntime runtime;
    private final NodeTable nodes;

    public ReplicaMonitor(MachineContext ctx, WorkerReplicas worker, ReplicaRuntime runtime, NodeTable nodes) {
        this.ctx = ctx;
        this.worker = worker;
        this.runtime = runtime;
        this.nodes = nodes;
    }

    /** Reconciles the store with the runtimes (call once at start, before serving). */
    public CompletableFuture<Void> recover() {
        List<CompletableFuture<Void>> steps = new ArrayList<>();
        Set<String> known = new HashSet<>();
        for (RunningReplica r : ctx.store().replicas()) {
            known.add(r.runtimeId());
            ctx.reservations().tryReserve(new ReplicaRef(r.taskId(), r.generation(), r.replica()), r.cpuMillis(),
                    r.memoryBytes(), ctx.capacity().get());
            if (inFlight(r)) {
                boolean removing = r.state().equals(WorkerReplicas.REMOVING);
                steps.add(runtime.stop(r).handle((v, e) -> {
                    worker.forget(r);
                    ctx.reporter().report(removing ? r.withState("Removed", "removal finished after a restart")
                            : r.withState("Failed", "the node restarted before the replica ran"), List.of());
                    return null;
                }));
            }
        }
        String tag = TaskIds.nodeTag(ctx.self());
        for (RuntimeEngine engine : ctx.engines().engines()) {
            steps.add(engine.list().thenCompose(list -> {
                List<CompletableFuture<Void>> removals = new ArrayList<>();
                for (WorkloadStatus s : list) {
                    if (TaskIds.isReplicaOf(s.workloadId(), tag) && !known.contains(s.workloadId())) {
                        LOG.info("removing {} from {}: this node has no record of it", s.workloadId(), engine.name());
                        removals.add(engine.remove(s.workloadId()).exceptionally(e -> null));
                    }
                }
                return CompletableFuture.allOf(removals.toArray(CompletableFuture[]::new));
            }).exceptionally(e -> {
                LOG.info("engine {} could not be listed at start: {}", engine.name(), e.toString());
                return null;
            }));
        }
        return CompletableFuture.allOf(steps.toArray(CompletableFuture[]::new));
    }

    /** One round of the loop; never throws. */
    public void tick() {
        try {
            Map<PeerId, List<ReplicaRef>> byOwner = new LinkedHashMap<>();
            for (RunningReplica r : ctx.store().replicas()) {
                if (inFlight(r)) {
                    continue;
                }
                byOwner.computeIfAbsent(PeerId.parse(r.owner()), o -> new ArrayList<>())
                        .add(new ReplicaRef(r.taskId(), r.generation(), r.replica()));
                checkStatus(r);
            }
            Capacity total = ctx.capacity().get();
            Capacity free = ctx.reservations().free(total);
            long now = ctx.clock().millis();
            List<ReplicaRef> all = new ArrayList<>();
            byOwner.values().forEach(all::addAll);
            Heartbeat mine = new Heartbeat(ctx.self(), total.cpuMillis(), total.memoryBytes(), free.cpuMillis(),
                    free.memoryBytes(), all.size() > 256 ? all.subList(0, 256) : all, now);
            nodes.record(mine);
            ctx.wire().publish(MachineTransport.EVENTS_TOPIC, mine).exceptionally(e -> null);
            byOwner.forEach((owner, refs) -> heartbeat(owner, new Heartbeat(ctx.self(), total.cpuMillis(),
                    total.memoryBytes(), free.cpuMillis(), free.memoryBytes(), refs, now)));
        } catch (RuntimeException e) {
            LOG.warn("replica monitor round failed: {}", e.toString(), e);
        }
    }

    private void checkStatus(RunningReplica r) {
        runtime.status(r).whenComplete((status, error) -> {
            RunningReplica current = ctx.store().replica(r.taskId(), r.generation(), r.replica()).orElse(null);
            if (current == null || inFlight(current)) {
                return; // removed or being removed meanwhile: its absence is no loss
            }
            if (error != null) {
                if (WorkerReplicas.isNoSuchWorkload(error)) {
                    gone(r);
                } else {
                    LOG.debug("status of {} failed: {}", r.runtimeId(), error.toString());
                }
                return;
            }
            if (status.isEmpty()) {
                gone(r); // every engine said it has no such workload
                return;
            }
            String state = ReplicaRuntime.stateName(status.get());
            String reason = status.get().reason().orElse("");
            if (!state.equals(r.state()) || !reason.equals(r.reason())) {
                RunningReplica now = r.withState(state, reason);
                ctx.store().putReplica(now);
                ctx.event(r.taskId(), r.generation(), state, "replica " + r.replica() + " on " + ctx.self()
                        + (reason.isEmpty() ? "" : ": " + reason));
                ctx.reporter().report(now, status.get().ports());
            }
        });
    }

    private void gone(RunningReplica r) {
        worker.forget(r);
        ctx.event(r.taskId(), r.generation(), "Lost", "replica " + r.replica() + " is no longer in the runtime of "
                + ctx.self());
        ctx.reporter().report(r.withState("Failed", "the runtime no longer has it"), List.of());
    }

    private void heartbeat(PeerId owner, Heartbeat hb) {
        ctx.reporter().send(owner, hb).whenComplete((reply, error) -> {
            if (error != null || reply.isEmpty() || !(reply.get() instanceof HeartbeatAck ack)) {
                return;
            }
            for (ReplicaRef stale : ack.stale()) {
                for (RunningReplica r : ctx.store().replicas()) {
                    if (r.taskId().equals(stale.taskId()) && r.generation() == stale.generation()
                            && r.replica() == stale.replica() && r.owner().equals(owner.toString()) && !inFlight(r)) {
                        worker.markRemoving(r);
                        runtime.stop(r).whenComplete((v, e) -> {
                            worker.forget(r);
                            ctx.reporter().report(r.withState("Removed", "stale for its owner"), List.of());
                            ctx.event(r.taskId(), r.generation(), "Removed", "replica " + r.replica()
                                    + " is stale for its owner; removed from " + ctx.self());
                        });
                    }
                }
            }
        });
    }

    /** Being collected, deployed or removed: the runtime may not show it (yet, any more). */
    private static boolean inFlight(RunningReplica r) {
        return r.state().equals(WorkerReplicas.COLLECTING) || r.state().equals(WorkerReplicas.DEPLOYING)
                || r.state().equals(WorkerReplicas.REMOVING);
    }

    /** Exposed for tests. */
    Optional<Heartbeat> lastOwn() {
        return nodes.get(ctx.self());
    }
}

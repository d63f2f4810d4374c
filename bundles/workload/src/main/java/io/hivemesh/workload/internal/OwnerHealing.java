package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.protocol.MachineMessage.Delete;
import io.hivemesh.protocol.MachineMessage.Heartbeat;
import io.hivemesh.protocol.MachineMessage.HeartbeatAck;
import io.hivemesh.protocol.MachineMessage.ReplicaRef;
import io.hivemesh.workload.internal.WorkloadStore.Assignment;
import io.hivemesh.workload.internal.WorkloadStore.OwnedTask;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The owner's repair loop, once per heartbeat interval: replicas whose node is gone (no heartbeat
 * for the grace period and no connection) or that failed are dropped, missing replicas of the
 * current generation are tendered (all at once, or one at a time during a rolling update, with a
 * doubling backoff while no node fits), replicas of older generations are retired once their
 * replacement runs, replicas beyond the wanted count are removed. Also answers heartbeats: a
 * replica the owner no longer assigns to that node is stale and the node removes it.
 */
public final class OwnerHealing {
    private final MachineContext ctx;
    private final OwnerTasks owner;
    private final TenderRounds rounds;
    private final Map<PeerId, Long> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, Long> nextTender = new HashMap<>();
    private final Map<String, Duration> backoff = new HashMap<>();
    private final Set<String> inFlight = new HashSet<>();
    private final Set<String> retiring = ConcurrentHashMap.newKeySet();
    private final long startedMillis;
    private final Object ticking = new Object();
    /** Whether the loop may repair a task now (the guardians' hand-back gate, {@link OwnerGuardians#mayRepair}). */
    private volatile java.util.function.Predicate<OwnedTask> mayRepair = t -> true;

    public OwnerHealing(MachineContext ctx, OwnerTasks owner, TenderRounds rounds) {
        this.ctx = ctx;
        this.owner = owner;
        this.rounds = rounds;
        this.startedMillis = ctx.clock().millis();
    }

    /** Repairs only the tasks {@code gate} allows (while a guardian may hold the task, the owner waits). */
    void gateBy(java.util.function.Predicate<OwnedTask> gate) {
        this.mayRepair = gate;
    }

    /** Notes that {@code node} was heard from. */
    public void seen(PeerId node) {
        lastSeen.put(node, ctx.clock().millis());
    }

    /** A node's heartbeat: it is alive; the answer lists which of its replicas are stale. */
    public HeartbeatAck onHeartbeat(PeerId from, Heartbeat hb) {
        seen(from);
        List<ReplicaRef> stale = new ArrayList<>();
        for (ReplicaRef ref : hb.replicas()) {
            boolean current = ctx.store().task(ref.taskId()).map(t -> t.assignments().stream().anyMatch(a ->
                    a.replica() == ref.replica() && a.generation() == ref.generation()
                            && a.node().equals(from.toString()))).orElse(false);
            if (!current) {
                stale.add(ref);
            }
        }
        return new HeartbeatAck(ctx.self(), stale);
    }

    /** One round of the loop over every owned task; never throws. */
    public void tick() {
        synchronized (ticking) { // the loop and an apply's immediate round never repair at once
            tickOnce();
        }
    }

    private void tickOnce() {
        for (OwnedTask t : owner.tasks()) {
            try {
                if (!mayRepair.test(t)) {
                    continue;
                }
                repair(t);
            } catch (RuntimeException e) {
                ctx.event(t.taskId(), t.generation(), "RepairFailed", OwnerTasks.rootMessage(e));
            }
        }
    }

    private void repair(OwnedTask t) {
        long now = ctx.clock().millis();
        long grace = ctx.settings().nodeGrace().toMillis();
        for (Assignment a : t.assignments()) {
            PeerId node = PeerId.parse(a.node());
            if (node.equals(ctx.self())) {
                continue;
            }
            long heard = Math.max(lastSeen.getOrDefault(node, startedMillis), a.lastReportMillis());
            if (now - heard > grace && !ctx.wire().isConnected(node)) {
                owner.removeAssignment(t.taskId(), a.replica(), node, a.generation());
                ctx.event(t.taskId(), a.generation(), "ReplicaLost", "replica " + a.replica() + ": node " + node
                        + " unheard of for " + (now - heard) / 1000 + " s and not connected");
            } else if (a.state().equals("Awarded") && now - a.lastReportMillis() > ctx.settings().shareTimeout()
                    .plus(ctx.settings().nodeGrace()).toMillis()) {
                owner.removeAssignment(t.taskId(), a.replica(), node, a.generation());
                ctx.event(t.taskId(), a.generation(), "AwardExpired", "replica " + a.replica() + " on " + node
                        + " never reported");
            }
        }
        OwnedTask cur = ctx.store().task(t.taskId()).orElse(null);
        if (cur == null) {
            return;
        }
        tenderMissing(cur, now);
        retire(cur);
    }

    private void tenderMissing(OwnedTask t, long now) {
        List<Assignment> current = t.assignments().stream().filter(a -> a.generation() == t.generation()).toList();
        boolean rolling = t.assignments().stream().anyMatch(a -> a.generation() < t.generation()
                && a.replica() < t.replicas());
        boolean inProgress = current.stream().anyMatch(a -> !a.state().equals("Running"));
        List<Integer> missing = new ArrayList<>();
        for (int r = 0; r < t.replicas(); r++) {
            int replica = r;
            if (current.stream().noneMatch(a -> a.replica() == replica)) {
                missing.add(r);
            }
        }
        if (missing.isEmpty() || (rolling && inProgress)) {
            return;
        }
        List<Integer> wanted = rolling ? List.of(missing.get(0)) : missing;
        synchronized (this) {
            if (inFlight.contains(t.taskId()) || rounds.isOpen(t.taskId())
                    || now < nextTender.getOrDefault(t.taskId(), 0L)) {
                return;
            }
            inFlight.add(t.taskId());
        }
        Set<PeerId> excluded = new LinkedHashSet<>();
        current.forEach(a -> excluded.add(PeerId.parse(a.node())));
        owner.tender(t, wanted, new ArrayList<>(excluded)).whenComplete((v, e) -> {
            synchronized (this) {
                inFlight.remove(t.taskId());
                if (e != null) {
                    String why = OwnerTasks.rootMessage(e);
                    if (!why.equals(OwnerTasks.NO_FITTING_BIDS)) {
                        ctx.event(t.taskId(), t.generation(), "TenderFailed", why);
                    }
                    backOff(t.taskId());
                } else {
                    nextTender.remove(t.taskId());
                }
            }
        });
    }

    /**
     * Delays the task's next tender by its backoff, then doubles the backoff (up to the maximum):
     * after a tender nobody could take, and after a replica failed (so that a manifest that cannot
     * run is not redeployed in a tight loop). A replica that runs resets it.
     */
    public synchronized void backOff(String taskId) {
        Duration b = backoff.getOrDefault(taskId, ctx.settings().retenderMin());
        nextTender.put(taskId, ctx.clock().millis() + b.toMillis());
        Duration doubled = b.multipliedBy(2);
        backoff.put(taskId, doubled.compareTo(ctx.settings().retenderMax()) > 0 ? ctx.settings().retenderMax() : doubled);
    }

    /** A replica of the task runs: the backoff starts over. */
    public synchronized void running(String taskId) {
        backoff.remove(taskId);
    }

    private void retire(OwnedTask t) {
        for (Assignment a : t.assignments()) {
            boolean replaced = a.generation() < t.generation() && t.assignments().stream().anyMatch(n ->
                    n.generation() == t.generation() && n.replica() == a.replica() && n.state().equals("Running"));
            boolean surplus = a.replica() >= t.replicas();
            if (!replaced && !surplus) {
                continue;
            }
            String key = t.taskId() + "/" + a.generation() + "/" + a.replica() + "/" + a.node();
            if (!retiring.add(key)) {
                continue;
            }
            PeerId node = PeerId.parse(a.node());
            Delete d = new Delete(t.taskId(), a.generation(), a.replica(), ctx.self(), false, ctx.clock().millis());
            ctx.reporter().send(node, d).whenComplete((r, e) -> {
                owner.removeAssignment(t.taskId(), a.replica(), node, a.generation());
                retiring.remove(key);
                ctx.event(t.taskId(), a.generation(), "Retired", "replica " + a.replica() + " of generation "
                        + a.generation() + " on " + node + (surplus ? " (beyond the wanted count)" : " (replaced)")
                        + (e == null ? "" : "; the node was not reached and removes it when it next reports"));
            });
        }
    }
}

package io.hivemesh.workload.internal;

import io.hivemesh.api.crypto.Capability;
import io.hivemesh.api.crypto.CapabilityService;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.protocol.MachineMessage;
import io.hivemesh.protocol.MachineMessage.HeartbeatAck;
import io.hivemesh.protocol.MachineMessage.ReplicaRef;
import io.hivemesh.protocol.MachineMessage.TaskRecord;
import io.hivemesh.workload.internal.WorkloadStore.Assignment;
import io.hivemesh.workload.internal.WorkloadStore.OwnedTask;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The owner's side of the guardians. Once per loop round it sends each guardian of a task the
 * task record ({@link TaskRecord}, with a heal capability issued to that guardian) when the record
 * changed, when the last round reached no guardian, and as a keep-alive; a guardian that healed
 * the task while this node was away answers with its own record (hand-back), whose assignments
 * this node adopts. Until a round has reached a guardian (after a start or after no guardian
 * answered), the owner does not repair the task nor call its replicas stale ({@link #mayRepair}),
 * so that it never undoes what a guardian did — except within {@code owner_grace} of the last round
 * that reached one (no guardian can have taken over yet); after {@code 2 × owner_grace} of rounds that reach
 * no guardian while other nodes of the task are connected, it repairs alone again (its guardians
 * are gone). Rounds while no node of the task is connected (this node is cut off) restart that
 * clock, so that a node coming back always asks its guardians first.
 */
public final class OwnerGuardians {
    private static final Logger LOG = LoggerFactory.getLogger(OwnerGuardians.class);
    /** Lifetime of a heal capability; it is issued again after half of it. */
    static final Duration HEAL_TTL = Duration.ofDays(7);

    private final MachineContext ctx;
    private final CapabilityService capabilities;
    private final OwnerTasks owner;
    private final long startedMillis;
    private final Map<String, Sync> states = new HashMap<>();
    private final Map<String, Issued> tokens = new HashMap<>();

    public OwnerGuardians(MachineContext ctx, CapabilityService capabilities, OwnerTasks owner) {
        this.ctx = ctx;
        this.capabilities = capabilities;
        this.owner = owner;
        this.startedMillis = ctx.clock().millis();
    }

    /** Per task: the last round's outcome. */
    private static final class Sync {
        boolean ok;
        boolean inFlight;
        /** When a round last reached a guardian (never: far in the past). */
        long okMillis = Long.MIN_VALUE / 2;
        long unsyncedSince;
        long pushedMillis;
        String fingerprint = "";

        Sync(long unsyncedSince) {
            this.unsyncedSince = unsyncedSince;
        }
    }

    private record Issued(byte[] token, long atMillis) {
    }

    private record Answer(PeerId guardian, boolean reached, Optional<TaskRecord> record) {
    }

    /** One round over the owned tasks; never throws. */
    public void tick() {
        for (OwnedTask t : owner.tasks()) {
            try {
                push(t);
            } catch (RuntimeException e) {
                LOG.info("sending the record of task {} to its guardians failed: {}", t.taskId(), e.toString());
            }
        }
        synchronized (this) {
            states.keySet().removeIf(id -> ctx.store().task(id).isEmpty());
            tokens.keySet().removeIf(k -> ctx.store().task(k.substring(0, k.indexOf('/'))).isEmpty());
        }
    }

    /**
     * Whether the owner's repair loop may act on {@code t} now: always without guardians; else once
     * a round reached a guardian (and its hand-back is adopted), or after {@code 2 × owner_grace}
     * of reaching none while in touch with other nodes (they are gone; this node heals alone).
     */
    public synchronized boolean mayRepair(OwnedTask t) {
        if (guardians(t).isEmpty()) {
            return true;
        }
        Sync st = states.get(t.taskId());
        if (st != null && st.ok) {
            return true;
        }
        // A guardian takes over only after owner_grace without hearing from this node: within that
        // time of the last round that reached one (or of the task's creation, when this node created
        // it since it started), none can have, so this node goes on repairing (its guardians may be
        // among the nodes just lost).
        long okAt = st == null ? Long.MIN_VALUE / 2 : st.okMillis;
        if (t.createdMillis() >= startedMillis) {
            okAt = Math.max(okAt, t.createdMillis());
        }
        if (ctx.clock().millis() - okAt < ctx.settings().ownerGrace().toMillis()) {
            return true;
        }
        if (st != null && st.inFlight) {
            return false;
        }
        long since = st == null ? startedMillis : st.unsyncedSince;
        return ctx.clock().millis() - since > 2 * ctx.settings().ownerGrace().toMillis();
    }

    /** {@code ack} without the replicas of tasks this node may not repair yet (a guardian may hold them). */
    public HeartbeatAck filter(HeartbeatAck ack) {
        List<ReplicaRef> stale = new ArrayList<>();
        for (ReplicaRef r : ack.stale()) {
            Optional<OwnedTask> t = ctx.store().task(r.taskId());
            if (t.isEmpty() || mayRepair(t.get())) {
                stale.add(r);
            }
        }
        return stale.size() == ack.stale().size() ? ack : new HeartbeatAck(ack.owner(), stale);
    }

    private List<PeerId> guardians(OwnedTask t) {
        return Guardians.ofStrings(t.holders(), ctx.self());
    }

    private void push(OwnedTask t) {
        List<PeerId> guardians = guardians(t);
        if (guardians.isEmpty()) {
            return;
        }
        long now = ctx.clock().millis();
        String fingerprint = t.generation() + " " + Guardians.placement(t.assignments()) + " "
                + t.assignments().stream().map(Assignment::state).toList() + " " + t.holders();
        long keepAlive = Math.min(ctx.settings().ownerGrace().toMillis(), ctx.settings().nodeGrace().toMillis()) / 3;
        Sync st;
        boolean wasSynced;
        synchronized (this) {
            st = states.computeIfAbsent(t.taskId(), id -> new Sync(startedMillis));
            boolean due = !st.ok || !fingerprint.equals(st.fingerprint) || now - st.pushedMillis >= keepAlive;
            if (!due || st.inFlight) {
                return;
            }
            st.inFlight = true;
            st.pushedMillis = now;
            wasSynced = st.ok;
        }
        List<CompletableFuture<Answer>> answers = new ArrayList<>();
        for (PeerId g : guardians) {
            TaskRecord record = record(t, g, now);
            answers.add(ctx.reporter().send(g, record).handle((reply, error) -> new Answer(g, error == null,
                    error == null ? reply.filter(TaskRecord.class::isInstance).map(TaskRecord.class::cast)
                            : Optional.empty())));
        }
        Sync state = st;
        CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).whenComplete((v, e) -> {
            boolean reached = false;
            boolean adopted = false;
            for (CompletableFuture<Answer> f : answers) {
                Answer a = f.join();
                reached |= a.reached();
                // A hand-back is taken only when this node was out of touch (never from a stale guardian
                // while in touch), and only the first one of the round (guardians in their order).
                if (a.record().isPresent() && !wasSynced && !adopted) {
                    adopted = adopt(t.taskId(), a.guardian(), a.record().get());
                }
            }
            synchronized (this) {
                state.inFlight = false;
                if (reached) {
                    state.ok = true;
                    state.okMillis = ctx.clock().millis();
                    state.fingerprint = adopted ? "" : fingerprint;
                } else {
                    // Out of touch with the whole mesh (not only the guardians): the clock of "guardians
                    // gone" starts again, so a node coming back always asks its guardians first.
                    if (state.ok || !meshReachable(t)) {
                        state.unsyncedSince = ctx.clock().millis();
                    }
                    state.ok = false;
                }
            }
        });
    }

    /** Whether this node is connected to any other node of the task (holder or replica node, guardians aside). */
    private boolean meshReachable(OwnedTask t) {
        List<PeerId> guardians = guardians(t);
        List<String> others = new ArrayList<>(t.holders());
        t.assignments().forEach(a -> others.add(a.node()));
        for (String id : others) {
            PeerId p = PeerId.parse(id);
            if (!p.equals(ctx.self()) && !guardians.contains(p) && ctx.wire().isConnected(p)) {
                return true;
            }
        }
        return false;
    }

    private boolean adopt(String taskId, PeerId from, TaskRecord r) {
        Optional<OwnedTask> t = ctx.store().task(taskId);
        if (t.isEmpty() || !r.taskId().equals(taskId) || !r.owner().equals(ctx.self()) || !r.sender().equals(from)
                || !guardians(t.get()).contains(from) || r.generation() != t.get().generation()) {
            LOG.info("hand-back of task {} from {} ignored: not for this task generation of this owner", taskId, from);
            return false;
        }
        long now = ctx.clock().millis();
        List<Assignment> next = new ArrayList<>();
        for (MachineMessage.TaskAssignment a : r.assignments()) {
            Assignment mine = t.get().assignments().stream().filter(x -> x.replica() == a.replica()
                    && x.node().equals(a.node().toString()) && x.generation() == a.generation()).findFirst()
                    .orElse(null);
            next.add(mine != null ? new Assignment(a.replica(), mine.node(), a.generation(), a.state(), mine.reason(),
                    mine.ports(), now) : Guardians.stored(a, now));
        }
        if (!owner.adoptAssignments(taskId, r.generation(), next)) {
            return false;
        }
        ctx.event(taskId, r.generation(), "HandedBack", "guardian " + from + " handed the task back: "
                + Guardians.placement(next));
        return true;
    }

    private TaskRecord record(OwnedTask t, PeerId guardian, long now) {
        return new TaskRecord(t.taskId(), t.generation(), ctx.self(), t.tenant(), t.name(), t.replicas(),
                t.cpuMillis(), t.memoryBytes(), t.manifestNonce(), t.manifestCiphertext(),
                t.holders().stream().map(PeerId::parse).toList(), t.threshold(), guardians(t),
                t.assignments().stream().map(Guardians::wire).toList(), healToken(t, guardian, now), ctx.self(), now);
    }

    /** The heal capability of {@code guardian} for the task generation: issued once, again after half its life. */
    private synchronized byte[] healToken(OwnedTask t, PeerId guardian, long now) {
        String key = t.taskId() + "/" + t.generation() + "/" + guardian;
        Issued i = tokens.get(key);
        if (i == null || now - i.atMillis() > HEAL_TTL.toMillis() / 2) {
            Instant at = Instant.ofEpochMilli(now);
            byte[] token = capabilities.issue(new Capability(ctx.self(), guardian,
                    ShareHolder.resource(t.taskId(), t.generation()),
                    Set.of(ShareHolder.SHARE_ACTION, Guardians.HEAL_ACTION), at.minusSeconds(30), at.plus(HEAL_TTL),
                    Map.of()));
            i = new Issued(token, now);
            tokens.put(key, i);
        }
        return i.token();
    }
}

package io.hivemesh.workload.internal;

import io.hivemesh.api.crypto.CapabilityService;
import io.hivemesh.api.crypto.CryptoException;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.protocol.MachineMessage;
import io.hivemesh.protocol.MachineMessage.Delete;
import io.hivemesh.protocol.MachineMessage.StatusReport;
import io.hivemesh.protocol.MachineMessage.TaskRecord;
import io.hivemesh.workload.internal.WorkloadStore.Assignment;
import io.hivemesh.workload.internal.WorkloadStore.GuardedTask;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The guardian's records ({@link GuardedTask}, on disk): takes task records from owners (only for a
 * task this node guards, with a heal capability the owner issued to this node) and from the
 * fellow guardian that heals the task (its assignments), answers the owner's record with a
 * hand-back while this node holds healing the owner has not adopted, follows the replicas'
 * gossiped status, and forgets a task its owner deletes.
 */
final class GuardedTasks {
    private final MachineContext ctx;
    private final CapabilityService capabilities;

    GuardedTasks(MachineContext ctx, CapabilityService capabilities) {
        this.ctx = ctx;
        this.capabilities = capabilities;
    }

    /**
     * A task record: from its owner (kept; answered with this node's record when this node healed
     * the task and the owner has not taken it back yet, else acknowledged), or from a fellow guardian
     * (its assignments kept). Throws {@link WorkloadException} naming why a record is refused.
     */
    synchronized MachineMessage onRecord(PeerId from, TaskRecord r) {
        if (!r.sender().equals(from)) {
            throw new WorkloadException("the task record of " + r.sender() + " came from " + from);
        }
        return r.sender().equals(r.owner()) ? fromOwner(r) : fromGuardian(r);
    }

    private MachineMessage fromOwner(TaskRecord r) {
        if (!r.guardians().contains(ctx.self())) {
            throw new WorkloadException("this node is not a guardian of task " + r.taskId());
        }
        if (ctx.store().tombstone(r.taskId()).filter(t -> t.owner().equals(r.owner().toString())
                && t.generation() >= r.generation()).isPresent()) {
            throw new WorkloadException("task " + r.taskId() + " generation " + r.generation() + " is deleted");
        }
        Optional<GuardedTask> old = ctx.store().guarded(r.taskId());
        if (old.isPresent() && !old.get().owner().equals(r.owner().toString())) {
            throw new WorkloadException("task " + r.taskId() + " is guarded here for another owner, "
                    + old.get().owner());
        }
        if (old.isPresent() && old.get().generation() > r.generation()) {
            throw new WorkloadException("task " + r.taskId() + " is at generation " + old.get().generation()
                    + " here, the record is of " + r.generation());
        }
        try {
            Guardians.verifyOwn(capabilities, ctx.self(), r.healToken(), r.owner(),
                    ShareHolder.resource(r.taskId(), r.generation()), Guardians.HEAL_ACTION);
        } catch (CryptoException e) {
            throw new WorkloadException("the heal capability of task " + r.taskId() + " is refused: " + e.getMessage(),
                    e);
        }
        long now = ctx.clock().millis();
        if (old.isPresent() && old.get().healer() && old.get().generation() == r.generation()) {
            GuardedTask g = old.get();
            if (g.handbackAtMillis() == 0 || r.atMillis() <= g.handbackAtMillis()) {
                ctx.store().putGuarded(g.handedBack(r.atMillis(), now));
                ctx.event(r.taskId(), r.generation(), "HandBack", "guardian " + ctx.self() + " hands the task back to "
                        + r.owner() + ": " + Guardians.placement(g.assignments()));
                return record(g, now);
            }
            // The owner's record after the hand-back: it has taken the task back.
            ctx.event(r.taskId(), r.generation(), "GuardianStood", "guardian " + ctx.self() + " stops healing: "
                    + r.owner() + " has the task back");
        }
        List<Assignment> assignments = r.assignments().stream().map(a -> Guardians.stored(a, now)).toList();
        ctx.store().putGuarded(new GuardedTask(r.taskId(), r.generation(), r.owner().toString(), r.tenant(), r.name(),
                r.replicas(), r.cpuMillis(), r.memoryBytes(), r.manifestNonce(), r.manifestCiphertext(),
                strings(r.holders()), r.threshold(), strings(r.guardians()), assignments, r.healToken(), false, 0,
                now, now));
        return null;
    }

    private MachineMessage fromGuardian(TaskRecord r) {
        GuardedTask g = ctx.store().guarded(r.taskId()).orElseThrow(() -> new WorkloadException(
                "this node has no record of task " + r.taskId() + " from its owner"));
        if (!g.owner().equals(r.owner().toString()) || g.generation() != r.generation()) {
            throw new WorkloadException("the record of task " + r.taskId() + " is of owner " + r.owner()
                    + " generation " + r.generation() + ", this node guards generation " + g.generation() + " of "
                    + g.owner());
        }
        if (!g.guardians().contains(r.sender().toString()) || r.sender().equals(ctx.self())) {
            throw new WorkloadException(r.sender() + " is not a fellow guardian of task " + r.taskId());
        }
        long now = ctx.clock().millis();
        // The sender heals the task: take its view and leave the healing to it.
        ctx.store().putGuarded(g.withAssignments(r.assignments().stream().map(a -> Guardians.stored(a, now)).toList(),
                false, now));
        return null;
    }

    /** This node's record of {@code g}, as a guardian sends it (no heal capability in it). */
    TaskRecord record(GuardedTask g, long now) {
        return new TaskRecord(g.taskId(), g.generation(), PeerId.parse(g.owner()), g.tenant(), g.name(), g.replicas(),
                g.cpuMillis(), g.memoryBytes(), g.manifestNonce(), g.manifestCiphertext(),
                g.holders().stream().map(PeerId::parse).toList(), g.threshold(),
                g.guardians().stream().map(PeerId::parse).toList(),
                g.assignments().stream().map(Guardians::wire).toList(), new byte[0], ctx.self(), now);
    }

    /** A replica's gossiped status (signed by its node): its assignment follows it; a failed or removed one goes. */
    synchronized void onStatus(StatusReport s) {
        Optional<GuardedTask> g = ctx.store().guarded(s.taskId());
        if (g.isEmpty()) {
            return;
        }
        List<Assignment> next = new ArrayList<>();
        boolean matched = false;
        for (Assignment a : g.get().assignments()) {
            if (a.replica() == s.replica() && a.generation() == s.generation() && a.node().equals(s.node().toString())) {
                matched = true;
                if (s.state().equals("Failed") || s.state().equals("Removed")) {
                    continue;
                }
                next.add(new Assignment(a.replica(), a.node(), a.generation(), s.state(), s.reason(), s.ports(),
                        ctx.clock().millis()));
            } else {
                next.add(a);
            }
        }
        if (matched) {
            ctx.store().putGuarded(g.get().withAssignments(next, g.get().healer(), ctx.clock().millis()));
        }
    }

    /** Adds or removes one assignment of a guarded task (the healing guardian's awards). */
    synchronized void change(String taskId, Assignment add, Assignment remove) {
        ctx.store().guarded(taskId).ifPresent(g -> {
            List<Assignment> next = new ArrayList<>(g.assignments());
            if (remove != null) {
                next.removeIf(a -> a.replica() == remove.replica() && a.node().equals(remove.node())
                        && a.generation() == remove.generation());
            }
            if (add != null) {
                next.add(add);
            }
            ctx.store().putGuarded(g.withAssignments(next, g.healer(), ctx.clock().millis()));
        });
    }

    /** Marks this node as the healer of the task (from now until the owner takes it back). */
    synchronized Optional<GuardedTask> takeOver(String taskId) {
        Optional<GuardedTask> g = ctx.store().guarded(taskId);
        if (g.isEmpty() || g.get().healer()) {
            return g;
        }
        GuardedTask next = g.get().withAssignments(g.get().assignments(), true, ctx.clock().millis());
        ctx.store().putGuarded(next);
        return Optional.of(next);
    }

    /** The owner deleted the task: this node forgets it. */
    synchronized void onDelete(Delete d) {
        ctx.store().guarded(d.taskId()).ifPresent(g -> {
            if (g.owner().equals(d.owner().toString()) && d.tombstone() && d.generation() >= g.generation()) {
                ctx.store().removeGuarded(d.taskId());
            }
        });
    }

    List<GuardedTask> all() {
        return ctx.store().guardedTasks();
    }

    private static List<String> strings(List<PeerId> peers) {
        return peers.stream().map(PeerId::toString).toList();
    }
}

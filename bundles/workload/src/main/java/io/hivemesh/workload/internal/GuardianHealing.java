package io.hivemesh.workload.internal;

import io.hivemesh.api.crypto.Capability;
import io.hivemesh.api.crypto.CapabilityService;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.protocol.MachineMessage.Award;
import io.hivemesh.protocol.MachineMessage.CapabilityGrant;
import io.hivemesh.protocol.MachineMessage.Deploy;
import io.hivemesh.protocol.MachineMessage.DeployResult;
import io.hivemesh.protocol.MachineMessage.ManifestDelivery;
import io.hivemesh.protocol.MachineMessage.StatusReport;
import io.hivemesh.workload.internal.WorkloadStore.Assignment;
import io.hivemesh.workload.internal.WorkloadStore.GuardedTask;
import io.hivemesh.workload.internal.WorkloadStore.RunningReplica;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The guardian's loop, once per heartbeat interval, for each task this node guards: when the
 * owner is gone (neither connected nor heard from for {@code owner_grace}) and this node is the
 * first live guardian in the task's list (the others wait), it heals the task's current
 * generation as the owner would: replicas whose node is lost (or whose award was never reported)
 * are dropped, the missing ones tendered under this node's own tender and awarded with a share
 * capability delegated from its heal capability to the winner. The replicas stay the owner's
 * ({@link Award#taskOwner()}): they report and heartbeat to it, and its deletes remove them. The
 * healer sends its assignments to the other guardians when they change, so that one of them
 * can go on if it goes too; the owner takes the task back when it returns ({@link GuardedTasks}).
 */
public final class GuardianHealing {
    private final MachineContext ctx;
    private final CapabilityService capabilities;
    private final GuardedTasks guarded;
    private final TenderRounds rounds;
    private final Map<PeerId, Long> lastSeen = new ConcurrentHashMap<>();
    private final Map<String, Long> nextTender = new HashMap<>();
    private final Map<String, Duration> backoff = new HashMap<>();
    private final Set<String> inFlight = new HashSet<>();
    private final Map<String, String> pushed = new HashMap<>();
    private final Map<String, Long> pushedAt = new HashMap<>();
    private final long startedMillis;

    GuardianHealing(MachineContext ctx, CapabilityService capabilities, GuardedTasks guarded, TenderRounds rounds) {
        this.ctx = ctx;
        this.capabilities = capabilities;
        this.guarded = guarded;
        this.rounds = rounds;
        this.startedMillis = ctx.clock().millis();
    }

    /** Notes that {@code peer} was heard from (a request, a gossip message). */
    public void seen(PeerId peer) {
        lastSeen.put(peer, ctx.clock().millis());
    }

    /** One round over the guarded tasks; never throws. */
    public void tick() {
        for (GuardedTask g : guarded.all()) {
            try {
                heal(g);
            } catch (RuntimeException e) {
                ctx.event(g.taskId(), g.generation(), "GuardianRepairFailed", OwnerTasks.rootMessage(e));
            }
        }
    }

    /** Whether {@code peer} is connected or was heard from within {@code graceMillis} (never before {@code since}). */
    private boolean alive(PeerId peer, long since, long graceMillis, long now) {
        return ctx.wire().isConnected(peer) || now - Math.max(since, lastSeen.getOrDefault(peer, 0L)) <= graceMillis;
    }

    private void heal(GuardedTask g) {
        long now = ctx.clock().millis();
        long ownerGrace = ctx.settings().ownerGrace().toMillis();
        PeerId owner = PeerId.parse(g.owner());
        if (!g.guardians().contains(ctx.self().toString())
                || alive(owner, Math.max(startedMillis, g.ownerHeardMillis()), ownerGrace, now)) {
            return;
        }
        for (String id : g.guardians()) {
            PeerId guardian = PeerId.parse(id);
            if (guardian.equals(ctx.self())) {
                break;
            }
            if (alive(guardian, 0, ownerGrace, now)) {
                return; // an earlier guardian is there: it heals
            }
        }
        if (!g.healer()) {
            ctx.event(g.taskId(), g.generation(), "GuardianTakeover", "owner " + owner + " unheard of for more than "
                    + ownerGrace / 1000.0 + " s: guardian " + ctx.self() + " heals the task");
            g = guarded.takeOver(g.taskId()).orElse(null);
            if (g == null) {
                return;
            }
        }
        dropLost(g, now);
        GuardedTask cur = ctx.store().guarded(g.taskId()).orElse(null);
        if (cur == null) {
            return;
        }
        tenderMissing(cur, now);
        pushToGuardians(cur, now);
    }

    private void dropLost(GuardedTask g, long now) {
        long grace = ctx.settings().nodeGrace().toMillis();
        long awardGrace = ctx.settings().shareTimeout().plus(ctx.settings().nodeGrace()).toMillis();
        for (Assignment a : g.assignments()) {
            if (a.generation() != g.generation()) {
                continue;
            }
            PeerId node = PeerId.parse(a.node());
            String why = null;
            if (node.equals(ctx.self())) {
                // This node's own replica: its worker's record says how it is (its own gossip does not come back).
                Optional<RunningReplica> mine = ctx.store().replica(g.taskId(), a.generation(), a.replica());
                if (mine.isEmpty() && now - a.lastReportMillis() > ctx.settings().requestTimeout().toMillis()) {
                    why = "no longer runs on this node";
                } else if (mine.isPresent() && !mine.get().state().equals(a.state())) {
                    guarded.onStatus(new StatusReport(g.taskId(), a.generation(), a.replica(), node,
                            mine.get().state(), mine.get().reason(), List.of(), now));
                }
            } else if (!alive(node, Math.max(startedMillis, a.lastReportMillis()), grace, now)) {
                why = "node " + node + " unheard of and not connected";
            } else if (a.state().equals("Awarded") && now - a.lastReportMillis() > awardGrace) {
                why = "node " + node + " never reported";
            }
            if (why != null) {
                guarded.change(g.taskId(), null, a);
                ctx.event(g.taskId(), a.generation(), "ReplicaLost", "replica " + a.replica() + ": " + why
                        + " (seen by guardian " + ctx.self() + ")");
            }
        }
    }

    private void tenderMissing(GuardedTask g, long now) {
        List<Assignment> current = g.assignments().stream().filter(a -> a.generation() == g.generation()).toList();
        List<Integer> missing = new ArrayList<>();
        for (int r = 0; r < g.replicas(); r++) {
            int replica = r;
            if (current.stream().noneMatch(a -> a.replica() == replica)) {
                missing.add(r);
            }
        }
        if (missing.isEmpty()) {
            return;
        }
        synchronized (this) {
            if (inFlight.contains(g.taskId()) || rounds.isOpen(g.taskId())
                    || now < nextTender.getOrDefault(g.taskId(), 0L)) {
                return;
            }
            inFlight.add(g.taskId());
        }
        Set<PeerId> excluded = new LinkedHashSet<>();
        current.forEach(a -> excluded.add(PeerId.parse(a.node())));
        rounds.open(g.taskId(), g.generation(), missing, g.cpuMillis(), g.memoryBytes(), new ArrayList<>(excluded))
                .thenCompose(this::award)
                .whenComplete((v, e) -> {
                    synchronized (this) {
                        inFlight.remove(g.taskId());
                        if (e != null) {
                            Duration b = backoff.getOrDefault(g.taskId(), ctx.settings().retenderMin());
                            nextTender.put(g.taskId(), ctx.clock().millis() + b.toMillis());
                            Duration doubled = b.multipliedBy(2);
                            backoff.put(g.taskId(), doubled.compareTo(ctx.settings().retenderMax()) > 0
                                    ? ctx.settings().retenderMax() : doubled);
                        } else {
                            backoff.remove(g.taskId());
                            nextTender.remove(g.taskId());
                        }
                    }
                });
    }

    private CompletableFuture<Void> award(TenderRounds.Closed closed) {
        GuardedTask g = ctx.store().guarded(closed.tender().taskId()).orElse(null);
        if (g == null || g.generation() != closed.tender().generation() || !g.healer()) {
            return CompletableFuture.completedFuture(null);
        }
        Map<Integer, PeerId> winners = Scheduler.award(closed.tender(), closed.bids());
        if (winners.size() < closed.tender().replicas().size()) {
            ctx.event(g.taskId(), g.generation(), "Pending", (closed.tender().replicas().size() - winners.size())
                    + " replica(s) without a node (guardian " + ctx.self() + "): " + closed.bids().size() + " bid(s)");
        }
        if (winners.isEmpty()) {
            return CompletableFuture.failedFuture(new WorkloadException("no fitting bids"));
        }
        List<CompletableFuture<Void>> awards = new ArrayList<>();
        winners.forEach((replica, node) -> awards.add(awardOne(g, replica, node)));
        return CompletableFuture.allOf(awards.toArray(CompletableFuture[]::new));
    }

    private CompletableFuture<Void> awardOne(GuardedTask g, int replica, PeerId node) {
        long now = ctx.clock().millis();
        PeerId owner = PeerId.parse(g.owner());
        List<PeerId> holders = g.holders().stream().map(PeerId::parse).toList();
        Award award = new Award(g.taskId(), g.generation(), ctx.self(), node, replica, holders, g.threshold(),
                g.guardians().stream().map(PeerId::parse).toList(), now, owner);
        byte[] token = delegate(g, owner, node, replica, now);
        Deploy deploy = new Deploy(award, new ManifestDelivery(g.taskId(), g.generation(), g.tenant(), g.name(),
                g.manifestNonce(), g.manifestCiphertext()), new CapabilityGrant(g.taskId(), g.generation(), token));
        Assignment a = new Assignment(replica, node.toString(), g.generation(), "Awarded", "", List.of(), now);
        guarded.change(g.taskId(), a, null);
        return ctx.reporter().send(node, deploy).handle((reply, error) -> {
            String refusal = error != null ? OwnerTasks.rootMessage(error)
                    : reply.isPresent() && reply.get() instanceof DeployResult r
                    ? (r.accepted() ? null : r.reason()) : "answered " + reply.map(MachineWire::kind).orElse("nothing");
            if (refusal != null) {
                guarded.change(g.taskId(), null, a);
                ctx.event(g.taskId(), g.generation(), "AwardRefused", "replica " + replica + " on " + node + ": "
                        + refusal + " (guardian " + ctx.self() + ")");
            } else {
                ctx.event(g.taskId(), g.generation(), "Awarded", "replica " + replica + " to " + node + " by guardian "
                        + ctx.self());
            }
            return null;
        });
    }

    /**
     * A share capability for {@code node}, delegated from this node's heal capability: action
     * {@code share:get} only, within the heal capability's times and at most {@code capability_ttl}.
     */
    private byte[] delegate(GuardedTask g, PeerId owner, PeerId node, int replica, long now) {
        String resource = ShareHolder.resource(g.taskId(), g.generation());
        Capability heal = Guardians.verifyOwn(capabilities, ctx.self(), g.healToken(), owner, resource,
                Guardians.HEAL_ACTION);
        Instant at = Instant.ofEpochMilli(now);
        Instant notBefore = at.minusSeconds(30).isAfter(heal.notBefore()) ? at.minusSeconds(30) : heal.notBefore();
        Instant until = at.plus(ctx.settings().capabilityTtl());
        Instant expiry = until.isBefore(heal.expiry()) ? until : heal.expiry();
        Map<String, String> caveats = new HashMap<>(heal.caveats());
        caveats.put("replica", Integer.toString(replica));
        return capabilities.delegate(g.healToken(), new Capability(ctx.self(), node, resource,
                Set.of(ShareHolder.SHARE_ACTION), notBefore, expiry, caveats));
    }

    /** Sends this healer's view to the other guardians when it changed, and as a keep-alive. */
    private void pushToGuardians(GuardedTask g, long now) {
        String view = g.generation() + " " + Guardians.placement(g.assignments());
        long keepAlive = Math.min(ctx.settings().ownerGrace().toMillis(), ctx.settings().nodeGrace().toMillis()) / 3;
        synchronized (this) {
            if (view.equals(pushed.get(g.taskId())) && now - pushedAt.getOrDefault(g.taskId(), 0L) < keepAlive) {
                return;
            }
            pushed.put(g.taskId(), view);
            pushedAt.put(g.taskId(), now);
        }
        for (String id : g.guardians()) {
            PeerId other = PeerId.parse(id);
            if (!other.equals(ctx.self())) {
                ctx.reporter().send(other, guarded.record(g, now)).exceptionally(e -> null);
            }
        }
    }
}

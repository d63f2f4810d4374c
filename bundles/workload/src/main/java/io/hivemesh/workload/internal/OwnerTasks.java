package io.hivemesh.workload.internal;

import io.hivemesh.api.crypto.Capability;
import io.hivemesh.api.crypto.CapabilityService;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.protocol.MachineMessage;
import io.hivemesh.protocol.MachineMessage.Award;
import io.hivemesh.protocol.MachineMessage.Bid;
import io.hivemesh.protocol.MachineMessage.CapabilityGrant;
import io.hivemesh.protocol.MachineMessage.Delete;
import io.hivemesh.protocol.MachineMessage.Deploy;
import io.hivemesh.protocol.MachineMessage.DeployResult;
import io.hivemesh.protocol.MachineMessage.ManifestDelivery;
import io.hivemesh.protocol.MachineMessage.StatusReport;
import io.hivemesh.workload.internal.WorkloadStore.Assignment;
import io.hivemesh.workload.internal.WorkloadStore.OwnedTask;
import io.hivemesh.workload.internal.WorkloadStore.Tombstone;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * The owner role: applies manifests as tasks (validated first, encrypted once per generation),
 * tenders for the replicas a task misses, awards the best bids (key split over the holders,
 * capability per winner), tracks what the winners report, and deletes tasks with signed,
 * tombstoned deletes. The repair loop ({@link OwnerHealing}) decides what is missing.
 */
public final class OwnerTasks {
    /** Why a tender round awarded nothing (the Pending event says more). */
    static final String NO_FITTING_BIDS = "no fitting bids";

    private final MachineContext ctx;
    private final CapabilityService capabilities;
    private final ManifestCipher cipher;
    private final KeyShares shares;
    private final TenderRounds rounds;
    private final NodeTable nodes;

    public OwnerTasks(MachineContext ctx, CapabilityService capabilities, ManifestCipher cipher, KeyShares shares,
                      TenderRounds rounds, NodeTable nodes) {
        this.ctx = ctx;
        this.capabilities = capabilities;
        this.cipher = cipher;
        this.shares = shares;
        this.rounds = rounds;
        this.nodes = nodes;
    }

    /** What {@link #apply} did. */
    public record Applied(String taskId, String name, long generation, int replicas, boolean changed) {
    }

    /**
     * Applies {@code yaml} for {@code tenant}: refused with the field named if invalid; the same
     * manifest and replica count again changes nothing; otherwise a new generation (rolling update).
     */
    public synchronized Applied apply(String tenant, String yaml, OptionalInt replicas) {
        ManifestResources.Parsed p = ManifestResources.parse(yaml, ctx.defaults());
        int wanted = replicas.isPresent() ? replicas.getAsInt() : p.replicas();
        if (wanted < 0 || wanted > 1000) {
            throw new WorkloadException("replicas must be 0..1000, not " + wanted);
        }
        String taskId = TaskIds.taskId(tenant, p.name());
        String digest = sha256(yaml);
        Optional<OwnedTask> old = ctx.store().task(taskId);
        if (old.isPresent() && old.get().manifestSha256().equals(digest) && old.get().replicas() == wanted) {
            return new Applied(taskId, p.name(), old.get().generation(), wanted, false);
        }
        long generation = Math.max(old.map(OwnedTask::generation).orElse(0L),
                Math.max(ctx.store().highestGeneration(taskId), ctx.store().tombstone(taskId)
                        .map(Tombstone::generation).orElse(0L))) + 1;
        byte[] key = cipher.newKey();
        try {
            ManifestDelivery d = cipher.seal(key, taskId, generation, tenant, p.name(), yaml);
            long now = ctx.clock().millis();
            OwnedTask t = new OwnedTask(taskId, tenant, p.name(), generation, wanted, digest, d.nonce(),
                    d.ciphertext(), shares.sealOwn(key, taskId, generation), p.cpuMillis(), p.memoryBytes(),
                    old.map(OwnedTask::assignments).orElse(List.of()), List.of(), 0,
                    old.map(OwnedTask::createdMillis).orElse(now), now);
            ctx.store().removeTombstone(taskId);
            ctx.store().putTask(t);
            ctx.store().recordGeneration(taskId, generation);
        } finally {
            Arrays.fill(key, (byte) 0);
        }
        ctx.event(taskId, generation, old.isPresent() ? "Updated" : "Applied", p.name() + ": " + wanted
                + " replica(s), " + p.cpuMillis() + "m CPU and " + p.memoryBytes() + " bytes each");
        return new Applied(taskId, p.name(), generation, wanted, true);
    }

    /** The owned task {@code idOrName} names (task id, or metadata.name when unambiguous). */
    public synchronized Optional<OwnedTask> find(String idOrName) {
        Optional<OwnedTask> byId = ctx.store().task(idOrName);
        if (byId.isPresent()) {
            return byId;
        }
        List<OwnedTask> named = ctx.store().tasks().stream().filter(t -> t.name().equals(idOrName)).toList();
        if (named.size() > 1) {
            throw new WorkloadException("'" + idOrName + "' names " + named.size() + " tasks (tenants "
                    + named.stream().map(OwnedTask::tenant).toList() + "): use the task id");
        }
        return named.stream().findFirst();
    }

    public List<OwnedTask> tasks() {
        return ctx.store().tasks();
    }

    /** Deletes a task: tombstone first, then a signed delete to every node that runs or holds a part of it. */
    public CompletableFuture<List<String>> delete(String idOrName) {
        OwnedTask t;
        synchronized (this) {
            t = find(idOrName).orElseThrow(() -> new WorkloadException("no task '" + idOrName + "' owned by this node"));
            ctx.store().putTombstone(new Tombstone(t.taskId(), t.generation(), ctx.self().toString(), ctx.clock().millis()));
            ctx.store().removeTask(t.taskId());
        }
        Delete d = new Delete(t.taskId(), t.generation(), -1, ctx.self(), true, ctx.clock().millis());
        java.util.LinkedHashSet<PeerId> targets = new java.util.LinkedHashSet<>();
        t.assignments().forEach(a -> targets.add(PeerId.parse(a.node())));
        t.holders().forEach(h -> targets.add(PeerId.parse(h)));
        targets.add(ctx.self());
        List<CompletableFuture<String>> sent = new ArrayList<>();
        for (PeerId node : targets) {
            sent.add(ctx.reporter().send(node, d).handle((r, e) -> node + (e == null ? ": removed"
                    : ": not reached (" + rootMessage(e) + "); it removes its part when it next reports")));
        }
        ctx.wire().publish(MachineTransport.TENDERS_TOPIC, d).exceptionally(e -> null);
        ctx.event(t.taskId(), t.generation(), "Deleted", t.name() + " deleted by its owner");
        return CompletableFuture.allOf(sent.toArray(CompletableFuture[]::new))
                .thenApply(v -> sent.stream().map(CompletableFuture::join).toList());
    }

    /** A bid for one of this node's tenders. */
    public void onBid(Bid b) {
        rounds.onBid(b);
    }

    /** A winner's report on its replica: recorded; a failure frees the replica for another tender. */
    public synchronized void onStatus(PeerId from, StatusReport s) {
        Optional<OwnedTask> t = ctx.store().task(s.taskId());
        if (t.isEmpty()) {
            return;
        }
        List<Assignment> next = new ArrayList<>();
        boolean matched = false;
        for (Assignment a : t.get().assignments()) {
            if (a.replica() == s.replica() && a.generation() == s.generation() && a.node().equals(from.toString())) {
                matched = true;
                if (s.state().equals("Failed")) {
                    ctx.event(s.taskId(), s.generation(), "ReplicaFailed", "replica " + s.replica() + " on " + from
                            + ": " + s.reason());
                    continue;
                }
                next.add(new Assignment(a.replica(), a.node(), a.generation(), s.state(), s.reason(), s.ports(),
                        ctx.clock().millis()));
            } else {
                next.add(a);
            }
        }
        if (matched) {
            boolean wasAvailable = available(t.get(), t.get().assignments());
            ctx.store().putTask(t.get().withAssignments(next, ctx.clock().millis()));
            if (!wasAvailable && available(t.get(), next)) {
                // what the apply-latency metric measures: Applied/Updated to this event
                ctx.event(s.taskId(), t.get().generation(), "Available", "all " + t.get().replicas()
                        + " replica(s) of generation " + t.get().generation() + " running");
            }
        }
    }

    /** Whether every wanted replica of {@code t}'s current generation reports Running. */
    static boolean available(OwnedTask t, List<Assignment> assignments) {
        long running = assignments.stream().filter(a -> a.generation() == t.generation()
                && a.state().equals("Running")).count();
        return t.replicas() > 0 && running >= t.replicas();
    }

    /**
     * Tenders for {@code replicas} of the task's current generation and awards the bids; completes
     * when the awards are answered. Called by the repair loop.
     */
    CompletableFuture<Void> tender(OwnedTask t, List<Integer> replicas, List<PeerId> excluded) {
        return rounds.open(t.taskId(), t.generation(), replicas, t.cpuMillis(), t.memoryBytes(), excluded)
                .thenCompose(closed -> award(closed));
    }

    private CompletableFuture<Void> award(TenderRounds.Closed closed) {
        OwnedTask t;
        synchronized (this) {
            Optional<OwnedTask> now = ctx.store().task(closed.tender().taskId());
            if (now.isEmpty() || now.get().generation() != closed.tender().generation()) {
                return CompletableFuture.completedFuture(null);
            }
            t = now.get();
        }
        List<Bid> ranked = Scheduler.rank(closed.tender(), closed.bids());
        Map<Integer, PeerId> winners = Scheduler.award(closed.tender(), closed.bids());
        if (winners.size() < closed.tender().replicas().size()) {
            ctx.event(t.taskId(), t.generation(), "Pending", (closed.tender().replicas().size() - winners.size())
                    + " replica(s) without a node: " + closed.bids().size() + " bid(s), " + ranked.size()
                    + " with room for " + t.cpuMillis() + "m CPU and " + t.memoryBytes() + " bytes");
        }
        if (winners.isEmpty()) {
            return CompletableFuture.failedFuture(new WorkloadException(NO_FITTING_BIDS));
        }
        return holders(t, ranked).thenCompose(withHolders -> {
            List<CompletableFuture<Void>> awards = new ArrayList<>();
            winners.forEach((replica, node) -> awards.add(awardOne(withHolders, replica, node)));
            return CompletableFuture.allOf(awards.toArray(CompletableFuture[]::new));
        });
    }

    /**
     * The task with its generation's holders: chosen and given their shares on the first award, and
     * again (a fresh split of the same key over live nodes) once fewer than the threshold of them
     * are alive, since no award could then collect enough shares.
     */
    private CompletableFuture<OwnedTask> holders(OwnedTask t, List<Bid> ranked) {
        long since = ctx.clock().millis() - ctx.settings().nodeGrace().toMillis();
        int alive = aliveHolders(t, since);
        if (!t.holders().isEmpty() && alive >= t.threshold()) {
            return CompletableFuture.completedFuture(t);
        }
        String again = t.holders().isEmpty() ? "" : " (again: " + alive + " of the " + t.holders().size()
                + " holders alive, " + t.threshold() + " needed)";
        List<PeerId> chosen = Scheduler.holders(ctx.self(), ranked, nodes.aliveSince(since),
                ctx.settings().maxHolders());
        byte[] key = shares.openOwn(t.sealedManifestKey(), t.taskId(), t.generation());
        return shares.distribute(key, t.taskId(), t.generation(), chosen).whenComplete((d, e) -> Arrays.fill(key,
                (byte) 0)).thenApply(d -> {
            synchronized (this) {
                OwnedTask now = ctx.store().task(t.taskId()).orElseThrow(() -> new WorkloadException(
                        "task " + t.taskId() + " was deleted while its shares were distributed"));
                OwnedTask next = now.withHolders(d.holders().stream().map(PeerId::toString).toList(), d.threshold(),
                        ctx.clock().millis());
                ctx.store().putTask(next);
                ctx.event(t.taskId(), t.generation(), "SharesDistributed", "manifest key split "
                        + d.threshold() + "-of-" + d.holders().size() + " over " + d.holders() + again);
                return next;
            }
        });
    }

    /** Holders that are this node, connected, or heard from since {@code sinceMillis} (not lost, as the healer counts). */
    private int aliveHolders(OwnedTask t, long sinceMillis) {
        List<PeerId> heard = nodes.aliveSince(sinceMillis);
        int alive = 0;
        for (String h : t.holders()) {
            PeerId p = PeerId.parse(h);
            if (p.equals(ctx.self()) || ctx.wire().isConnected(p) || heard.contains(p)) {
                alive++;
            }
        }
        return alive;
    }

    private CompletableFuture<Void> awardOne(OwnedTask t, int replica, PeerId node) {
        long now = ctx.clock().millis();
        List<PeerId> holders = t.holders().stream().map(PeerId::parse).toList();
        Award award = new Award(t.taskId(), t.generation(), ctx.self(), node, replica, holders, t.threshold(),
                Guardians.of(holders, ctx.self()), now);
        byte[] token = capabilities.issue(new Capability(ctx.self(), node, ShareHolder.resource(t.taskId(),
                t.generation()), Set.of(ShareHolder.SHARE_ACTION), Instant.ofEpochMilli(now).minusSeconds(30),
                Instant.ofEpochMilli(now).plus(ctx.settings().capabilityTtl()), Map.of("replica",
                Integer.toString(replica))));
        Deploy deploy = new Deploy(award, new ManifestDelivery(t.taskId(), t.generation(), t.tenant(), t.name(),
                t.manifestNonce(), t.manifestCiphertext()), new CapabilityGrant(t.taskId(), t.generation(), token));
        synchronized (this) {
            addAssignment(t.taskId(), new Assignment(replica, node.toString(), t.generation(), "Awarded", "",
                    List.of(), now));
        }
        return ctx.reporter().send(node, deploy).handle((reply, error) -> {
            String refusal = error != null ? rootMessage(error)
                    : reply.isPresent() && reply.get() instanceof DeployResult r
                    ? (r.accepted() ? null : r.reason()) : "answered " + reply.map(MachineWire::kind).orElse("nothing");
            synchronized (this) {
                if (refusal != null) {
                    removeAssignment(t.taskId(), replica, node, t.generation());
                    ctx.event(t.taskId(), t.generation(), "AwardRefused", "replica " + replica + " on " + node
                            + ": " + refusal);
                } else {
                    ctx.event(t.taskId(), t.generation(), "Awarded", "replica " + replica + " to " + node);
                }
            }
            return null;
        });
    }

    private void addAssignment(String taskId, Assignment a) {
        ctx.store().task(taskId).ifPresent(t -> {
            List<Assignment> next = new ArrayList<>(t.assignments());
            next.add(a);
            ctx.store().putTask(t.withAssignments(next, ctx.clock().millis()));
        });
    }

    /**
     * Takes a guardian's assignments of the task's current generation (hand-back after the guardian
     * healed it): they replace this node's own; false if the task is gone or at another generation.
     */
    synchronized boolean adoptAssignments(String taskId, long generation, List<Assignment> assignments) {
        Optional<OwnedTask> t = ctx.store().task(taskId);
        if (t.isEmpty() || t.get().generation() != generation) {
            return false;
        }
        ctx.store().putTask(t.get().withAssignments(assignments, ctx.clock().millis()));
        return true;
    }

    synchronized void removeAssignment(String taskId, int replica, PeerId node, long generation) {
        ctx.store().task(taskId).ifPresent(t -> {
            List<Assignment> next = new ArrayList<>(t.assignments());
            next.removeIf(a -> a.replica() == replica && a.node().equals(node.toString())
                    && a.generation() == generation);
            ctx.store().putTask(t.withAssignments(next, ctx.clock().millis()));
        });
    }

    static String rootMessage(Throwable e) {
        Throwable c = e;
        while (c.getCause() != null && (c instanceof java.util.concurrent.CompletionException
                || c instanceof java.util.concurrent.ExecutionException)) {
            c = c.getCause();
        }
        return c.getMessage() == null ? c.toString() : c.getMessage();
    }

    private static String sha256(String s) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}

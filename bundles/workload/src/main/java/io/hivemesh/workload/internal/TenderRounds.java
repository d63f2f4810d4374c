package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.protocol.MachineMessage.Bid;
import io.hivemesh.protocol.MachineMessage.Tender;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The owner's open tenders: publishes one, collects the bids that arrive for it until its bid
 * window closes (this node's own bid included, computed locally), then completes with them. At
 * most one round per task at a time; bids for unknown or closed rounds are dropped.
 */
public final class TenderRounds {
    private static final int MAX_BIDS = 1024;

    private final MachineContext ctx;
    private final Function<Tender, Optional<Bid>> localBid;
    private final Map<String, Round> byTender = new HashMap<>();
    private final Map<String, Round> byTask = new HashMap<>();

    public TenderRounds(MachineContext ctx, Function<Tender, Optional<Bid>> localBid) {
        this.ctx = ctx;
        this.localBid = localBid;
    }

    /** An open round, with its tender and the bids so far. */
    static final class Round {
        final Tender tender;
        final List<Bid> bids = new ArrayList<>();
        final CompletableFuture<List<Bid>> closed = new CompletableFuture<>();

        Round(Tender tender) {
            this.tender = tender;
        }
    }

    /** Whether a round for {@code taskId} is open. */
    public synchronized boolean isOpen(String taskId) {
        return byTask.containsKey(taskId);
    }

    /**
     * Opens a round for {@code replicas} of the task generation: publishes the tender and completes,
     * when the bid window has passed, with the tender and every bid received.
     */
    public CompletableFuture<Closed> open(String taskId, long generation, List<Integer> replicas, long cpuMillis,
                                          long memoryBytes, List<PeerId> excluded) {
        byte[] id = new byte[12];
        new java.security.SecureRandom().nextBytes(id);
        long deadline = ctx.clock().millis() + ctx.settings().bidWindow().toMillis();
        Tender t = new Tender(HexFormat.of().formatHex(id), taskId, generation, ctx.self(), replicas, cpuMillis,
                memoryBytes, excluded, deadline);
        Round round = new Round(t);
        synchronized (this) {
            if (byTask.containsKey(taskId)) {
                return CompletableFuture.failedFuture(new WorkloadException("a tender for task " + taskId
                        + " is already open"));
            }
            byTender.put(t.tenderId(), round);
            byTask.put(taskId, round);
        }
        if (ctx.settings().bidOnOwnTasks()) {
            localBid.apply(t).ifPresent(this::onBid);
        }
        ctx.wire().publish(MachineTransport.TENDERS_TOPIC, t).exceptionally(e -> null);
        ctx.event(taskId, generation, "Tender", "replicas " + replicas + " wanted: " + cpuMillis + "m CPU, "
                + memoryBytes + " bytes each; bids until +" + ctx.settings().bidWindow().toMillis() + " ms");
        ctx.executor().schedule(() -> close(round), ctx.settings().bidWindow().toMillis(), TimeUnit.MILLISECONDS);
        return round.closed.thenApply(bids -> new Closed(t, bids));
    }

    /** A bid: kept if its round is open and the bid is for it. */
    public void onBid(Bid b) {
        synchronized (this) {
            Round r = byTender.get(b.tenderId());
            if (r == null || !r.tender.taskId().equals(b.taskId()) || r.bids.size() >= MAX_BIDS) {
                return;
            }
            r.bids.add(b);
        }
    }

    private void close(Round r) {
        List<Bid> bids;
        synchronized (this) {
            byTender.remove(r.tender.tenderId());
            byTask.remove(r.tender.taskId());
            bids = List.copyOf(r.bids);
        }
        r.closed.complete(bids);
    }

    /** A closed round. */
    public record Closed(Tender tender, List<Bid> bids) {
    }
}

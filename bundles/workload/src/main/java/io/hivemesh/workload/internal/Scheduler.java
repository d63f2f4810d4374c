package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.protocol.MachineMessage.Bid;
import io.hivemesh.protocol.MachineMessage.Tender;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scheduling arithmetic, free of I/O: how a bidder scores itself, which bids an owner accepts,
 * which nodes win which replicas, who holds key shares and how many of them open the manifest.
 */
public final class Scheduler {
    /** Weight of free CPU, free memory and "few replicas already" in a bid's score (sum 1). */
    static final double CPU_WEIGHT = 0.4;
    static final double MEMORY_WEIGHT = 0.4;
    static final double SPREAD_WEIGHT = 0.2;

    private Scheduler() {
    }

    /**
     * The score a node bids with for {@code cpuMillis}/{@code memoryBytes} (0..100, higher is
     * better): what stays free after taking the replica, as a fraction of its capacity, and how few
     * replicas it runs already. Negative when it does not fit.
     */
    public static double score(Capacity total, Capacity free, int runningReplicas, long cpuMillis, long memoryBytes) {
        if (!fits(free, cpuMillis, memoryBytes)) {
            return -1;
        }
        double cpuLeft = total.cpuMillis() <= 0 ? 0 : (double) (free.cpuMillis() - cpuMillis) / total.cpuMillis();
        double memLeft = total.memoryBytes() <= 0 ? 0
                : (double) (free.memoryBytes() - memoryBytes) / total.memoryBytes();
        double spread = 1.0 / (1 + Math.max(0, runningReplicas));
        return 100 * (CPU_WEIGHT * clamp(cpuLeft) + MEMORY_WEIGHT * clamp(memLeft) + SPREAD_WEIGHT * spread);
    }

    /** Whether {@code free} holds the request. */
    public static boolean fits(Capacity free, long cpuMillis, long memoryBytes) {
        return free.cpuMillis() >= cpuMillis && free.memoryBytes() >= memoryBytes;
    }

    /**
     * The bids an owner considers for {@code tender}: for this tender, claiming room for the
     * request, from nodes not excluded, at most one per bidder (its best score), best first (ties by
     * PeerId, so every owner orders alike).
     */
    public static List<Bid> rank(Tender tender, List<Bid> bids) {
        Map<PeerId, Bid> best = new LinkedHashMap<>();
        Set<PeerId> excluded = new HashSet<>(tender.excluded());
        for (Bid b : bids) {
            if (!b.tenderId().equals(tender.tenderId()) || !b.taskId().equals(tender.taskId())
                    || b.generation() != tender.generation() || excluded.contains(b.bidder())
                    || b.freeCpuMillis() < tender.cpuMillis() || b.freeMemoryBytes() < tender.memoryBytes()
                    || !(b.score() >= 0 && b.score() <= 100)) {
                continue;
            }
            best.merge(b.bidder(), b, (x, y) -> x.score() >= y.score() ? x : y);
        }
        List<Bid> ranked = new ArrayList<>(best.values());
        ranked.sort(Comparator.comparingDouble(Bid::score).reversed()
                .thenComparing(b -> b.bidder().toString()));
        return ranked;
    }

    /** The winners: the best distinct bidders, one per wanted replica (fewer when bids are short). */
    public static Map<Integer, PeerId> award(Tender tender, List<Bid> bids) {
        List<Bid> ranked = rank(tender, bids);
        Map<Integer, PeerId> winners = new LinkedHashMap<>();
        int i = 0;
        for (int replica : tender.replicas()) {
            if (i >= ranked.size()) {
                break;
            }
            winners.put(replica, ranked.get(i++).bidder());
        }
        return winners;
    }

    /**
     * The share holders: the owner first, then the ranked bidders, then {@code others} (nodes seen
     * recently), distinct, at most {@code max}.
     */
    public static List<PeerId> holders(PeerId owner, List<Bid> ranked, List<PeerId> others, int max) {
        Set<PeerId> out = new java.util.LinkedHashSet<>();
        out.add(owner);
        for (Bid b : ranked) {
            out.add(b.bidder());
        }
        out.addAll(others);
        List<PeerId> list = new ArrayList<>(out);
        return List.copyOf(list.subList(0, Math.min(list.size(), Math.max(1, max))));
    }

    /** Shares needed to open a manifest split over {@code holders} shares: max(2, n/2+1), and 1 for a lone holder. */
    public static int threshold(int holders) {
        if (holders < 1) {
            throw new IllegalArgumentException("at least one share holder is needed, not " + holders);
        }
        return holders == 1 ? 1 : Math.min(holders, Math.max(2, holders / 2 + 1));
    }

    private static double clamp(double v) {
        return Math.max(0, Math.min(1, v));
    }
}

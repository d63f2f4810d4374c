package io.hivemesh.workload.internal;

import io.hivemesh.crypto.internal.Standalone;
import io.hivemesh.workload.internal.MachineNodesForTests.TestNode;
import io.hivemesh.workload.internal.MeshTrafficForTests.Count;
import io.hivemesh.workload.internal.WorkloadStore.OwnedTask;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Figures, not a test (docs/benchmarks.md, "Machine plane simulation"): for 3, 10 and 50
 * in-process nodes in one run (real crypto, stores, scheduling and share logic, the in-memory mesh,
 * the <b>mock engine</b>: nothing runs), one owner applies N Deployments of 2 replicas one after
 * the other; per apply it reports the messages and bytes that crossed the mesh (direct requests and
 * gossip apart, heartbeats left out and reported as background) and the time from {@code apply}
 * to both replicas Running at the owner (p50, p99). Arguments: {@code [applies=20] [sizes=3,10,50]}.
 */
public final class MachinePlaneSimulation {
    private static final Set<String> BACKGROUND = Set.of("Heartbeat");
    private static final Capacity NODE = new Capacity(4000, 8L << 30);
    /** The shipped defaults (heartbeat 2 s, bid window 250 ms, ...). */
    private static final MachineSettings SETTINGS = MachineSettings.defaults();

    private MachinePlaneSimulation() {
    }

    /** What one mesh size gave. */
    record Result(int nodes, int applies, List<Long> latencyMillis, List<Long> toTenderMillis, Count direct, Count gossip,
                  Map<String, Count> byKind, double heartbeatsPerSecond, double heartbeatBytesPerSecond) {
    }

    public static void main(String[] args) throws Exception {
        System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        int applies = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        int[] sizes = args.length > 1 ? Arrays.stream(args[1].split(",")).mapToInt(Integer::parseInt).toArray()
                : new int[] {3, 10, 50};
        System.out.printf("machine-plane simulation on the MOCK engine (nothing runs), in-process, %d applies of"
                + " 2 replicas per size; heartbeat %d ms, bid window %d ms%n", applies,
                SETTINGS.heartbeatInterval().toMillis(),
                SETTINGS.bidWindow().toMillis());
        List<Result> results = new ArrayList<>();
        for (int n : sizes) {
            results.add(run(n, applies));
        }
        System.out.println();
        System.out.println("| nodes | direct msgs / apply | direct KiB / apply | gossip deliveries / apply"
                + " | gossip KiB / apply | apply → 2 Running p50 / p99 | of which apply → tender p50 / p99"
                + " | background heartbeats (msgs/s, KiB/s) |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- |");
        for (Result r : results) {
            System.out.printf("| %d | %.1f | %.1f | %.1f | %.1f | %d / %d ms | %d / %d ms | %.0f, %.1f |%n", r.nodes(),
                    (double) r.direct().messages() / r.applies(), r.direct().bytes() / 1024.0 / r.applies(),
                    (double) r.gossip().messages() / r.applies(), r.gossip().bytes() / 1024.0 / r.applies(),
                    percentile(r.latencyMillis(), 50), percentile(r.latencyMillis(), 99),
                    percentile(r.toTenderMillis(), 50), percentile(r.toTenderMillis(), 99), r.heartbeatsPerSecond(),
                    r.heartbeatBytesPerSecond() / 1024);
        }
        System.out.println();
        System.out.println("Per apply, by kind (messages, KiB):");
        for (Result r : results) {
            StringBuilder line = new StringBuilder("  " + r.nodes() + " nodes:");
            r.byKind().forEach((k, c) -> line.append(String.format(" %s %.1f (%.1f KiB);", k,
                    (double) c.messages() / r.applies(), c.bytes() / 1024.0 / r.applies())));
            System.out.println(line);
        }
    }

    private static Result run(int n, int applies) throws Exception {
        Path dir = Files.createTempDirectory("hivemesh-machine-sim");
        InMemoryMeshForTests mesh = MachineSimulationForTests.mesh();
        try (MachineNodesForTests sim = new MachineNodesForTests(dir, mesh)) {
            List<TestNode> nodes = new ArrayList<>();
            for (int i = 0; i < n; i++) {
                nodes.add(sim.add(NODE, SETTINGS, Standalone.identity(), null));
            }
            TestNode owner = nodes.get(0);
            MachineNodesForTests.await("the owner hears every node", 60, () -> owner.node().nodes().all().size() == n);
            quiet(mesh);
            List<Long> latencies = new ArrayList<>();
            List<Long> toTender = new ArrayList<>();
            Map<String, Count> perKind = new TreeMap<>();
            long startNanos = System.nanoTime();
            Map<String, Count> start = mesh.traffic.snapshot();
            for (int i = 0; i < applies; i++) {
                Map<String, Count> before = mesh.traffic.snapshot();
                long t0 = System.nanoTime();
                long appliedAt = System.currentTimeMillis();
                OwnerTasks.Applied a = owner.service().apply(MachineSimulationForTests.deployment(
                        "bench-%02d".formatted(i), 2, 100, 64), java.util.OptionalInt.empty());
                long deadline = t0 + TimeUnit.SECONDS.toNanos(60);
                while (running(owner, a.taskId()) < 2) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("apply " + i + " at " + n + " nodes: not running after 60 s");
                    }
                    Thread.sleep(2);
                }
                latencies.add(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
                toTender.add(owner.service().events(a.taskId()).stream().filter(e -> e.kind().equals("Tender"))
                        .mapToLong(e -> e.atMillis() - appliedAt).findFirst().orElse(-1));
                quiet(mesh);
                Map<String, Count> after = mesh.traffic.snapshot();
                after.forEach((k, c) -> {
                    if (!BACKGROUND.contains(k.split("/", 2)[1])) {
                        Count d = c.minus(before.getOrDefault(k, new Count(0, 0)));
                        perKind.merge(k, d, (x, y) -> new Count(x.messages() + y.messages(), x.bytes() + y.bytes()));
                    }
                });
            }
            double seconds = (System.nanoTime() - startNanos) / 1e9;
            Map<String, Count> end = mesh.traffic.snapshot();
            long hbMessages = 0;
            long hbBytes = 0;
            for (Map.Entry<String, Count> e : end.entrySet()) {
                if (BACKGROUND.contains(e.getKey().split("/", 2)[1])) {
                    Count d = e.getValue().minus(start.getOrDefault(e.getKey(), new Count(0, 0)));
                    hbMessages += d.messages();
                    hbBytes += d.bytes();
                }
            }
            Result r = new Result(n, applies, latencies, toTender, MeshTrafficForTests.total(perKind,
                    MeshTrafficForTests.DIRECT, Set.of()), MeshTrafficForTests.total(perKind,
                    MeshTrafficForTests.GOSSIP, Set.of()), perKind, hbMessages / seconds, hbBytes / seconds);
            System.out.printf("%d nodes: done (%d applies in %.1f s)%n", n, applies, seconds);
            return r;
        } finally {
            deleteTree(dir);
        }
    }

    private static int running(TestNode owner, String taskId) {
        OwnedTask t = owner.store().task(taskId).orElseThrow();
        return (int) t.assignments().stream().filter(a -> a.generation() == t.generation()
                && a.state().equals("Running")).count();
    }

    /** Waits until no message but heartbeats crossed the mesh for 500 ms (at most 20 s). */
    private static void quiet(InMemoryMeshForTests mesh) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        long last = -1;
        long stableSince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Map<String, Count> now = mesh.traffic.snapshot();
            long total = MeshTrafficForTests.total(now, MeshTrafficForTests.DIRECT, BACKGROUND).messages()
                    + MeshTrafficForTests.total(now, MeshTrafficForTests.GOSSIP, BACKGROUND).messages();
            if (total != last) {
                last = total;
                stableSince = System.nanoTime();
            } else if (System.nanoTime() - stableSince > TimeUnit.MILLISECONDS.toNanos(500)) {
                return;
            }
            Thread.sleep(20);
        }
        throw new IllegalStateException("the mesh did not go quiet within 20 s");
    }

    /** Nearest-rank percentile. */
    static long percentile(List<Long> values, int p) {
        List<Long> sorted = new ArrayList<>(values);
        sorted.sort(Comparator.naturalOrder());
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, rank - 1)));
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }
}

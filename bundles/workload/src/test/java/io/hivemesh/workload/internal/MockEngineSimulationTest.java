package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.crypto.internal.Standalone;
import io.hivemesh.protocol.MachineMessage.WorkloadEvent;
import io.hivemesh.workload.internal.MachineNodesForTests.TestNode;
import io.hivemesh.workload.internal.MachineSimulationForTests.SimTask;
import io.hivemesh.workload.internal.WorkloadStore.OwnedTask;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The machine plane at scale, on the <b>mock engine</b> (it records pods, nothing runs): 50
 * in-process nodes with real crypto, stores, scheduling and key-share logic over the in-memory
 * mesh. 30 Deployments of 1–4 replicas with varied requests on nodes of varied capacity (a few
 * with none); then 10 nodes (20 %, fixed seed, nodes running replicas first, never an owner:
 * losing an owner is not simulated here) are cut off, and later come back. Checked
 * throughout (sampled) and after every phase: no node overcommits, by its runtime's pods, its
 * replica records or its reservations; a task's replicas are on distinct nodes. After every phase,
 * within a bounded time: every replica that can fit runs, on live nodes, the others are Pending
 * with the reason in the owner's events, and every runtime holds exactly the assigned pods (so the
 * returning nodes removed their stale ones).
 */
class MockEngineSimulationTest {
    static final int NODES = 50;
    static final int OWNERS = 5;
    static final int KILLED = 10;
    static final int TASKS = 30;
    static final long SEED = 12;
    static final Capacity NONE = new Capacity(0, 0);
    static final Capacity SMALL = new Capacity(1000, 1L << 30);
    static final Capacity MEDIUM = new Capacity(4000, 8L << 30);
    static final Capacity LARGE = new Capacity(16000, 32L << 30);
    /** Requests per replica the tasks pick from: millicores, MiB. */
    static final long[][] REQUESTS = {{100, 64}, {250, 128}, {500, 512}, {1000, 1024}, {2000, 2048}, {3000, 6144}};
    /**
     * Bound of each phase: 10–20 s is usual (a grace period, some re-tenders), more when the machine
     * is shared with other busy processes.
     */
    static final int SETTLE_SECONDS = 90;

    @TempDir
    Path dir;
    MachineNodesForTests sim;
    final List<TestNode> nodes = new ArrayList<>();
    final Map<PeerId, Capacity> capacity = new HashMap<>();
    final List<SimTask> tasks = new CopyOnWriteArrayList<>();
    final List<String> sampledViolations = new CopyOnWriteArrayList<>();
    final AtomicInteger samples = new AtomicInteger();
    Thread sampler;

    @BeforeEach
    void setUp() {
        sim = new MachineNodesForTests(dir, MachineSimulationForTests.mesh());
        List<Capacity> others = new ArrayList<>();
        others.addAll(Collections.nCopies(3, NONE));
        others.addAll(Collections.nCopies(15, SMALL));
        others.addAll(Collections.nCopies(20, MEDIUM));
        others.addAll(Collections.nCopies(NODES - OWNERS - 38, LARGE));
        Collections.shuffle(others, new Random(SEED));
        List<Capacity> all = new ArrayList<>(Collections.nCopies(OWNERS, MEDIUM));
        all.addAll(others);
        for (Capacity c : all) {
            TestNode n = sim.add(c, MachineSimulationForTests.SETTINGS, Standalone.identity(), null);
            nodes.add(n);
            capacity.put(n.id(), c);
        }
        sampler = new Thread(() -> {
            while (!Thread.currentThread().isInterrupted() && sampledViolations.size() < 100) {
                sampledViolations.addAll(MachineSimulationForTests.overcommits(nodes, capacity, tasks));
                samples.incrementAndGet();
                try {
                    Thread.sleep(50);
                } catch (InterruptedException e) {
                    return;
                }
            }
        }, "overcommit-sampler");
        sampler.setDaemon(true);
        sampler.start();
    }

    @AfterEach
    void tearDown() throws Exception {
        sampler.interrupt();
        sampler.join(TimeUnit.SECONDS.toMillis(5));
        sim.close();
    }

    @Test
    void fiftyNodesPlaceThirtyTasksWithoutOvercommitAndHealAfterLosingTenOfThem() throws Exception {
        Random random = new Random(SEED);
        long phase = System.currentTimeMillis();
        for (int i = 0; i < TASKS - 2; i++) {
            long[] req = REQUESTS[random.nextInt(REQUESTS.length)];
            int replicas = 1 + random.nextInt(4);
            tasks.add(MachineSimulationForTests.apply(nodes.get(i % OWNERS),
                    MachineSimulationForTests.deployment("sim-%02d".formatted(i), replicas, req[0], req[1])));
        }
        // More CPU than any node has: never placed. Four replicas only the large nodes can hold.
        SimTask huge = MachineSimulationForTests.apply(nodes.get(3),
                MachineSimulationForTests.deployment("sim-huge", 2, 20_000, 1024));
        tasks.add(huge);
        tasks.add(MachineSimulationForTests.apply(nodes.get(4),
                MachineSimulationForTests.deployment("sim-wide", 4, 12_000, 8192)));
        assertEquals(TASKS, tasks.size());

        settle("the first placement", nodes);
        assertInvariants();
        assertTrue(running(huge).isEmpty(), "no node can hold sim-huge");
        awaitPendingWithReason(phase);
        long placed = tasks.stream().mapToLong(t -> running(t).size()).sum();
        assertTrue(placed > 50, "most replicas are placed: " + placed);

        // Cut off 10 non-owner nodes (fixed seed), those that run replicas first.
        List<TestNode> busy = new ArrayList<>(nodes.subList(OWNERS, NODES));
        busy.removeIf(n -> n.engine().workloadIds().isEmpty());
        List<TestNode> idle = new ArrayList<>(nodes.subList(OWNERS, NODES));
        idle.removeAll(busy);
        Collections.shuffle(busy, new Random(SEED));
        Collections.shuffle(idle, new Random(SEED));
        List<TestNode> order = new ArrayList<>(busy);
        order.addAll(idle);
        List<TestNode> killed = List.copyOf(order.subList(0, KILLED));
        assertTrue(killed.stream().mapToLong(n -> n.engine().workloadIds().size()).sum() > 0,
                "the nodes to cut off run replicas");
        Map<TestNode, List<String>> stale = MachineSimulationForTests.pods(killed);
        phase = System.currentTimeMillis();
        killed.forEach(n -> sim.mesh.down(n.id(), true));
        List<TestNode> live = new ArrayList<>(nodes);
        live.removeAll(killed);

        settle("healing after losing " + KILLED + " nodes", live);
        assertInvariants();
        for (SimTask t : tasks) {
            for (String node : running(t)) {
                assertTrue(live.stream().anyMatch(n -> n.id().toString().equals(node)), t.name() + " runs on " + node
                        + ", a dead node");
            }
        }
        awaitPendingWithReason(phase);
        for (TestNode n : killed) {
            assertEquals(stale.get(n), n.engine().workloadIds(), "a cut-off node keeps its pods while away");
        }

        phase = System.currentTimeMillis();
        killed.forEach(n -> sim.mesh.down(n.id(), false));
        settle("the return of the lost nodes", nodes);
        assertInvariants();
        awaitPendingWithReason(phase);
        // Settled means each runtime holds exactly what its owners assign; a stale pod still there must be one
        // its owner gave back to that node (same replica, same runtime id) after it returned.
        int removed = 0;
        for (TestNode n : killed) {
            for (String pod : stale.get(n)) {
                if (!n.engine().workloadIds().contains(pod)) {
                    removed++;
                } else {
                    assertTrue(assignedTo(n, pod), n.name() + " still runs " + pod + ", which no owner assigns to it");
                }
            }
        }
        assertTrue(removed > 0, "the returning nodes removed their stale pods");
        assertTrue(sampledViolations.isEmpty(), "sampled while running: " + sampledViolations);
        assertTrue(samples.get() > 10, "the overcommit sampler ran (" + samples.get() + " samples)");
    }

    /** Waits (bounded) until {@link MachineSimulationForTests#unsettled} is empty for {@code live}. */
    private void settle(String phase, List<TestNode> live) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(SETTLE_SECONDS);
        List<String> why = MachineSimulationForTests.unsettled(live, capacity, tasks);
        while (!why.isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not settled " + SETTLE_SECONDS + " s after " + phase + ": "
                        + why.subList(0, Math.min(20, why.size())) + (why.size() > 20 ? " …" : "") + story(why));
            }
            Thread.sleep(100);
            why = MachineSimulationForTests.unsettled(live, capacity, tasks);
        }
        System.out.printf("mock-engine simulation: %s settled after %d ms; %s%n", phase,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - deadline) + TimeUnit.SECONDS.toMillis(SETTLE_SECONDS),
                summary());
    }

    /**
     * For the log (not asserted): the longest gossip waits, the owners' events by kind so far, and
     * why awards did not stick (refusals, failures, expiries; peers, ids and numbers blanked).
     */
    private String summary() {
        Map<String, Integer> kinds = new TreeMap<>();
        Map<String, Integer> setbacks = new TreeMap<>();
        for (SimTask t : tasks) {
            for (WorkloadEvent e : t.owner().service().events(t.taskId())) {
                kinds.merge(e.kind(), 1, Integer::sum);
                if ((e.kind().equals("AwardRefused") && e.node().equals(t.owner().id())) || e.kind().equals("Failed")
                        || e.kind().equals("AwardExpired")) {
                    setbacks.merge(e.kind() + ": " + e.message().replaceAll("12D3KooW[1-9A-HJ-NP-Za-km-z]+", "P")
                            .replaceAll("[0-9a-f]{32}", "T").replaceAll("[0-9]+", "N"), 1, Integer::sum);
                }
            }
        }
        return "gossip: longest wait by kind " + sim.mesh.gossipDelayByKind + " ms; owners' events so far: " + kinds
                + "; setbacks: " + setbacks;
    }

    /** The owner's last events of the first tasks {@code why} names. */
    private String story(List<String> why) {
        StringBuilder out = new StringBuilder("\ngossip backlog " + sim.mesh.gossipBacklog.get() + "; " + summary());
        int busy = 0;
        int queued = 0;
        for (TestNode n : nodes) {
            busy += n.executor().getActiveCount();
            queued += n.executor().getQueue().size();
        }
        out.append("\nnode executors: ").append(busy).append(" threads busy, ").append(queued).append(" tasks queued");
        tasks.stream().filter(t -> why.stream().anyMatch(w -> w.startsWith(t.name() + " ") || w.startsWith(t.name()
                + ":"))).limit(3).forEach(t -> {
                    List<WorkloadEvent> events = t.owner().service().events(t.taskId());
                    out.append("\n").append(t.name()).append(" events:");
                    events.subList(Math.max(0, events.size() - 12), events.size()).forEach(e -> out.append("\n  ")
                            .append(e.atMillis() % 100_000).append(' ').append(e.kind()).append(": ")
                            .append(e.message()));
                });
        return out.toString();
    }

    private void assertInvariants() {
        assertEquals(List.of(), MachineSimulationForTests.overcommits(nodes, capacity, tasks));
        assertTrue(sampledViolations.isEmpty(), "sampled while running: " + sampledViolations);
    }

    /**
     * Waits (bounded) until every task short of replicas says why in its owner's events: a Pending
     * event since {@code sinceMillis} naming the room it needs (a task may be short for a moment
     * before its next tender, after an award was refused for want of room).
     */
    private void awaitPendingWithReason(long sinceMillis) throws InterruptedException {
        MachineNodesForTests.await("a Pending event with its reason for every task short of replicas",
                SETTLE_SECONDS, () -> tasks.stream().filter(t -> running(t).size() < t.replicas())
                        .allMatch(t -> t.owner().service().events(t.taskId()).stream().anyMatch(e ->
                                e.kind().equals("Pending") && e.atMillis() >= sinceMillis
                                        && e.message().contains("with room for"))));
    }

    private boolean assignedTo(TestNode n, String pod) {
        for (SimTask t : tasks) {
            OwnedTask o = t.owner().store().task(t.taskId()).orElseThrow();
            if (o.assignments().stream().anyMatch(a -> a.node().equals(n.id().toString())
                    && TaskIds.runtimeId(t.taskId(), a.generation(), a.replica(), n.id()).equals(pod))) {
                return true;
            }
        }
        return false;
    }

    private static Set<String> running(SimTask t) {
        OwnedTask o = t.owner().store().task(t.taskId()).orElseThrow();
        Set<String> out = new LinkedHashSet<>();
        o.assignments().stream().filter(a -> a.generation() == o.generation() && a.state().equals("Running"))
                .forEach(a -> out.add(a.node()));
        return out;
    }
}

package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.workload.internal.MachineNodesForTests.TestNode;
import io.hivemesh.workload.internal.WorkloadStore.Assignment;
import io.hivemesh.workload.internal.WorkloadStore.OwnedTask;
import io.hivemesh.workload.internal.WorkloadStore.RunningReplica;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the machine-plane simulations share (the mock-engine test and the figures harness): their
 * settings, their Deployments, and the checks of a whole mesh of in-process nodes against what
 * their owners assigned: no overcommit, one replica of a task per node, every replica that can fit
 * running, the runtimes holding exactly the assigned pods.
 */
final class MachineSimulationForTests {
    /**
     * The default heartbeat (2 s) and a bid window of 1 s instead of 250 ms: at 50 nodes in one
     * process every heartbeat round is 2,450 gossip deliveries, each verified, on one shared 2-core
     * machine; a tender queued behind such a round arrived after a 250 ms window had closed, so
     * nobody bid (a node never bids on an expired tender). A node is lost after 6 s unheard;
     * re-tenders back off from 500 ms to 4 s.
     */
    static final MachineSettings SETTINGS = new MachineSettings("default", Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(6), Duration.ofMillis(500), Duration.ofSeconds(4), 5,
            Duration.ofMinutes(5), Duration.ofSeconds(5), Duration.ofSeconds(5), Optional.empty(), true, 100,
            128L << 20);

    private MachineSimulationForTests() {
    }

    /** One applied task: what it asks per replica, and its owner. */
    record SimTask(String taskId, String name, TestNode owner, int replicas, long cpuMillis, long memoryBytes) {
        boolean isReplica(String runtimeId) {
            return runtimeId.startsWith("w" + taskId.substring(0, 12) + "-");
        }

        boolean fitsIn(Capacity free) {
            return Scheduler.fits(free, cpuMillis, memoryBytes);
        }
    }

    /** A Deployment of {@code replicas} replicas, one container requesting (and limited to) the given CPU and memory. */
    static String deployment(String name, int replicas, long cpuMillis, long memoryMiB) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: %s
                spec:
                  replicas: %d
                  selector:
                    matchLabels:
                      app: %s
                  template:
                    metadata:
                      labels:
                        app: %s
                    spec:
                      containers:
                        - name: main
                          image: docker.io/library/busybox:1.36
                          args: ["sleep", "3600"]
                          resources:
                            requests:
                              cpu: %dm
                              memory: %dMi
                            limits:
                              cpu: %dm
                              memory: %dMi
                """.formatted(name, replicas, name, name, cpuMillis, memoryMiB, cpuMillis, memoryMiB);
    }

    /** Applies {@code yaml} at {@code owner} and describes the task. */
    static SimTask apply(TestNode owner, String yaml) {
        OwnerTasks.Applied a = owner.service().apply(yaml, java.util.OptionalInt.empty());
        OwnedTask t = owner.store().task(a.taskId()).orElseThrow();
        return new SimTask(a.taskId(), a.name(), owner, a.replicas(), t.cpuMillis(), t.memoryBytes());
    }

    private static SimTask taskOf(List<SimTask> tasks, String runtimeId) {
        for (SimTask t : tasks) {
            if (t.isReplica(runtimeId)) {
                return t;
            }
        }
        return null;
    }

    /**
     * Every node (dead ones too) against its capacity, read three ways: the pods in its mock engine
     * (summing what each pod's task requests), its store's replica records, its reservations; and at
     * most one pod of a task per node. Empty when nothing is wrong.
     */
    static List<String> overcommits(List<TestNode> nodes, Map<PeerId, Capacity> capacity, List<SimTask> tasks) {
        List<String> out = new ArrayList<>();
        for (TestNode n : nodes) {
            Capacity cap = capacity.get(n.id());
            long cpu = 0;
            long mem = 0;
            Map<String, Integer> perTask = new HashMap<>();
            for (String id : n.engine().workloadIds()) {
                SimTask t = taskOf(tasks, id);
                if (t == null) {
                    out.add(n.name() + " runs pod " + id + " of no applied task");
                    continue;
                }
                cpu += t.cpuMillis();
                mem += t.memoryBytes();
                perTask.merge(t.name(), 1, Integer::sum);
            }
            check(out, n, "its pods", cpu, mem, cap);
            perTask.forEach((task, count) -> {
                if (count > 1) {
                    out.add(n.name() + " runs " + count + " replicas of " + task);
                }
            });
            cpu = 0;
            mem = 0;
            for (RunningReplica r : n.store().replicas()) {
                cpu += r.cpuMillis();
                mem += r.memoryBytes();
            }
            check(out, n, "its replica records", cpu, mem, cap);
            cpu = 0;
            mem = 0;
            for (Capacity c : n.node().context().reservations().reserved().values()) {
                cpu += c.cpuMillis();
                mem += c.memoryBytes();
            }
            check(out, n, "its reservations", cpu, mem, cap);
        }
        return out;
    }

    private static void check(List<String> out, TestNode n, String what, long cpu, long mem, Capacity cap) {
        if (cpu > cap.cpuMillis() || mem > cap.memoryBytes()) {
            out.add(n.name() + " overcommits by " + what + ": " + cpu + "m CPU and " + (mem >> 20) + " MiB, capacity "
                    + cap);
        }
    }

    /**
     * Why the mesh is not settled yet; empty once it is: every assignment of every task is Running on
     * a live node, distinct nodes and replica numbers per task, a task short of replicas has no live
     * node left with room for one more (not counting nodes already running it), and each live
     * node's runtime holds exactly the pods its owners assign to it.
     */
    static List<String> unsettled(List<TestNode> live, Map<PeerId, Capacity> capacity, List<SimTask> tasks) {
        List<String> out = new ArrayList<>();
        Set<String> liveIds = new HashSet<>();
        live.forEach(n -> liveIds.add(n.id().toString()));
        Map<String, Set<String>> expectedPods = new HashMap<>();
        for (SimTask t : tasks) {
            OwnedTask o = t.owner().store().task(t.taskId()).orElse(null);
            if (o == null) {
                out.add(t.name() + ": its owner has no record of it");
                continue;
            }
            Set<String> nodes = new HashSet<>();
            Set<Integer> replicas = new HashSet<>();
            for (Assignment a : o.assignments()) {
                if (a.generation() != o.generation() || !a.state().equals("Running")
                        || !liveIds.contains(a.node())) {
                    out.add(t.name() + ": replica " + a.replica() + " of generation " + a.generation() + " on "
                            + a.node() + " is " + a.state() + (liveIds.contains(a.node()) ? "" : " on a dead node"));
                }
                if (!nodes.add(a.node())) {
                    out.add(t.name() + ": two replicas on " + a.node());
                }
                if (!replicas.add(a.replica()) || a.replica() >= t.replicas()) {
                    out.add(t.name() + ": replica number " + a.replica() + " assigned twice or beyond the count");
                }
                expectedPods.computeIfAbsent(a.node(), k -> new TreeSet<>())
                        .add(TaskIds.runtimeId(t.taskId(), a.generation(), a.replica(), PeerId.parse(a.node())));
            }
            if (o.assignments().size() < t.replicas()) {
                for (TestNode n : live) {
                    Capacity free = n.node().context().reservations().free(capacity.get(n.id()));
                    if (!nodes.contains(n.id().toString()) && t.fitsIn(free)) {
                        out.add(t.name() + " runs " + o.assignments().size() + " of " + t.replicas()
                                + " replicas though " + n.name() + " has room (" + free + " free)");
                    }
                }
            }
        }
        for (TestNode n : live) {
            Set<String> actual = new TreeSet<>(n.engine().workloadIds());
            Set<String> expected = expectedPods.getOrDefault(n.id().toString(), Set.of());
            if (!actual.equals(expected)) {
                out.add(n.name() + " runs pods " + actual + " but its owners assign it " + expected);
            }
        }
        return out;
    }

    /**
     * The in-memory mesh of a simulation: 4 threads for requests, 8 for gossip (verifying the gossip
     * of every node is most of the simulation's work; on a machine shared with other processes more
     * threads get it a fairer share of the CPU), no envelope log.
     */
    static InMemoryMeshForTests mesh() {
        return new InMemoryMeshForTests(4, 8, false);
    }

    /** The pods (runtime ids) in every node's engine, by node. */
    static Map<TestNode, List<String>> pods(List<TestNode> nodes) {
        Map<TestNode, List<String>> out = new HashMap<>();
        nodes.forEach(n -> out.put(n, n.engine().workloadIds()));
        return out;
    }
}

package io.hivemesh.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The machine plane end to end between three real nodes (separate JVMs, scripts/hivemesh-node)
 * with real podman: a Deployment of two replicas applied on node 1 runs on two distinct nodes, each
 * serving HTTP on the host port its node gave it; node 3 lists both; a replica's node is killed
 * (SIGKILL) and its replica runs again elsewhere and serves; the killed node comes back and removes
 * its stale pod; an update rolls both replicas to the new generation; a delete leaves no pod of the
 * task in podman and no replica listed anywhere. Every wait is a bounded poll.
 */
class MachinePlaneNodesIT {
    private static final NodeScript SCRIPT = new NodeScript(Path.of("target/machine-plane-nodes"),
            Integer.getInteger("hivemesh.it.portBase", 24000) + 2000);
    private static final Duration WAIT = Duration.ofSeconds(120);
    /** One row of workload:get: replica, node, state, ports, generation. */
    private static final Pattern ROW = Pattern.compile(
            "(?m)^(\\d+)\\s+(12D3KooW\\S+)\\s+(\\S+)\\s+(\\S+)\\s+(\\d+)");
    private static final Pattern HOST_PORT = Pattern.compile("(\\d+)->8080/tcp");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    private static final Map<Integer, String> PEERS = new LinkedHashMap<>();
    private static Path manifestV1;
    private static Path manifestV2;

    record Replica(int replica, String node, String state, String ports, long generation) {
        int hostPort() {
            Matcher m = HOST_PORT.matcher(ports);
            return m.find() ? Integer.parseInt(m.group(1)) : -1;
        }
    }

    @BeforeAll
    static void startThreeNodes() throws Exception {
        for (int n = 1; n <= 3; n++) {
            NodeScript.Result c = node("create", n);
            assertEquals(0, c.exit(), "create node " + n + ": " + c.out());
            Path cfg = SCRIPT.nodeDir(n).resolve("etc/io.hivemesh.workload.cfg");
            assertTrue(Files.isRegularFile(cfg), "the distribution ships " + cfg.getFileName());
            // Faster loops than the defaults so that healing fits the test's time; podman as engine.
            Files.writeString(cfg, "\nheartbeat_interval_ms = 1000\nnode_grace_ms = 5000\nengine = podman\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        NodeScript.Result one = node("start", 1);
        assertEquals(0, one.exit(), "start node 1: " + one.out());
        PEERS.put(1, SCRIPT.peerId(1));
        String boot = "/ip4/127.0.0.1/tcp/" + SCRIPT.port(1, 4) + "/p2p/" + PEERS.get(1);
        for (int n = 2; n <= 3; n++) {
            Files.writeString(SCRIPT.nodeDir(n).resolve("etc/io.hivemesh.discovery.cfg"), "\nbootstrap = " + boot + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            NodeScript.Result s = node("start", n);
            assertEquals(0, s.exit(), "start node " + n + ": " + s.out());
            PEERS.put(n, SCRIPT.peerId(n));
        }
        manifestV1 = manifest("v1");
        manifestV2 = manifest("v2");
    }

    @AfterAll
    static void destroyNodes() throws Exception {
        for (int n = 1; n <= 3; n++) {
            node("destroy", n);
        }
        Files.deleteIfExists(manifestV1);
        Files.deleteIfExists(manifestV2);
    }

    private static Path manifest(String version) throws Exception {
        Path f = Files.createTempFile("hivemesh-web-" + version, ".yaml");
        Files.writeString(f, """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: itweb}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: itweb}}
                  template:
                    metadata: {labels: {app: itweb}}
                    spec:
                      containers:
                      - name: web
                        image: localhost/busybox:latest
                        command: [sh, -c, "mkdir -p /www; echo hello-%s > /www/index.html; exec httpd -f -p 8080 -h /www"]
                        ports: [{containerPort: 8080}]
                        resources: {requests: {cpu: 100m, memory: 32Mi}}
                """.formatted(version));
        return f;
    }

    @Test
    void applyHealUpdateAndDeleteAcrossThreeNodes() throws Exception {
        for (int n = 2; n <= 3; n++) {
            int node = n;
            waitFor(n, "workload:nodes", out -> PEERS.values().stream().allMatch(out::contains),
                    "node " + node + " hears every node's heartbeat");
        }
        NodeScript.Result applied = node("exec", 1, "workload:apply " + manifestV1);
        assertEquals(0, applied.exit(), applied.out());
        Matcher id = Pattern.compile("(?m)^([0-9a-f]{32})\\s*$").matcher(applied.out());
        assertTrue(id.find(), "apply prints the task id: " + applied.out());
        String taskId = id.group(1);

        // Two replicas on two distinct nodes, each serving HTTP.
        List<Replica> running = waitForReplicas(1, "itweb", rs -> running(rs, 1).size() == 2,
                "two running replicas of generation 1");
        assertEquals(2, running(running, 1).stream().map(Replica::node).distinct().count(), "distinct nodes: " + running);
        for (Replica r : running(running, 1)) {
            assertEquals("hello-v1", get(r.hostPort()), "replica " + r);
        }
        // Any node lists both, from the DHT's providers and the replicas' reports.
        waitForReplicas(3, "itweb", rs -> running(rs, 1).size() == 2, "node 3 lists both replicas");

        // Kill (SIGKILL) a replica's node other than the owner: the replica runs again on the free node.
        Replica lost = running(running, 1).stream().filter(r -> !r.node().equals(PEERS.get(1))).findFirst()
                .orElseThrow();
        int victim = nodeOf(lost.node());
        long pid = Long.parseLong(node("pid", victim).out().trim());
        ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly);
        List<Replica> healed = waitForReplicas(1, "itweb", rs -> running(rs, 1).size() == 2
                && running(rs, 1).stream().noneMatch(r -> r.node().equals(lost.node())),
                "the lost replica runs on the remaining node");
        for (Replica r : running(healed, 1)) {
            assertEquals("hello-v1", get(r.hostPort()), "healed replica " + r);
        }
        // The killed node comes back with its old pod and removes it: two pods of the task remain.
        NodeScript.Result back = node("start", victim);
        assertEquals(0, back.exit(), back.out());
        waitUntil(() -> podsOf(taskId) == 2, "the returning node removed its stale pod (pods: " + podsOf(taskId) + ")");

        // Update: a rolling replacement to generation 2.
        NodeScript.Result updated = node("exec", 1, "workload:apply " + manifestV2);
        assertEquals(0, updated.exit(), updated.out());
        assertTrue(updated.out().contains("generation 2"), updated.out());
        List<Replica> v2 = waitForReplicas(1, "itweb", rs -> running(rs, 2).size() == 2
                && rs.stream().noneMatch(r -> r.generation() == 1), "two replicas of generation 2, none of 1");
        for (Replica r : running(v2, 2)) {
            assertEquals("hello-v2", get(r.hostPort()), "updated replica " + r);
        }
        NodeScript.Result described = node("exec", 1, "workload:describe itweb");
        for (String kind : List.of("Tender", "SharesDistributed", "Awarded", "ReplicaLost", "Retired")) {
            assertTrue(described.out().contains(kind), kind + " in: " + described.out());
        }

        // Delete: nothing of the task left in podman, nothing listed anywhere.
        NodeScript.Result deleted = node("exec", 1, "workload:delete itweb");
        assertEquals(0, deleted.exit(), deleted.out());
        waitUntil(() -> podsOf(taskId) == 0, "no pod of the task left");
        waitFor(3, "workload:get itweb", out -> out.contains("no replica of itweb"), "node 3 lists no replica");
        NodeScript.Result list = node("exec", 1, "workload:list");
        assertFalse(list.out().contains(taskId), list.out());
    }

    private static List<Replica> running(List<Replica> rs, long generation) {
        return rs.stream().filter(r -> r.state().equals("Running") && r.generation() == generation).toList();
    }

    private static int nodeOf(String peer) {
        return PEERS.entrySet().stream().filter(e -> e.getValue().equals(peer)).findFirst().orElseThrow().getKey();
    }

    private static String get(int port) throws Exception {
        assertTrue(port > 0, "a published host port");
        long end = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        Exception last = null;
        while (System.nanoTime() < end) {
            try {
                HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/"))
                        .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
                return r.body().trim();
            } catch (java.io.IOException e) {
                last = e;
                Thread.sleep(300);
            }
        }
        throw new AssertionError("nothing answers HTTP on 127.0.0.1:" + port, last);
    }

    /** Pods (podman) labelled with the task. */
    private static int podsOf(String taskId) {
        try {
            Process p = new ProcessBuilder("podman", "ps", "-q", "--filter", "label=io.hivemesh.task=" + taskId)
                    .redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            p.waitFor();
            return (int) out.lines().filter(l -> !l.isBlank()).count();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }

    private static List<Replica> parse(String out) {
        List<Replica> rs = new ArrayList<>();
        Matcher m = ROW.matcher(out);
        while (m.find()) {
            rs.add(new Replica(Integer.parseInt(m.group(1)), m.group(2), m.group(3), m.group(4),
                    Long.parseLong(m.group(5))));
        }
        return rs;
    }

    private static List<Replica> waitForReplicas(int n, String id, Predicate<List<Replica>> ok, String what)
            throws Exception {
        String out = waitFor(n, "workload:get " + id, o -> ok.test(parse(o)), what);
        return parse(out);
    }

    private static void waitUntil(java.util.function.BooleanSupplier ok, String what) throws Exception {
        long end = System.nanoTime() + WAIT.toNanos();
        while (!ok.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + WAIT.toSeconds() + " s: " + what);
            }
            Thread.sleep(500);
        }
    }

    private static String waitFor(int n, String command, Predicate<String> ok, String what) throws Exception {
        return SCRIPT.await(n, command, ok, what, WAIT);
    }

    private static NodeScript.Result node(String command, int n, String... args) throws Exception {
        return SCRIPT.run(command, n, args);
    }
}

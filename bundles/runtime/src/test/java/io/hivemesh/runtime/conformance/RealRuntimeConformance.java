package io.hivemesh.runtime.conformance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.runtime.DeployConfig;
import io.hivemesh.api.runtime.PortMapping;
import io.hivemesh.api.runtime.WorkloadState;
import io.hivemesh.api.runtime.WorkloadStatus;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Conformance for engines that run real containers: a pod serving HTTP on a host port answers on
 * 127.0.0.1 and stops answering once removed; a taken port and a missing image fail deploy clearly,
 * leave nothing behind, and the engine keeps working.
 */
public abstract class RealRuntimeConformance extends RuntimeEngineConformance {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** A base for host ports; the suite uses basePort() .. basePort()+9 (the test's own range). */
    protected abstract int basePort();

    protected String httpPod(String name, int hostPort) {
        return pod(name, "echo serving-" + name + "; mkdir -p /www; echo hello-" + name
                + " > /www/index.html; exec httpd -f -v -p 8080 -h /www", hostPort);
    }

    static String fetch(int port) throws IOException, InterruptedException {
        HttpResponse<String> r = HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/index.html"))
                .timeout(Duration.ofSeconds(3)).build(), HttpResponse.BodyHandlers.ofString());
        return r.statusCode() + " " + r.body().strip();
    }

    @Test
    void logsShowWhatTheContainerPrinted() throws Exception {
        get(engine().deploy("ct-logs", pod("logs", "echo hello-from-ct; exec sleep 600", 0), DeployConfig.defaults()));
        List<String> logs = eventually(() -> join(engine().logs("ct-logs", 10)), l -> l.contains("hello-from-ct"));
        assertEquals(List.of("hello-from-ct"), logs);
        get(engine().deploy("ct-logs", pod("logs2", "echo second; exec sleep 600", 0), DeployConfig.defaults()));
        List<String> after = eventually(() -> join(engine().logs("ct-logs", 10)), l -> l.contains("second"));
        assertEquals(List.of("second"), after, "only the redeployed pod is left");
    }

    @Test
    void exitedWorkloadReportsTheExitCodeFromTheRuntime() throws Exception {
        get(engine().deploy("ct-exit", pod("exit", "sleep 0.3; exit 3", 0), DeployConfig.defaults()));
        WorkloadStatus s = eventually(() -> join(engine().status("ct-exit")), x -> x.state() == WorkloadState.EXITED);
        assertEquals(WorkloadState.EXITED, s.state(), () -> "status " + s);
        assertEquals(3, s.exitCode().orElseThrow());
    }

    @Test
    void followsLogsUntilCancelled() throws Exception {
        get(engine().deploy("ct-follow", pod("follow", "i=0; while [ $i -lt 300 ]; do echo tick-$i; i=$((i+1)); sleep 0.1; done; sleep 600", 0),
                DeployConfig.defaults()));
        List<String> lines = new java.util.concurrent.CopyOnWriteArrayList<>();
        java.util.concurrent.CompletableFuture<Void> following = engine().followLogs("ct-follow", 0, lines::add);
        eventually(() -> lines.size(), n -> n >= 3);
        following.cancel(true);
        assertTrue(lines.size() >= 3, () -> "lines " + lines);
        assertTrue(lines.stream().allMatch(l -> l.startsWith("tick-")), () -> "lines " + lines);
    }

    @Test
    void podServesHttpOnItsHostPortUntilRemoved() throws Exception {
        int port = basePort();
        WorkloadStatus status = get(engine().deploy("ct-http", httpPod("web", port), DeployConfig.defaults()));
        assertEquals(WorkloadState.RUNNING, status.state(), () -> "status " + status);
        assertTrue(status.ports().stream().anyMatch(p -> p.hostPort() == port && p.containerPort() == 8080
                && p.protocol().equalsIgnoreCase("tcp")), () -> "ports " + status.ports());
        String body = eventually(() -> {
            try {
                return fetch(port);
            } catch (IOException e) {
                return e.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return e.toString();
            }
        }, b -> b.equals("200 hello-web"));
        assertEquals("200 hello-web", body);
        List<String> logs = eventually(() -> join(engine().logs("ct-http", 50)), l -> l.contains("serving-web"));
        assertTrue(logs.contains("serving-web"), () -> "logs " + logs);
        get(engine().remove("ct-http"));
        assertNoSuchWorkload(engine().status("ct-http"));
        assertThrows(IOException.class, () -> fetch(port), "nothing answers after remove");
    }

    @Test
    void takenHostPortFailsDeployLeavesNothingAndEngineKeepsWorking() throws Exception {
        int port = basePort() + 1;
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(InetAddress.getByName("0.0.0.0"), port));
            Throwable t = failure(engine().deploy("ct-taken", httpPod("taken", port), DeployConfig.defaults()));
            assertTrue(t.getMessage().contains("ct-taken") && t.getMessage().toLowerCase().contains("address already in use"),
                    t.getMessage());
            assertNoSuchWorkload(engine().status("ct-taken"));
        }
        WorkloadStatus ok = get(engine().deploy("ct-after", httpPod("after", basePort() + 2), DeployConfig.defaults()));
        assertEquals(WorkloadState.RUNNING, ok.state());
    }

    @Test
    void missingImageFailsDeployLeavesNothing() throws Exception {
        String yaml = """
                apiVersion: v1
                kind: Pod
                metadata: {name: ghost}
                spec:
                  containers:
                  - {name: main, image: "localhost/hivemesh-no-such-image:latest", ports: [{containerPort: 80, hostPort: %d}]}
                """.formatted(basePort() + 3);
        Throwable t = failure(engine().deploy("ct-ghost", yaml, DeployConfig.defaults()));
        assertTrue(t.getMessage().contains("ct-ghost") && t.getMessage().contains("hivemesh-no-such-image"), t.getMessage());
        assertNoSuchWorkload(engine().status("ct-ghost"));
        assertTrue(get(engine().list()).stream().noneMatch(s -> s.workloadId().equals("ct-ghost")));
    }

    @Test
    void replicasLimitsEnvAndLabelsReachTheRuntime() throws Exception {
        String yaml = """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: rep}
                spec:
                  replicas: 1
                  template:
                    spec:
                      containers:
                      - name: main
                        image: %s
                        command: [sh, -c, "echo env-$GREETING; exec sleep 600"]
                """.formatted(image());
        DeployConfig config = new DeployConfig(2, java.util.Optional.of("250m"), java.util.Optional.of("32Mi"),
                java.util.Map.of("GREETING", "hi"), java.util.Map.of("team", "blue"));
        WorkloadStatus s = get(engine().deploy("ct-rep", yaml, config));
        assertEquals(WorkloadState.RUNNING, s.state());
        List<String> logs = eventually(() -> join(engine().logs("ct-rep", 5)), l -> l.size() >= 2);
        assertEquals(2, logs.stream().filter(l -> l.endsWith("env-hi")).count(), () -> "two replicas: " + logs);
        assertEquals(List.of(250L, 32L << 20), limitsOfOneContainer("ct-rep"), "limits as the runtime holds them");
        WorkloadStatus one = get(engine().deploy("ct-rep", yaml, DeployConfig.defaults()));
        assertEquals(WorkloadState.RUNNING, one.state());
        List<String> after = eventually(() -> join(engine().logs("ct-rep", 5)), l -> l.size() == 1);
        assertEquals(1, after.size(), () -> "the redeploy with one replica removed the second: " + after);
    }

    /** CPU millicores and memory bytes of one container of the workload, read back from the runtime. */
    protected abstract List<Long> limitsOfOneContainer(String workloadId) throws Exception;

    protected static List<PortMapping> ports(WorkloadStatus s) {
        return s.ports();
    }
}

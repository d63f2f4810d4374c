package io.hivemesh.runtime.docker.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.hivemesh.api.runtime.DeployConfig;
import io.hivemesh.api.runtime.EngineInfo;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.WorkloadState;
import io.hivemesh.runtime.conformance.PodmanService;
import io.hivemesh.runtime.conformance.RealRuntimeConformance;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadPoolExecutor;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Docker engine against the Docker-compatible API of a {@code podman system service} this test
 * starts on its own socket (no Docker daemon runs on these machines).
 */
class DockerEngineTest extends RealRuntimeConformance {
    private static Path dir;
    private static PodmanService service;
    private static ThreadPoolExecutor executor;
    private static ScheduledExecutorService watchdog;
    private static UnixHttpClient http;
    private static DockerEngine engine;

    @BeforeAll
    static void start() throws Exception {
        dir = Files.createTempDirectory("hivemesh-docker-test");
        service = new PodmanService(dir).start();
        executor = DockerEngineComponent.executor("test-docker", 4);
        watchdog = Executors.newSingleThreadScheduledExecutor();
        http = new UnixHttpClient(service.socket(), Duration.ofSeconds(60), watchdog);
        engine = new DockerEngine(http, "v1.41", executor);
        EngineInfo info = engine.info().join();
        if (!info.available()) {
            throw new IllegalStateException("podman's Docker API is required (run scripts/setup-podman): " + info.reason());
        }
    }

    @AfterAll
    static void stop() throws Exception {
        engine.close();
        executor.shutdownNow();
        watchdog.shutdownNow();
        service.close();
        Files.deleteIfExists(dir);
    }

    @Override
    protected RuntimeEngine engine() {
        return engine;
    }

    @Override
    protected int basePort() {
        return 28200;
    }

    @Override
    protected List<Long> limitsOfOneContainer(String workloadId) throws Exception {
        String filters = "{\"label\":[\"" + RuntimeEngine.WORKLOAD_LABEL + "=" + workloadId + "\",\"io.hivemesh.replica=1\"]}";
        ObjectMapper json = new ObjectMapper();
        JsonNode list = json.readTree(http.call("GET", "/v1.41/containers/json?all=1&filters="
                + URLEncoder.encode(filters, StandardCharsets.UTF_8), null).body());
        String id = list.path(0).path("Id").asText();
        JsonNode host = json.readTree(http.call("GET", "/v1.41/containers/" + id + "/json", null).body()).path("HostConfig");
        long millis = host.path("NanoCpus").asLong(0) > 0 ? host.path("NanoCpus").asLong() / 1_000_000
                : host.path("CpuQuota").asLong() * 1000 / host.path("CpuPeriod").asLong();
        return List.of(millis, host.path("Memory").asLong());
    }

    @Test
    void podContainersShareOneNetworkNamespace() throws Exception {
        int port = basePort() + 5;
        String yaml = """
                apiVersion: v1
                kind: Pod
                metadata: {name: duo}
                spec:
                  containers:
                  - name: web
                    image: %s
                    command: [sh, -c, "mkdir -p /www; echo duo > /www/index.html; exec httpd -f -p 8080 -h /www"]
                    ports: [{containerPort: 8080, hostPort: %d}]
                  - name: probe
                    image: %s
                    command: [sh, -c, "sleep 1; nc 127.0.0.1 8080 </dev/null && echo neighbour-reachable; exec sleep 600"]
                """.formatted(image(), port, image());
        assertEquals(WorkloadState.RUNNING, get(engine.deploy("ct-duo", yaml, DeployConfig.defaults())).state());
        List<String> logs = eventually(() -> join(engine.logs("ct-duo", 10)), l -> l.contains("ct-duo-duo-probe | neighbour-reachable"));
        assertTrue(logs.contains("ct-duo-duo-probe | neighbour-reachable"), () -> "the probe reaches httpd on localhost: " + logs);
    }

    @Test
    void daemonSocketGoneGivesClearErrorsAndTheEngineRecovers() throws Exception {
        Path other = Files.createTempDirectory("hivemesh-docker-gone");
        ThreadPoolExecutor pool = DockerEngineComponent.executor("test-docker-gone", 2);
        try (PodmanService own = new PodmanService(other).start()) {
            DockerEngine remote = new DockerEngine(new UnixHttpClient(own.socket(), Duration.ofSeconds(30), watchdog), "v1.41", pool);
            get(remote.deploy("ct-gone", pod("gone", "i=0; while true; do echo g-$i; i=$((i+1)); sleep 0.1; done", 0),
                    DeployConfig.defaults()));
            List<String> lines = new CopyOnWriteArrayList<>();
            CompletableFuture<Void> follow = remote.followLogs("ct-gone", 0, lines::add);
            eventually(lines::size, n -> n >= 2);
            own.stop();
            Throwable midStream = failure(follow);
            assertTrue(midStream.getMessage().contains("log stream of workload ct-gone"), midStream.getMessage());
            EngineInfo down = get(remote.info());
            assertFalse(down.available());
            assertTrue(down.reason().contains(own.socket().toString()), down.reason());
            Throwable t = failure(remote.deploy("ct-gone2", pod("gone2", "exec sleep 600", 0), DeployConfig.defaults()));
            assertTrue(t.getMessage().contains("ct-gone2") && t.getMessage().contains("does not answer"), t.getMessage());
            own.start();
            assertTrue(get(remote.info()).available(), "works again once the socket is back");
            assertNoSuchWorkload(remote.status("ct-gone2"));
            get(remote.remove("ct-gone"));
        } finally {
            pool.shutdownNow();
            Files.deleteIfExists(other);
        }
    }
}

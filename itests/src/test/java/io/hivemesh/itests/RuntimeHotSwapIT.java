package io.hivemesh.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.RuntimeEngines;
import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.EnumSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import javax.inject.Inject;
import org.apache.karaf.features.FeaturesService;
import org.junit.After;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.OptionUtils;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * Runtime engines hot-swapped in the real distribution with real podman: the podman engine bundle is
 * updated under a running pod (which keeps serving and shows up again in runtime:ps), and engine
 * selection follows the mock feature leaving and the docker feature arriving.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RuntimeHotSwapIT extends KarafTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(60);

    @Inject
    private RuntimeEngines engines;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private FeaturesService features;

    private static final EnumSet<FeaturesService.Option> NO_REFRESH = EnumSet.of(FeaturesService.Option.NoAutoRefreshBundles);

    @Configuration
    public Option[] config() {
        return OptionUtils.combine(distribution(),
                systemProperty("hivemesh.it.portBase").value(System.getProperty("hivemesh.it.portBase", "24000")));
    }

    private static int port(int offset) {
        return Integer.getInteger("hivemesh.it.portBase", 24000) + 900 + offset;
    }

    private static String httpPod(String name, int hostPort) {
        return """
                apiVersion: v1
                kind: Pod
                metadata: {name: %s}
                spec:
                  containers:
                  - name: web
                    image: localhost/busybox:latest
                    command: [sh, -c, "echo serving-%s; mkdir -p /www; echo hello-%s > /www/index.html; exec httpd -f -p 8080 -h /www"]
                    ports: [{containerPort: 8080, hostPort: %d}]
                """.formatted(name, name, name, hostPort);
    }

    private static Path manifest(String name, int hostPort) throws IOException {
        Path file = Files.createTempFile("hivemesh-it-" + name, ".yaml");
        Files.writeString(file, httpPod(name, hostPort));
        return file;
    }

    private static String fetch(int port) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + "/index.html").openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(2000);
            try (InputStream in = c.getInputStream()) {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            }
        } catch (IOException e) {
            return e.toString();
        }
    }

    private String command(String cmd) {
        try {
            return executeCommand(cmd);
        } catch (Exception e) {
            return "ERROR " + e;
        }
    }

    private String selected() {
        try {
            return engines.select(Optional.empty()).get(10, TimeUnit.SECONDS).name();
        } catch (Exception e) {
            return "ERROR " + e;
        }
    }

    private void preferred(String engine) throws IOException {
        org.osgi.service.cm.Configuration c = configAdmin.getConfiguration("io.hivemesh.runtime", null);
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("preferredEngine", engine);
        c.update(props);
    }

    /** Removes whatever these tests may have left in podman, whatever happened. */
    @After
    public void cleanUp() throws Exception {
        for (String id : List.of("it-hot", "it-docker", "it-mock")) {
            Process p = new ProcessBuilder("sh", "-c", "podman pod rm -f -i -t 0 $(podman pod ps -q --filter label="
                    + RuntimeEngine.WORKLOAD_LABEL + "=" + id + ") 2>/dev/null; podman rm -f -i -t 0 $(podman ps -aq --filter label="
                    + RuntimeEngine.WORKLOAD_LABEL + "=" + id + ") 2>/dev/null; true").start();
            p.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    public void podKeepsRunningWhenThePodmanEngineBundleIsUpdated() throws Exception {
        int port = port(0);
        String deployed = executeCommand("runtime:deploy --engine podman --id it-hot " + manifest("hot", port));
        assertTrue(deployed, deployed.contains("it-hot") && deployed.contains("RUNNING") && deployed.contains(":" + port + "->8080"));
        assertTrue(await(() -> fetch(port).equals("hello-hot"), WAIT));

        Bundle podman = Arrays.stream(bundleContext.getBundles())
                .filter(b -> b.getSymbolicName().equals("io.hivemesh.runtime-podman")).findFirst().orElseThrow();
        podman.update();
        assertEquals(Bundle.ACTIVE, podman.getState());

        assertTrue("runtime:ps shows the pod again after the update",
                await(() -> command("runtime:ps").matches("(?s).*it-hot\\s*[│|]\\s*hot\\s*[│|]\\s*podman\\s*[│|]\\s*RUNNING.*"), WAIT));
        assertEquals("hello-hot", fetch(port));
        String logs = executeCommand("runtime:logs --tail 5 it-hot");
        assertTrue(logs, logs.contains("serving-hot"));
        String engineList = executeCommand("runtime:engines");
        assertTrue(engineList, engineList.matches("(?s).*podman\\s*[│|]\\s*yes\\s*[│|]\\s*\\S+\\s*[│|]\\s*1.*"));

        String removed = executeCommand("runtime:rm it-hot");
        assertTrue(removed, removed.contains("Removed it-hot (podman)"));
        assertFalse(command("runtime:ps").contains("it-hot"));
        assertFalse(fetch(port).equals("hello-hot"));
    }

    @Test
    public void selectionFollowsEngineFeaturesComingAndGoing() throws Exception {
        Path dir = Files.createTempDirectory("hivemesh-it-docker");
        Path socket = dir.resolve("podman.sock");
        Process service = new ProcessBuilder("podman", "system", "service", "--time=0", "unix://" + socket)
                .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        try {
            assertTrue("podman service socket", await(() -> Files.exists(socket), Duration.ofSeconds(20)));
            assertEquals("podman", selected());

            features.installFeature("hivemesh-runtime-mock", NO_REFRESH);
            preferred("mock");
            assertTrue(await(() -> selected().equals("mock"), WAIT));
            String listed = executeCommand("runtime:engines");
            assertTrue(listed, listed.contains("mock") && listed.contains("in-memory (runs nothing)"));
            String mockDeploy = executeCommand("runtime:deploy --id it-mock " + manifest("viamock", port(1)));
            assertTrue(mockDeploy, mockDeploy.matches("(?s).*it-mock\\s*[│|]\\s*viamock\\s*[│|]\\s*mock\\s*[│|]\\s*RUNNING.*"));

            features.uninstallFeature("hivemesh-runtime-mock", NO_REFRESH);
            assertTrue("preferred mock is gone: fallback to the best available",
                    await(() -> selected().equals("podman"), WAIT));

            org.osgi.service.cm.Configuration docker = configAdmin.getConfiguration("io.hivemesh.runtime.docker", null);
            Dictionary<String, Object> props = new Hashtable<>();
            props.put("socketPath", socket.toString());
            docker.update(props);
            features.installFeature("hivemesh-runtime-docker", NO_REFRESH);
            preferred("docker");
            assertTrue(await(() -> selected().equals("docker"), WAIT));
            String deployed = executeCommand("runtime:deploy --id it-docker " + manifest("viadocker", port(2)));
            assertTrue(deployed, deployed.matches("(?s).*it-docker\\s*[│|]\\s*viadocker\\s*[│|]\\s*docker\\s*[│|]\\s*RUNNING.*"));
            assertTrue(await(() -> fetch(port(2)).equals("hello-viadocker"), WAIT));
            String removed = executeCommand("runtime:rm it-docker");
            assertTrue(removed, removed.contains("Removed it-docker (docker)"));
        } finally {
            preferred("podman");
            if (features.isInstalled(features.getFeature("hivemesh-runtime-docker"))) {
                features.uninstallFeature("hivemesh-runtime-docker", NO_REFRESH);
            }
            service.destroy();
            if (!service.waitFor(10, TimeUnit.SECONDS)) {
                service.destroyForcibly();
            }
            Files.deleteIfExists(socket);
            Files.deleteIfExists(dir);
        }
    }
}

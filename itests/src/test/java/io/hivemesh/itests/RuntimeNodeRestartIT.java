package io.hivemesh.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * A real node (through scripts/hivemesh-node) deploys a pod on podman, is stopped and started again,
 * and finds the workload again from podman's labels: once, still running.
 */
class RuntimeNodeRestartIT {
    private static final int NODE = 9;
    private static final int HTTP_PORT = Integer.getInteger("hivemesh.it.portBase", 24000) + 909;

    @AfterAll
    static void cleanUp() throws Exception {
        NodeScriptIT.node("destroy", NODE);
        Process p = new ProcessBuilder("sh", "-c", "podman pod rm -f -i -t 0 $(podman pod ps -q --filter "
                + "label=io.hivemesh.workload=it-restart) 2>/dev/null; true").start();
        p.waitFor(60, TimeUnit.SECONDS);
    }

    @Test
    void workloadIsFoundAgainAfterANodeRestart() throws Exception {
        NodeScript.Result start = NodeScriptIT.node("start", NODE);
        assertEquals(0, start.exit(), start.out());
        Path manifest = Files.createTempFile("hivemesh-restart", ".yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: Pod
                metadata: {name: survivor}
                spec:
                  containers:
                  - name: web
                    image: localhost/busybox:latest
                    command: [sh, -c, "mkdir -p /www; echo ok > /www/index.html; exec httpd -f -p 8080 -h /www"]
                    ports: [{containerPort: 8080, hostPort: %d}]
                """.formatted(HTTP_PORT));
        NodeScript.Result deployed = NodeScriptIT.node("exec", NODE, "runtime:deploy --id it-restart " + manifest);
        assertEquals(0, deployed.exit(), deployed.out());
        assertTrue(deployed.out().contains("RUNNING"), deployed.out());

        assertEquals(0, NodeScriptIT.node("stop", NODE).exit());
        NodeScript.Result again = NodeScriptIT.node("start", NODE);
        assertEquals(0, again.exit(), again.out());

        NodeScript.Result ps = NodeScriptIT.node("exec", NODE, "runtime:ps");
        assertEquals(0, ps.exit(), ps.out());
        Matcher row = Pattern.compile("it-restart\\s*[│|]\\s*survivor\\s*[│|]\\s*podman\\s*[│|]\\s*RUNNING").matcher(ps.out());
        assertTrue(row.find(), ps.out());
        assertFalse(row.find(), "the workload is listed once: " + ps.out());

        NodeScript.Result rm = NodeScriptIT.node("exec", NODE, "runtime:rm it-restart");
        assertTrue(rm.out().contains("Removed it-restart (podman)"), rm.out());
        assertFalse(NodeScriptIT.node("exec", NODE, "runtime:ps").out().contains("it-restart"));
        Files.deleteIfExists(manifest);
    }
}

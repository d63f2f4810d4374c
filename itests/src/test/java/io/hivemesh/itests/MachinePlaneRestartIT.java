package io.hivemesh.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * One real node with podman runs a task it owns itself; after a restart of the workload bundle and
 * after a restart of the whole node, the task is still there with the same generation, its single
 * replica runs, and podman holds exactly one pod of it: nothing lost, nothing duplicated.
 */
class MachinePlaneRestartIT {
    private static final NodeScript SCRIPT = new NodeScript(Path.of("target/machine-plane-restart"),
            Integer.getInteger("hivemesh.it.portBase", 24000) + 3000);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final Pattern RUNNING = Pattern.compile("(?m)^0\\s+12D3KooW\\S+\\s+Running\\s+\\S+\\s+1\\b");

    @AfterAll
    static void destroy() throws Exception {
        SCRIPT.run("destroy", 1);
    }

    @Test
    void aTaskSurvivesABundleRestartAndANodeRestartOnce() throws Exception {
        assertEquals(0, SCRIPT.run("create", 1).exit());
        Files.writeString(SCRIPT.nodeDir(1).resolve("etc/io.hivemesh.workload.cfg"),
                "\nheartbeat_interval_ms = 1000\nengine = podman\n", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        NodeScript.Result start = SCRIPT.run("start", 1);
        assertEquals(0, start.exit(), start.out());
        Path manifest = Files.createTempFile("hivemesh-solo", ".yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: Pod
                metadata: {name: itsolo}
                spec:
                  containers:
                  - name: main
                    image: localhost/busybox:latest
                    command: [sh, -c, "exec sleep 3600"]
                """);
        NodeScript.Result applied = SCRIPT.run("exec", 1, "workload:apply " + manifest);
        assertEquals(0, applied.exit(), applied.out());
        Matcher id = Pattern.compile("(?m)^([0-9a-f]{32})\\s*$").matcher(applied.out());
        assertTrue(id.find(), applied.out());
        String taskId = id.group(1);
        waitFor("workload:get itsolo", out -> RUNNING.matcher(out).find(), "the replica runs");
        assertEquals(1, pods(taskId));

        NodeScript.Result restart = SCRIPT.run("exec", 1, "bundle:restart io.hivemesh.workload");
        assertEquals(0, restart.exit(), restart.out());
        waitFor("workload:get itsolo", out -> RUNNING.matcher(out).find(), "the replica runs after a bundle restart");
        assertEquals(1, pods(taskId), "one pod after the bundle restart");

        assertEquals(0, SCRIPT.run("stop", 1).exit());
        NodeScript.Result again = SCRIPT.run("start", 1);
        assertEquals(0, again.exit(), again.out());
        String out = waitFor("workload:get itsolo", o -> RUNNING.matcher(o).find(), "the replica runs after a node restart");
        assertEquals(1, RUNNING.matcher(out).results().count(), out);
        assertEquals(1, pods(taskId), "one pod after the node restart");
        NodeScript.Result list = SCRIPT.run("exec", 1, "workload:list");
        assertTrue(list.out().contains(taskId) && list.out().contains("1/1"), list.out());

        NodeScript.Result deleted = SCRIPT.run("exec", 1, "workload:delete itsolo");
        assertEquals(0, deleted.exit(), deleted.out());
        long end = System.nanoTime() + WAIT.toNanos();
        while (pods(taskId) != 0 && System.nanoTime() < end) {
            Thread.sleep(500);
        }
        assertEquals(0, pods(taskId), "the delete removed the pod");
        Files.deleteIfExists(manifest);
    }

    private static int pods(String taskId) throws Exception {
        Process p = new ProcessBuilder("podman", "ps", "-q", "--filter", "label=io.hivemesh.task=" + taskId)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor();
        return (int) out.lines().filter(l -> !l.isBlank()).count();
    }

    private static String waitFor(String command, Predicate<String> ok, String what) throws Exception {
        return SCRIPT.await(1, command, ok, what, WAIT);
    }
}

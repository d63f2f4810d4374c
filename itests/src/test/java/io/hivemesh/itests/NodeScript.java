package io.hivemesh.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Drives real nodes through scripts/hivemesh-node (the one way every multi-node test and demo runs
 * nodes): each test class gives its own node directory and port range.
 */
final class NodeScript {
    private static final Path ROOT = Path.of(System.getProperty("hivemesh.root", "..")).toAbsolutePath().normalize();
    private static final Path SCRIPT = ROOT.resolve("scripts/hivemesh-node");
    private static final Pattern PEER_ID = Pattern.compile("(?m)^PeerId\\s+(12D3KooW\\S+)\\s*$");

    /** What one script call printed (stdout and stderr) and its exit status. */
    record Result(int exit, String out) {
    }

    private final Path nodes;
    private final int portBase;

    NodeScript(Path nodes, int portBase) {
        this.nodes = nodes.toAbsolutePath();
        this.portBase = portBase;
    }

    Path nodeDir(int n) {
        return nodes.resolve("node" + n);
    }

    /** Node {@code n}'s port at {@code offset} (0 SSH, 1 HTTP, 2/3 RMI, 4 libp2p, 5 API over TLS). */
    int port(int n, int offset) {
        return portBase + 10 * n + offset;
    }

    Result run(String command, int n, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(SCRIPT.toString(), command, Integer.toString(n)));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        Map<String, String> env = pb.environment();
        env.put("HIVEMESH_DIST", System.getProperty("hivemesh.distribution"));
        env.put("HIVEMESH_NODES", nodes.toString());
        env.put("HIVEMESH_PORT_BASE", Integer.toString(portBase));
        Process p = pb.start();
        p.getOutputStream().close();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("hivemesh-node " + cmd + " timed out: " + out);
        }
        return new Result(p.exitValue(), out);
    }

    /** Node {@code n}'s PeerId as {@code mesh:id} prints it. */
    String peerId(int n) throws Exception {
        Result r = run("exec", n, "mesh:id");
        assertEquals(0, r.exit(), r.out());
        Matcher m = PEER_ID.matcher(r.out());
        assertTrue(m.find(), "mesh:id on node " + n + " prints a PeerId: " + r.out());
        return m.group(1);
    }

    /**
     * Runs {@code command} on node {@code n} every half second until it exits 0 with output that
     * {@code ok} accepts, at most {@code wait}; returns that output or fails naming {@code what}
     * and the last output.
     */
    String await(int n, String command, java.util.function.Predicate<String> ok, String what, java.time.Duration wait)
            throws Exception {
        long end = System.nanoTime() + wait.toNanos();
        String last = "";
        while (System.nanoTime() < end) {
            Result r = run("exec", n, command);
            last = r.out();
            if (r.exit() == 0 && ok.test(last)) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not within " + wait.toSeconds() + " s: " + what + "; last `" + command + "`: " + last);
    }
}

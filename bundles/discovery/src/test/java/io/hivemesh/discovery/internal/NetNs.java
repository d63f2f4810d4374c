package io.hivemesh.discovery.internal;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * Network namespaces for the mDNS tests (root only; multicast never leaves them): create with
 * loopback up, optionally join two by a veth pair with the multicast route, run processes inside,
 * delete. Every command must succeed: a failing {@code ip netns} fails the test, never skips it.
 */
final class NetNs {
    private NetNs() {
    }

    static void run(String... cmd) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new AssertionError("`" + String.join(" ", cmd) + "` failed (the mDNS tests need root and iproute2): " + output);
        }
    }

    static void create(String ns) throws IOException, InterruptedException {
        run("ip", "netns", "add", ns);
        run("ip", "netns", "exec", ns, "ip", "link", "set", "lo", "up");
    }

    /** Joins {@code a} ({@code 10.77.0.1/24}) and {@code b} ({@code 10.77.0.2/24}) with a veth pair and the multicast route. */
    static void link(String a, String b) throws IOException, InterruptedException {
        run("ip", "link", "add", "hm0", "netns", a, "type", "veth", "peer", "name", "hm1", "netns", b);
        run("ip", "-n", a, "addr", "add", "10.77.0.1/24", "dev", "hm0");
        run("ip", "-n", b, "addr", "add", "10.77.0.2/24", "dev", "hm1");
        run("ip", "-n", a, "link", "set", "hm0", "up");
        run("ip", "-n", b, "link", "set", "hm1", "up");
        run("ip", "-n", a, "route", "add", "224.0.0.0/4", "dev", "hm0");
        run("ip", "-n", b, "route", "add", "224.0.0.0/4", "dev", "hm1");
    }

    static void delete(String ns) {
        try {
            run("ip", "netns", "del", ns);
        } catch (IOException | InterruptedException | AssertionError e) {
            System.err.println("could not delete network namespace " + ns + ": " + e);
        }
    }

    /** A process inside a namespace whose stdout lines are collected; closing it closes stdin, then kills. */
    static final class Child implements AutoCloseable {
        final String name;
        private final Process process;
        private final OutputStream stdin;
        final List<String> lines = new CopyOnWriteArrayList<>();

        Child(String name, String ns, Path dir, List<String> command) throws IOException {
            this.name = name;
            List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", ns));
            cmd.addAll(command);
            process = new ProcessBuilder(cmd).directory(dir.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT).start();
            stdin = process.getOutputStream();
            Thread reader = new Thread(() -> {
                try (BufferedReader r = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    String line;
                    while ((line = r.readLine()) != null) {
                        lines.add(line);
                        System.out.println("[" + name + "] " + line);
                    }
                } catch (IOException e) {
                    lines.add("reader failed: " + e);
                }
            }, name + "-reader");
            reader.setDaemon(true);
            reader.start();
        }

        /** The first line matching {@code p}, waiting (polling) at most {@code seconds}. */
        String await(String what, Predicate<String> p, int seconds) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
            while (System.nanoTime() < deadline) {
                for (String l : lines) {
                    if (p.test(l)) {
                        return l;
                    }
                }
                if (!process.isAlive() && lines.stream().noneMatch(p)) {
                    throw new AssertionError(name + " exited (" + process.exitValue() + ") before " + what + "; output: " + lines);
                }
                Thread.sleep(50);
            }
            throw new AssertionError(name + ": timed out waiting for " + what + "; output: " + lines);
        }

        @Override
        public void close() throws Exception {
            try {
                stdin.close();
            } catch (IOException ignored) {
                // already gone
            }
            if (!process.waitFor(10, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        }
    }
}

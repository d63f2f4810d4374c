package io.hivemesh.benchmarks.transport;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.PerfResult;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.crypto.internal.Standalone;
import io.hivemesh.transport.internal.Attacks;
import io.hivemesh.transport.internal.HostConfig;
import io.hivemesh.transport.internal.Libp2pHost;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The transport under attack (a benchmark harness, not a test): starts a real node (Karaf, its
 * default 256 MB heap, {@code perf = true}) through {@code scripts/hivemesh-node}, connects an honest
 * {@link Libp2pHost} from 127.0.0.1 and measures libp2p ping p50/p99 (a new stream each) and one-stream
 * {@code /perf/1.0.0} download throughput without an attack, then while each attack class of
 * {@link Attacks} runs from 127.0.0.2 (bounded in time and count); after each attack the node's heap
 * after a full GC ({@code jcmd GC.run}, {@code GC.heap_info}). Prints a Markdown table with the ratios
 * against the no-attack row measured just before, in the same run; destroys the node at the end.
 *
 * <p>Usage (after {@code ./mvnw -B -ntp -q package -DskipTests}, from the repository root):
 * {@code java -cp benchmarks/target/benchmarks.jar io.hivemesh.benchmarks.transport.AttackBench
 * [seconds] [pings] [perfMiB] [KIND,KIND…]}: defaults 20 s per attack (10 to 20), 200 pings 10 ms
 * apart, 64 MiB per download, every {@link Attacks.Kind}; {@code -Dattackbench.histogram=true} prints
 * the node's top classes under each attack to stderr. Before each attack the same is measured without
 * one (its ratios are against that row: the load of a shared machine drifts); after it, how long the
 * heap takes to come back near idle. Node: number 1 under {@code HIVEMESH_NODES} (default
 * {@code target/attack-nodes}) with {@code HIVEMESH_PORT_BASE} (default 26000).
 */
public final class AttackBench {
    static final int NODE = 1;
    static final String SCRIPT = "scripts/hivemesh-node";
    static final String DHT = "/ipfs/kad/1.0.0";
    static final Pattern USED = Pattern.compile("(generation|heap)\\s+total \\d+K, used (\\d+)K");
    static final boolean HISTOGRAM = Boolean.getBoolean("attackbench.histogram");
    static final Pattern SYSTEM = Pattern.compile("^\\s*system\\s*\\|\\s*([\\d.]+ \\S+) / ([\\d.]+) MiB");

    private AttackBench() {
    }

    /** One measured row. */
    record Row(String what, boolean attack, double p50, double p99, int pingFailures, double mibs, int perfRuns,
            int perfFailures, double heapUnder, double heapAfter, String released, String accounted, String detail) {
    }

    public static void main(String[] args) throws Exception {
        int seconds = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        if (seconds < 10 || seconds > 20) {
            throw new IllegalArgumentException("seconds per attack: 10 to 20");
        }
        int pings = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        long perfBytes = (args.length > 2 ? Long.parseLong(args[2]) : 64) << 20;
        List<Attacks.Kind> kinds = args.length > 3
                ? Arrays.stream(args[3].split(",")).map(k -> Attacks.Kind.valueOf(k.trim())).toList()
                : List.of(Attacks.Kind.values());
        Map<String, String> env = Map.of(
                "HIVEMESH_PORT_BASE", System.getenv().getOrDefault("HIVEMESH_PORT_BASE", "26000"),
                "HIVEMESH_NODES", System.getenv().getOrDefault("HIVEMESH_NODES",
                        Path.of("target/attack-nodes").toAbsolutePath().toString()));
        int code = 0;
        try {
            run(env, seconds, pings, perfBytes, kinds);
        } catch (Exception e) {
            e.printStackTrace();
            code = 1;
        } finally {
            System.err.println(script(env, "destroy", "" + NODE).trim());
        }
        // the attackers' Netty event loop is not a daemon thread
        System.exit(code);
    }

    static void run(Map<String, String> env, int seconds, int pings, long perfBytes, List<Attacks.Kind> kinds)
            throws Exception {
        script(env, "destroy", "" + NODE);
        System.err.println(script(env, "create", "" + NODE).trim());
        Path cfg = Path.of(env.get("HIVEMESH_NODES"), "node" + NODE, "etc", "io.hivemesh.transport.cfg");
        String text = Files.readString(cfg).replaceAll("(?m)^perf\\s*=.*$", "perf = true");
        Files.writeString(cfg, text);
        System.err.println(script(env, "start", "" + NODE).trim());
        Matcher pm = Pattern.compile("libp2p (\\d+)").matcher(script(env, "ports", "" + NODE));
        if (!pm.find()) {
            throw new IllegalStateException("no libp2p port");
        }
        int port = Integer.parseInt(pm.group(1));
        Matcher im = Pattern.compile("PeerId\\s*:?\\s*(\\S+)").matcher(script(env, "exec", "" + NODE, "mesh:id"));
        if (!im.find()) {
            throw new IllegalStateException("no PeerId from mesh:id");
        }
        PeerId nodeId = PeerId.parse(im.group(1));
        String pid = script(env, "pid", "" + NODE).trim();
        System.err.println("node " + nodeId + " pid " + pid + " libp2p 127.0.0.1:" + port);

        InetSocketAddress nodeAddr = new InetSocketAddress("127.0.0.1", port);
        InetAddress attackerIp = InetAddress.getByName("127.0.0.2");
        Libp2pHost honest = new Libp2pHost(Standalone.identity(),
                HostConfig.defaults(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))));
        honest.start();
        try {
            honest.connect(Multiaddr.parse("/ip4/127.0.0.1/tcp/" + port + "/p2p/" + nodeId)).get(10, TimeUnit.SECONDS);
            // warm-up (both JITs): pings and two downloads
            for (int i = 0; i < 100; i++) {
                honest.ping(nodeId).get(10, TimeUnit.SECONDS);
            }
            for (int i = 0; i < 2; i++) {
                honest.perf(nodeId, 0, perfBytes).get(60, TimeUnit.SECONDS);
            }
            double idleHeap = heap(pid);
            String limits = script(env, "exec", "" + NODE, "mesh:limits");
            double budget = systemBudget(limits);
            System.err.printf(Locale.ROOT, "idle heap after GC %.1f MiB, system memory budget %.1f MiB%n", idleHeap, budget);

            List<Row> rows = new ArrayList<>();
            for (Attacks.Kind k : kinds) {
                // the no-attack figures just before each attack: the machine's load drifts during a run
                rows.add(measure("no attack", honest, nodeId, pings, perfBytes, seconds, null, null, attackerIp, pid, env,
                        idleHeap));
                rows.add(measure(k.label(), honest, nodeId, pings, perfBytes, seconds, k, nodeAddr, attackerIp, pid, env,
                        idleHeap));
            }
            rows.add(measure("no attack (at the end)", honest, nodeId, pings, perfBytes, seconds, null, null,
                    attackerIp, pid, env, idleHeap));
            print(rows, idleHeap, budget, seconds, pings, perfBytes);
        } finally {
            honest.stop();
        }
    }

    static Row measure(String what, Libp2pHost honest, PeerId node, int pings, long perfBytes, int seconds,
            Attacks.Kind kind, InetSocketAddress nodeAddr, InetAddress attackerIp, String pid, Map<String, String> env,
            double idleHeap) throws Exception {
        System.err.println("== " + what);
        AtomicBoolean stop = new AtomicBoolean();
        CompletableFuture<Attacks.Report> attack = kind == null ? CompletableFuture.completedFuture(null)
                : CompletableFuture.supplyAsync(() -> {
                    try {
                        return Attacks.run(kind, nodeAddr, node, attackerIp, Duration.ofSeconds(seconds), stop::get, DHT);
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                });
        long start = System.nanoTime();
        // the measurement ends 6 s before the attack does: mesh:limits and the heap are read while it still runs
        long end = start + TimeUnit.SECONDS.toNanos(seconds - 6);
        if (kind != null) {
            Thread.sleep(1000); // let the attack build up
        }
        double[] rtt = new double[pings];
        int ok = 0;
        int pingFailures = 0;
        for (int i = 0; i < pings; i++) {
            try {
                long t = System.nanoTime();
                honest.ping(node).get(10, TimeUnit.SECONDS);
                rtt[ok++] = (System.nanoTime() - t) / 1e6;
            } catch (Exception e) {
                pingFailures++;
            }
            Thread.sleep(10);
        }
        rtt = Arrays.copyOf(rtt, ok);
        Arrays.sort(rtt);
        // downloads while the attack runs: up to 3, none started unless it can end before the attack does
        List<Double> rates = new ArrayList<>();
        int perfFailures = 0;
        double last = 1.0;
        for (int i = 0; i < 3; i++) {
            long left = end - System.nanoTime();
            if (kind != null && (attack.isDone() || left < last * 2e9)) {
                break;
            }
            try {
                PerfResult r = honest.perf(node, 0, perfBytes).get(Math.max(5, left / 1_000_000_000L), TimeUnit.SECONDS);
                last = r.total().toNanos() / 1e9;
                rates.add(perfBytes / 1048576.0 / last);
            } catch (Exception e) {
                perfFailures++;
                System.err.println("perf failed: " + e);
            }
        }
        String accounted = systemUsed(script(env, "exec", "" + NODE, "mesh:limits"));
        double heapUnder = kind == null ? Double.NaN : heap(pid);
        boolean ranThrough = kind == null || !attack.isDone();
        if (kind != null && HISTOGRAM) {
            System.err.println(histogram(pid, 12));
        }
        stop.set(true);
        Attacks.Report report = attack.get(60, TimeUnit.SECONDS);
        Thread.sleep(1000);
        double heapAfter = heap(pid);
        String released = "";
        if (kind != null) {
            // how long until the heap is back near idle (+ 8 MiB), looked at every 2 s for up to 30 s
            long t0 = System.nanoTime();
            double h = heapAfter;
            while (h > idleHeap + 8 && System.nanoTime() - t0 < TimeUnit.SECONDS.toNanos(30)) {
                Thread.sleep(2000);
                h = heap(pid);
            }
            long waited = 1 + TimeUnit.NANOSECONDS.toSeconds(System.nanoTime() - t0);
            released = h <= idleHeap + 8 ? (waited <= 1 ? "≤ 1 s" : "≤ " + waited + " s")
                    : String.format(Locale.ROOT, "not within 31 s (%.1f MiB)", h);
        }
        String detail = report == null ? "" : report.detail();
        if (!ranThrough) {
            detail += " (the attack ended before the measurement and the readings under attack did)";
        }
        rates.sort(null);
        double mibs = rates.isEmpty() ? Double.NaN : rates.get(rates.size() / 2);
        double p50 = ok == 0 ? Double.NaN : rtt[ok / 2];
        double p99 = ok == 0 ? Double.NaN : rtt[Math.min(ok - 1, ok * 99 / 100)];
        Row row = new Row(what, kind != null, p50, p99, pingFailures, mibs, rates.size(), perfFailures, heapUnder,
                heapAfter, released, accounted, detail);
        System.err.println(row);
        return row;
    }

    static void print(List<Row> rows, double idleHeap, double budget, int seconds, int pings, long perfBytes) {
        System.out.println("| attack | ping p50 / p99 (ms) | p99 / no-attack p99 | throughput (MiB/s) | "
                + "throughput / no-attack | heap under attack / after (MiB) | back to idle + 8 MiB | "
                + "accounted system memory under attack | what the attacker did |");
        System.out.println("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        Row base = rows.get(0);
        List<String> goals = new ArrayList<>();
        for (Row r : rows) {
            if (!r.attack()) {
                base = r;
            }
            System.out.printf(Locale.ROOT, "| %s | %.2f / %.2f%s | %s | %.1f (%d run%s%s) | %s | %s / %.1f | %s | %s | %s |%n",
                    r.what(), r.p50(), r.p99(), r.pingFailures() == 0 ? "" : " (" + r.pingFailures() + " failed)",
                    r.attack() ? String.format(Locale.ROOT, "%.2f×", r.p99() / base.p99()) : "",
                    r.mibs(), r.perfRuns(), r.perfRuns() == 1 ? "" : "s",
                    r.perfFailures() == 0 ? "" : ", " + r.perfFailures() + " failed",
                    r.attack() ? String.format(Locale.ROOT, "%.0f %%", 100 * r.mibs() / base.mibs()) : "",
                    Double.isNaN(r.heapUnder()) ? "–" : String.format(Locale.ROOT, "%.1f", r.heapUnder()), r.heapAfter(),
                    r.released(), r.accounted(), r.detail());
            if (r.attack()) {
                boolean p99 = r.p99() <= 2 * base.p99() && r.pingFailures() == 0;
                boolean thr = r.mibs() >= 0.5 * base.mibs() && r.perfFailures() == 0;
                boolean heap = Math.max(r.heapUnder(), r.heapAfter()) <= idleHeap + budget;
                goals.add(String.format(Locale.ROOT, "%s: p99 %s, throughput %s, heap %s", r.what(), p99 ? "met" : "NOT met",
                        thr ? "met" : "NOT met", heap ? "met" : "NOT met"));
            }
        }
        System.out.printf(Locale.ROOT, "%nidle heap after GC %.1f MiB; system memory budget %.1f MiB; heap goal ≤ %.1f MiB; "
                + "%d s per attack, %d pings 10 ms apart, %d MiB per download; ratios against the no-attack row just above%n",
                idleHeap, budget, idleHeap + budget, seconds, pings, perfBytes >> 20);
        goals.forEach(System.out::println);
    }

    /** The top {@code n} lines of the node's class histogram (live objects). */
    static String histogram(String pid, int n) throws Exception {
        String[] lines = exec(List.of("jcmd", pid, "GC.class_histogram"), Map.of()).split("\n");
        return String.join("\n", Arrays.copyOfRange(lines, 0, Math.min(lines.length, n + 3)));
    }

    /** Used heap (MiB) of {@code pid} after a full GC. */
    static double heap(String pid) throws Exception {
        exec(List.of("jcmd", pid, "GC.run"), Map.of());
        String info = exec(List.of("jcmd", pid, "GC.heap_info"), Map.of());
        Matcher m = USED.matcher(info);
        long kib = 0;
        boolean any = false;
        while (m.find()) {
            kib += Long.parseLong(m.group(2));
            any = true;
        }
        if (!any) {
            throw new IllegalStateException("cannot read GC.heap_info: " + info);
        }
        return kib / 1024.0;
    }

    static double systemBudget(String limits) {
        for (String line : limits.split("\n")) {
            Matcher m = SYSTEM.matcher(line);
            if (m.find()) {
                return Double.parseDouble(m.group(2));
            }
        }
        throw new IllegalStateException("no system scope in mesh:limits: " + limits);
    }

    static String systemUsed(String limits) {
        for (String line : limits.split("\n")) {
            Matcher m = SYSTEM.matcher(line);
            if (m.find()) {
                return m.group(1);
            }
        }
        return "?";
    }

    static String script(Map<String, String> env, String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(SCRIPT);
        cmd.addAll(List.of(args));
        return exec(cmd, env);
    }

    static String exec(List<String> cmd, Map<String, String> env) throws IOException, InterruptedException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().putAll(env);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new IllegalStateException(cmd + " did not finish");
        }
        return out;
    }
}

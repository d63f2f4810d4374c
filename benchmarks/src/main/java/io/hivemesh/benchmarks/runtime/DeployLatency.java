package io.hivemesh.benchmarks.runtime;

import io.hivemesh.api.runtime.DeployConfig;
import io.hivemesh.api.runtime.WorkloadState;
import io.hivemesh.api.runtime.WorkloadStatus;
import io.hivemesh.runtime.podman.internal.PodmanCli;
import io.hivemesh.runtime.podman.internal.PodmanEngine;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * Deploy-to-running latency of a one-container pod: the podman engine ({@code deploy()} until it
 * completes with the state podman reports, RUNNING) against plain {@code podman kube play} of the
 * same pod (until the command returns), alternating in the same run. Removal is not timed.
 * Usage: {@code java -cp benchmarks/target/benchmarks.jar io.hivemesh.benchmarks.runtime.DeployLatency [runs]}.
 */
public final class DeployLatency {
    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata: {name: %s}
            spec:
              containers:
              - name: main
                image: localhost/busybox:latest
                command: [sh, -c, "exec sleep 600"]
            """;

    private DeployLatency() {
    }

    public static void main(String[] args) throws Exception {
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 20;
        PrintStream out = System.out;
        ExecutorService executor = Executors.newFixedThreadPool(2);
        PodmanCli cli = new PodmanCli("podman", "", Duration.ofSeconds(60));
        PodmanEngine engine = new PodmanEngine(cli, executor);
        Path plain = Files.createTempFile("hivemesh-bench-plain", ".yaml");
        Files.writeString(plain, POD.formatted("bench-plain"));
        List<Double> engineMs = new ArrayList<>();
        List<Double> plainMs = new ArrayList<>();
        try {
            for (int i = -2; i < runs; i++) {
                long t0 = System.nanoTime();
                WorkloadStatus s = engine.deploy("bench-engine", POD.formatted("web"), DeployConfig.defaults())
                        .get(60, TimeUnit.SECONDS);
                long t1 = System.nanoTime();
                if (s.state() != WorkloadState.RUNNING) {
                    throw new IllegalStateException("engine deploy did not reach RUNNING: " + s);
                }
                engine.remove("bench-engine").get(60, TimeUnit.SECONDS);

                long t2 = System.nanoTime();
                cli.check("kube play", List.of("kube", "play", "--replace", plain.toString()));
                long t3 = System.nanoTime();
                cli.check("pod rm", List.of("pod", "rm", "-f", "-t", "0", "bench-plain"));
                if (i >= 0) {
                    engineMs.add((t1 - t0) / 1e6);
                    plainMs.add((t3 - t2) / 1e6);
                }
            }
        } finally {
            cli.run(List.of("pod", "rm", "-f", "-i", "-t", "0", "bench-plain", "bench-engine-web"));
            executor.shutdownNow();
            Files.deleteIfExists(plain);
        }
        out.printf(Locale.ROOT, "runs=%d (after 2 warm-up pairs)%n", runs);
        out.printf(Locale.ROOT, "engine deploy-to-running  p50 %.0f ms  p90 %.0f ms%n", pct(engineMs, 50), pct(engineMs, 90));
        out.printf(Locale.ROOT, "plain podman kube play    p50 %.0f ms  p90 %.0f ms%n", pct(plainMs, 50), pct(plainMs, 90));
        out.printf(Locale.ROOT, "engine overhead at p50: %+.1f %%%n", 100 * (pct(engineMs, 50) / pct(plainMs, 50) - 1));
    }

    /** Nearest-rank percentile. */
    static double pct(List<Double> values, int p) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        int rank = (int) Math.ceil(p / 100.0 * sorted.size());
        return sorted.get(Math.max(0, rank - 1));
    }
}

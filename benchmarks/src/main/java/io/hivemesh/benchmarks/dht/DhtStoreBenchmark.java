package io.hivemesh.benchmarks.dht;

import io.hivemesh.dht.internal.RecordStore;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-node record store throughput: puts (each an atomic, fsynced file replacement) and gets
 * (in-memory index) of 256-byte values over 1,024 keys. Run:
 * {@code java -jar benchmarks/target/benchmarks.jar DhtStoreBenchmark}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
@Fork(1)
public class DhtStoreBenchmark {
    private static final int KEYS = 1024;
    private final byte[][] keys = new byte[KEYS][];
    private final byte[] value = new byte[256];
    private Path dir;
    private RecordStore store;
    private int next;

    @Setup
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("hivemesh-dht-store-bench");
        store = new RecordStore(dir, Clock.systemUTC(), Duration.ofHours(36), 16_384);
        for (int i = 0; i < KEYS; i++) {
            keys[i] = ("/mesh/bench-" + i).getBytes(StandardCharsets.UTF_8);
            store.put(keys[i], value);
        }
    }

    @TearDown
    public void tearDown() throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    public RecordStore.Stored put() {
        return store.put(keys[next++ & (KEYS - 1)], value);
    }

    @Benchmark
    public Optional<RecordStore.Stored> get() {
        return store.get(keys[next++ & (KEYS - 1)]);
    }
}

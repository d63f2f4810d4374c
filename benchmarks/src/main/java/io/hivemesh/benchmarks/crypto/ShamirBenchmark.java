package io.hivemesh.benchmarks.crypto;

import io.hivemesh.api.crypto.SecretSharing;
import io.hivemesh.crypto.internal.Standalone;
import java.security.SecureRandom;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Shamir split and combine of a 32-byte key with n shares and threshold k = max(2, n/2 + 1) (the
 * machine plane's rule); combine gets exactly k shares and checks every tag. Microseconds per operation.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class ShamirBenchmark {
    @Param({"5", "20", "100"})
    int n;

    private SecretSharing sharing;
    private byte[] secret;
    private int k;
    private List<byte[]> kShares;

    @Setup
    public void setup() {
        sharing = Standalone.secretSharing();
        secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        k = Math.max(2, n / 2 + 1);
        kShares = sharing.split(secret, k, n).subList(0, k);
    }

    @Benchmark
    public List<byte[]> split() {
        return sharing.split(secret, k, n);
    }

    @Benchmark
    public byte[] combine() {
        return sharing.combine(kShares);
    }
}

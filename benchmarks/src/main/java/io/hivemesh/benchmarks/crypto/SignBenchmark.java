package io.hivemesh.benchmarks.crypto;

import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.crypto.ReplayGuard;
import io.hivemesh.api.crypto.Signer;
import io.hivemesh.api.crypto.VerifiedEnvelope;
import io.hivemesh.crypto.internal.Standalone;
import java.time.Clock;
import java.util.Optional;
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
 * Signed envelopes with a 256-byte payload: sign and verify per second, Ed25519 alone and with the
 * ML-DSA-65 second signature. Verification here uses a replay guard that accepts everything, so the
 * same envelope can be verified repeatedly; {@code replayGuardCheck} measures the real in-memory guard
 * separately (fresh nonce each call).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SignBenchmark {
    @Param({"ed25519", "ed25519+mldsa65"})
    String signatures;

    private Signer signer;
    private byte[] envelope;
    private NodeIdentity identity;
    private ReplayGuard guard;
    private final byte[] payload = new byte[256];
    private long nonceCounter;

    @Setup
    public void setup() {
        identity = Standalone.identity();
        ReplayGuard acceptAll = (origin, nonce, timestamp) -> { };
        signer = Standalone.signer(identity, signatures.contains("mldsa"), acceptAll, Clock.systemUTC());
        envelope = signer.sign("hivemesh/bench", payload);
        guard = Standalone.replayGuard(Clock.systemUTC(), 50_000_000);
    }

    @Benchmark
    public byte[] sign() {
        return signer.sign("hivemesh/bench", payload);
    }

    @Benchmark
    public VerifiedEnvelope verify() {
        return signer.verify(envelope, Optional.of(identity.peerId()));
    }

    @Benchmark
    public void replayGuardCheck() {
        byte[] nonce = new byte[16];
        long n = ++nonceCounter;
        for (int i = 0; i < 8; i++) {
            nonce[i] = (byte) (n >>> (8 * i));
        }
        guard.check(identity.peerId(), nonce, java.time.Instant.now());
    }
}

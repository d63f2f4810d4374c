package io.hivemesh.benchmarks;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of the codecs every dial and every DHT message pays: multiaddr text and binary forms and
 * PeerId parsing. Run: {@code java -jar benchmarks/target/benchmarks.jar MultiaddrCodec}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class MultiaddrCodecBenchmark {
    private static final String TEXT =
            "/ip6/2001:db8::1/tcp/4001/p2p/12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA";
    private final byte[] binary = Multiaddr.parse(TEXT).toBytes();

    @Benchmark
    public Multiaddr parseText() {
        return Multiaddr.parse(TEXT);
    }

    @Benchmark
    public Multiaddr decodeBinary() {
        return Multiaddr.decode(binary);
    }

    @Benchmark
    public String printText() {
        return Multiaddr.decode(binary).toString();
    }

    @Benchmark
    public PeerId parsePeerId() {
        return PeerId.parse("12D3KooWD3eckifWpRn9wQpMG9R9hX3sD158z7EqHWmweQAJU5SA");
    }
}

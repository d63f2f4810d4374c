package io.hivemesh.benchmarks.crypto;

import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.crypto.SealContext;
import io.hivemesh.api.crypto.Sealer;
import io.hivemesh.crypto.internal.Standalone;
import java.security.SecureRandom;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
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
 * Sealing (X25519 + ML-KEM-768 → HKDF-SHA256 → chunked AES-256-GCM) against the raw AES-256-GCM of
 * the same JDK on the same buffer (one key, one fresh 12-byte IV per operation, one doFinal): the
 * difference is the KEM, the key derivation and the chunking. Throughput in operations per second;
 * multiply by the size for bytes per second.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
public class SealBenchmark {
    @Param({"1024", "65536", "1048576"})
    int size;

    private Sealer sealer;
    private SealContext context;
    private byte[] plaintext;
    private byte[] sealed;
    private byte[] recipient;
    private SecretKeySpec key;
    private byte[] gcmCiphertext;
    private final byte[] iv = new byte[12];
    private final SecureRandom random = new SecureRandom();
    private long counter;

    @Setup
    public void setup() throws Exception {
        sealer = Standalone.sealer();
        NodeIdentity a = Standalone.identity();
        NodeIdentity b = Standalone.identity();
        context = new SealContext(a.peerId(), b.peerId(), "hivemesh/manifest", "deploy");
        plaintext = new byte[size];
        random.nextBytes(plaintext);
        recipient = sealer.kemPublicKey();
        sealed = sealer.seal(recipient, context, plaintext);
        byte[] k = new byte[32];
        random.nextBytes(k);
        key = new SecretKeySpec(k, "AES");
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, iv));
        gcmCiphertext = c.doFinal(plaintext);
    }

    @Benchmark
    public byte[] seal() {
        return sealer.seal(recipient, context, plaintext);
    }

    @Benchmark
    public byte[] open() {
        return sealer.open(context, sealed);
    }

    @Benchmark
    public byte[] rawAesGcmEncrypt() throws Exception {
        byte[] nonce = new byte[12];
        long n = ++counter;
        for (int i = 0; i < 8; i++) {
            nonce[i] = (byte) (n >>> (8 * i));
        }
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.ENCRYPT_MODE, key, new GCMParameterSpec(128, nonce));
        return c.doFinal(plaintext);
    }

    @Benchmark
    public byte[] rawAesGcmDecrypt() throws Exception {
        Cipher c = Cipher.getInstance("AES/GCM/NoPadding");
        c.init(Cipher.DECRYPT_MODE, key, new GCMParameterSpec(128, iv));
        return c.doFinal(gcmCiphertext);
    }
}

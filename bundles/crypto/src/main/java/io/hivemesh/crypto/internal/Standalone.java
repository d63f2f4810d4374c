package io.hivemesh.crypto.internal;

import io.hivemesh.api.crypto.CapabilityService;
import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.crypto.ReplayGuard;
import io.hivemesh.api.crypto.Sealer;
import io.hivemesh.api.crypto.SecretSharing;
import io.hivemesh.api.crypto.Signer;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;

/**
 * In-memory instances of the crypto services with fresh random keys and nothing on disk, for code
 * outside OSGi (the JMH benchmarks). The package is private to the bundle; inside a node the services
 * come from {@link CryptoComponent}.
 */
public final class Standalone {
    private Standalone() {
    }

    /** A fresh random Ed25519 identity. */
    public static NodeIdentity identity() {
        return Ed25519Identity.generate(new SecureRandom(), "hivemesh/standalone");
    }

    /** An in-memory replay guard with the default windows (±30 s, 5 min). */
    public static ReplayGuard replayGuard(Clock clock, int maxEntries) {
        return new ReplayWindow(clock, Duration.ofSeconds(30), Duration.ofMinutes(5), maxEntries);
    }

    /** Envelopes signed by {@code identity} (and ML-DSA-65 when {@code withMlDsa}), checked by {@code guard}. */
    public static Signer signer(NodeIdentity identity, boolean withMlDsa, ReplayGuard guard, Clock clock) {
        SecureRandom random = new SecureRandom();
        return new EnvelopeSigner(identity, withMlDsa ? MlDsaKey.generate(random) : null, guard, clock, random,
                64 * 1024 * 1024);
    }

    /** A sealer with one fresh KEM key pair and the default 64 KiB chunks. */
    public static Sealer sealer() {
        SecureRandom random = new SecureRandom();
        return new HybridSealer(KemKeyRing.inMemory(0, random, Clock.systemUTC()), random);
    }

    public static SecretSharing secretSharing() {
        return new ShamirSharing(new SecureRandom());
    }

    public static CapabilityService capabilities(NodeIdentity identity, Clock clock) {
        return new CapabilityTokens(identity, clock, new SecureRandom(), Duration.ofSeconds(60), 1_000_000);
    }
}

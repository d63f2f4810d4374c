package io.hivemesh.crypto.internal;

import io.hivemesh.api.crypto.CryptoException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's KEM key pairs, current first, with up to {@code retained} rotated-out pairs kept so that
 * what was sealed to them still opens. Persisted (when a path is given) in one file, written
 * atomically with mode 0600 before any change takes effect:
 * <pre>
 * u8 0x52 'R' | u8 version 1 | u8 count (1..255)
 * count × (i64 created, Unix ms | 32-byte X25519 private key | 64-byte ML-KEM-768 seed)
 * 32-byte SHA-256 of everything before
 * </pre>
 * Thread-safe: readers see an immutable snapshot.
 */
final class KemKeyRing {
    static final String WHAT = "KEM key ring";
    static final int TAG = 0x52;
    static final int VERSION = 1;
    private static final int ENTRY = 8 + KemKeyPair.X25519_LENGTH + KemKeyPair.MLKEM_SEED_LENGTH;
    private static final Logger LOG = LoggerFactory.getLogger(KemKeyRing.class);

    private final Path path;
    private final int retained;
    private final SecureRandom random;
    private final Clock clock;
    private volatile List<KemKeyPair> pairs;

    private KemKeyRing(Path path, int retained, SecureRandom random, Clock clock, List<KemKeyPair> pairs) {
        this.path = path;
        this.retained = retained;
        this.random = random;
        this.clock = clock;
        this.pairs = List.copyOf(pairs);
    }

    /** Loads the ring from {@code path}, or generates and stores a first key pair if there is no file. */
    static KemKeyRing loadOrCreate(Path path, int retained, SecureRandom random, Clock clock) {
        Optional<byte[]> content = KeyFiles.read(path, WHAT);
        if (content.isPresent()) {
            try {
                return new KemKeyRing(path, retained, random, clock, decode(content.get()));
            } catch (CryptoException e) {
                throw KeyFiles.corrupt(path, WHAT, e);
            }
        }
        KemKeyRing ring = new KemKeyRing(path, retained, random, clock,
                List.of(KemKeyPair.generate(random, clock.instant())));
        ring.store();
        LOG.info("Generated a KEM key pair (X25519 + ML-KEM-768) {} in {}", Hashes.keyId(ring.current().publicKey()),
                path);
        return ring;
    }

    /** A ring with one fresh pair, not persisted (tests, benchmarks). */
    static KemKeyRing inMemory(int retained, SecureRandom random, Clock clock) {
        return new KemKeyRing(null, retained, random, clock, List.of(KemKeyPair.generate(random, clock.instant())));
    }

    /** A ring of the given pairs (current first), not persisted (tests, fuzzing). */
    static KemKeyRing of(List<KemKeyPair> pairs, SecureRandom random, Clock clock) {
        return new KemKeyRing(null, pairs.size(), random, clock, pairs);
    }

    KemKeyPair current() {
        return pairs.get(0);
    }

    List<KemKeyPair> all() {
        return pairs;
    }

    Optional<KemKeyPair> find(byte[] keyId) {
        for (KemKeyPair p : pairs) {
            if (p.hasId(keyId)) {
                return Optional.of(p);
            }
        }
        return Optional.empty();
    }

    /** Makes a new pair current; keeps at most {@code retained} older ones. Persisted first. */
    synchronized KemKeyPair rotate() {
        List<KemKeyPair> next = new ArrayList<>();
        next.add(KemKeyPair.generate(random, clock.instant()));
        for (KemKeyPair p : pairs) {
            if (next.size() > retained) {
                break;
            }
            next.add(p);
        }
        List<KemKeyPair> previous = pairs;
        pairs = List.copyOf(next);
        try {
            store();
        } catch (RuntimeException e) {
            pairs = previous;
            throw e;
        }
        LOG.info("Rotated the KEM key: {} is current, {} older key(s) retained", Hashes.keyId(next.get(0).publicKey()),
                next.size() - 1);
        return next.get(0);
    }

    private void store() {
        if (path == null) {
            return;
        }
        WireWriter w = new WireWriter(3 + pairs.size() * ENTRY);
        w.u8(TAG).u8(VERSION).u8(pairs.size());
        for (KemKeyPair p : pairs) {
            w.i64(p.created().toEpochMilli()).bytes(p.x25519Private()).bytes(p.mlkemSeed());
        }
        KeyFiles.write(path, WHAT, w.toByteArray());
    }

    static List<KemKeyPair> decode(byte[] content) {
        WireReader r = new WireReader(WHAT, content);
        if (r.u8("tag") != TAG) {
            throw r.error("not a KEM key ring (tag byte)");
        }
        int version = r.u8("version");
        if (version != VERSION) {
            throw r.error("unsupported version " + version);
        }
        int count = r.u8("count");
        if (count < 1) {
            throw r.error("holds no key");
        }
        List<KemKeyPair> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Instant created = Instant.ofEpochMilli(r.i64("created"));
            out.add(new KemKeyPair(r.bytes(KemKeyPair.X25519_LENGTH, "X25519 key"),
                    r.bytes(KemKeyPair.MLKEM_SEED_LENGTH, "ML-KEM seed"), created));
        }
        r.expectEnd();
        return out;
    }
}

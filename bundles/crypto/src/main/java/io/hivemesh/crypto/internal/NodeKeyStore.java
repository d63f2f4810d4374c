package io.hivemesh.crypto.internal;

import io.hivemesh.api.crypto.CryptoException;
import io.hivemesh.api.crypto.KeyInfo;
import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.crypto.NodeKeys;
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
 * The node's keys besides the identity, under one directory: {@code kem.keys} (the {@link KemKeyRing})
 * and, when enabled, {@code mldsa.key}:
 * <pre>u8 0x44 'D' | u8 version 1 | i64 created, Unix ms | 32-byte ML-DSA-65 seed | 32-byte SHA-256</pre>
 * Both are created on first start, mode 0600, written atomically, and never replaced when corrupt.
 */
final class NodeKeyStore implements NodeKeys {
    static final String KEM_FILE = "kem.keys";
    static final String MLDSA_FILE = "mldsa.key";
    static final String MLDSA_WHAT = "ML-DSA-65 key";
    private static final Logger LOG = LoggerFactory.getLogger(NodeKeyStore.class);

    private final NodeIdentity identity;
    private final KemKeyRing kem;
    private final MlDsaKey mldsa;
    private final Instant mldsaCreated;

    NodeKeyStore(NodeIdentity identity, KemKeyRing kem, MlDsaKey mldsa, Instant mldsaCreated) {
        this.identity = identity;
        this.kem = kem;
        this.mldsa = mldsa;
        this.mldsaCreated = mldsaCreated;
    }

    static NodeKeyStore open(NodeIdentity identity, Path dir, int retainedKem, boolean withMlDsa, SecureRandom random,
                             Clock clock) {
        KemKeyRing kem = KemKeyRing.loadOrCreate(dir.resolve(KEM_FILE), retainedKem, random, clock);
        if (!withMlDsa) {
            return new NodeKeyStore(identity, kem, null, null);
        }
        Path file = dir.resolve(MLDSA_FILE);
        Optional<byte[]> content = KeyFiles.read(file, MLDSA_WHAT);
        if (content.isPresent()) {
            try {
                WireReader r = new WireReader(MLDSA_WHAT, content.get());
                if (r.u8("tag") != 0x44 || r.u8("version") != 1) {
                    throw r.error("not a version 1 ML-DSA-65 key file");
                }
                Instant created = Instant.ofEpochMilli(r.i64("created"));
                byte[] seed = r.bytes(MlDsaKey.SEED_LENGTH, "seed");
                r.expectEnd();
                return new NodeKeyStore(identity, kem, new MlDsaKey(seed, random), created);
            } catch (CryptoException e) {
                throw KeyFiles.corrupt(file, MLDSA_WHAT, e);
            }
        }
        MlDsaKey key = MlDsaKey.generate(random);
        Instant created = clock.instant();
        KeyFiles.write(file, MLDSA_WHAT, new WireWriter(42).u8(0x44).u8(1).i64(created.toEpochMilli())
                .bytes(key.seed()).toByteArray());
        LOG.info("Generated an ML-DSA-65 key {} in {}", Hashes.keyId(key.publicKey()), file);
        return new NodeKeyStore(identity, kem, key, created);
    }

    KemKeyRing kem() {
        return kem;
    }

    /** The ML-DSA-65 key, or null when disabled. */
    MlDsaKey mldsa() {
        return mldsa;
    }

    @Override
    public List<KeyInfo> publicKeys() {
        List<KeyInfo> out = new ArrayList<>();
        byte[] id = identity.publicKey().data();
        out.add(new KeyInfo("Ed25519", Hashes.keyId(identity.publicKey().toProtobuf()), id, Instant.EPOCH, true));
        boolean current = true;
        for (KemKeyPair p : kem.all()) {
            byte[] pub = p.publicKey();
            out.add(new KeyInfo("X25519+ML-KEM-768", Hashes.keyId(pub), pub, p.created(), current));
            current = false;
        }
        if (mldsa != null) {
            byte[] pub = mldsa.publicKey();
            out.add(new KeyInfo("ML-DSA-65", Hashes.keyId(pub), pub, mldsaCreated, true));
        }
        return out;
    }

    @Override
    public KeyInfo rotateKem() {
        KemKeyPair p = kem.rotate();
        byte[] pub = p.publicKey();
        return new KeyInfo("X25519+ML-KEM-768", Hashes.keyId(pub), pub, p.created(), true);
    }
}

package io.hivemesh.workload.internal;

import io.hivemesh.api.crypto.KeyInfo;
import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.crypto.NodeKeys;
import io.hivemesh.api.crypto.Sealer;
import io.hivemesh.crypto.internal.Standalone;

import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * {@link NodeKeys} over real sealers: the current KEM key is the newest sealer's
 * {@link Sealer#kemPublicKey()}; {@link #rotateKem()} adds a fresh sealer. Thread-safe.
 */
final class NodeKeysForTests implements NodeKeys {
    private final NodeIdentity identity;
    private final byte[] mlDsaKey;
    private final List<Sealer> sealers = new ArrayList<>();

    /** With one fresh sealer and, if {@code mlDsaKey} is non-null, that ML-DSA-65 key. */
    NodeKeysForTests(NodeIdentity identity, byte[] mlDsaKey) {
        this.identity = identity;
        this.mlDsaKey = mlDsaKey;
        sealers.add(Standalone.sealer());
    }

    /** The sealer of the current KEM key. */
    synchronized Sealer sealer() {
        return sealers.get(sealers.size() - 1);
    }

    @Override
    public synchronized List<KeyInfo> publicKeys() {
        List<KeyInfo> out = new ArrayList<>();
        out.add(info("Ed25519", identity.publicKey().data(), true));
        for (int i = sealers.size() - 1; i >= 0; i--) {
            out.add(info(NodeKeyDirectory.KEM_ALGORITHM, sealers.get(i).kemPublicKey(), i == sealers.size() - 1));
        }
        if (mlDsaKey != null) {
            out.add(info(NodeKeyDirectory.MLDSA_ALGORITHM, mlDsaKey, true));
        }
        return out;
    }

    @Override
    public synchronized KeyInfo rotateKem() {
        sealers.add(Standalone.sealer());
        return info(NodeKeyDirectory.KEM_ALGORITHM, sealer().kemPublicKey(), true);
    }

    private static KeyInfo info(String algorithm, byte[] key, boolean current) {
        return new KeyInfo(algorithm, HexFormat.of().formatHex(key, 0, 8), key, Instant.EPOCH, current);
    }
}

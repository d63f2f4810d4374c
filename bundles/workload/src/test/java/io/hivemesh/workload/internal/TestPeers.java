package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;

import java.util.Random;

/** Deterministic Ed25519-style PeerIds (identity multihash of a 32-byte key) for tests. */
final class TestPeers {
    private TestPeers() {
    }

    static PeerId peer(long seed) {
        byte[] key = new byte[32];
        new Random(seed).nextBytes(key);
        return PeerId.fromPublicKey(new PublicKey(KeyType.ED25519, key));
    }
}

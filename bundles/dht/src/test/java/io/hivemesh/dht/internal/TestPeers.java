package io.hivemesh.dht.internal;

import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Deterministic Ed25519-style PeerIds (identity multihash of a 32-byte key) for tests. */
final class TestPeers {
    private TestPeers() {
    }

    static PeerId peer(Random random) {
        byte[] key = new byte[32];
        random.nextBytes(key);
        return PeerId.fromPublicKey(new PublicKey(KeyType.ED25519, key));
    }

    static List<PeerId> peers(int n, long seed) {
        Random r = new Random(seed);
        List<PeerId> out = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            out.add(peer(r));
        }
        return out;
    }
}

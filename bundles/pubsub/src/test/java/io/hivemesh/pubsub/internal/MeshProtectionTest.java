package io.hivemesh.pubsub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hivemesh.api.discovery.ConnectionManager;
import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.api.pubsub.PubSubEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class MeshProtectionTest {
    private static final PeerId A = PeerId.fromPublicKey(new PublicKey(KeyType.ED25519, new byte[32]));
    private static final PeerId B = PeerId.fromPublicKey(new PublicKey(KeyType.ED25519, new byte[] {
        1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30, 31, 32}));

    /** Records protections by tag, for this test only. */
    private static final class RecordingConnectionManager implements ConnectionManager {
        final Map<PeerId, Set<String>> tags = new HashMap<>();

        @Override
        public void protect(PeerId peer, String tag) {
            tags.computeIfAbsent(peer, p -> new HashSet<>()).add(tag);
        }

        @Override
        public boolean unprotect(PeerId peer, String tag) {
            Set<String> t = tags.getOrDefault(peer, new HashSet<>());
            t.remove(tag);
            return !t.isEmpty();
        }

        @Override
        public boolean isProtected(PeerId peer) {
            return !tags.getOrDefault(peer, Set.of()).isEmpty();
        }

        @Override
        public void tag(PeerId peer, String tag, int value) {
        }

        @Override
        public int trim() {
            return 0;
        }
    }

    @Test
    void meshPeersAreProtectedUntilTheyLeaveTheLastMesh() {
        RecordingConnectionManager cm = new RecordingConnectionManager();
        AtomicReference<ConnectionManager> ref = new AtomicReference<>(cm);
        MeshProtection p = new MeshProtection(ref::get);
        p.accept(new PubSubEvent.Grafted(A, "x"));
        p.accept(new PubSubEvent.Grafted(A, "y"));
        p.accept(new PubSubEvent.Grafted(B, "x"));
        assertEquals(Set.of("pubsub"), cm.tags.get(A));
        p.accept(new PubSubEvent.Pruned(A, "x"));
        assertEquals(true, cm.isProtected(A), "still in y's mesh");
        p.accept(new PubSubEvent.Pruned(A, "y"));
        assertEquals(false, cm.isProtected(A));
        p.accept(new PubSubEvent.PeerLeft(B));
        assertEquals(false, cm.isProtected(B));
        assertEquals(Set.of(), p.protectedPeers());
    }

    @Test
    void aManagerThatArrivesLateProtectsTheCurrentMesh() {
        AtomicReference<ConnectionManager> ref = new AtomicReference<>();
        MeshProtection p = new MeshProtection(ref::get);
        p.accept(new PubSubEvent.Grafted(A, "x"));
        RecordingConnectionManager cm = new RecordingConnectionManager();
        ref.set(cm);
        p.bound(cm);
        assertEquals(true, cm.isProtected(A));
    }
}

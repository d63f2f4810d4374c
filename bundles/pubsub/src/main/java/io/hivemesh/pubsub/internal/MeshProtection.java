package io.hivemesh.pubsub.internal;

import io.hivemesh.api.discovery.ConnectionManager;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.pubsub.PubSubEvent;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps this node's mesh peers protected from connection trimming under the tag {@value #TAG}: a
 * peer is protected while it is in the mesh of at least one topic (from the router's Grafted and
 * Pruned events) and unprotected when it leaves the last one or its pubsub streams go. The
 * connection manager is optional and may come and go ({@code manager} returns null when absent).
 * Runs on the pubsub event thread.
 */
final class MeshProtection implements Consumer<PubSubEvent> {
    static final String TAG = "pubsub";

    private final Supplier<ConnectionManager> manager;
    private final Map<PeerId, Set<String>> meshTopics = new HashMap<>();

    MeshProtection(Supplier<ConnectionManager> manager) {
        this.manager = manager;
    }

    @Override
    public synchronized void accept(PubSubEvent e) {
        ConnectionManager cm = manager.get();
        if (e instanceof PubSubEvent.Grafted g) {
            if (meshTopics.computeIfAbsent(g.peer(), p -> new HashSet<>()).add(g.topic()) && cm != null) {
                cm.protect(g.peer(), TAG);
            }
        } else if (e instanceof PubSubEvent.Pruned p) {
            Set<String> topics = meshTopics.get(p.peer());
            if (topics != null && topics.remove(p.topic()) && topics.isEmpty()) {
                meshTopics.remove(p.peer());
                if (cm != null) {
                    cm.unprotect(p.peer(), TAG);
                }
            }
        } else if (e instanceof PubSubEvent.PeerLeft l) {
            if (meshTopics.remove(l.peer()) != null && cm != null) {
                cm.unprotect(l.peer(), TAG);
            }
        }
    }

    /** A connection manager appeared: protect every current mesh peer with it. */
    synchronized void bound(ConnectionManager cm) {
        meshTopics.keySet().forEach(p -> cm.protect(p, TAG));
    }

    synchronized Set<PeerId> protectedPeers() {
        return Set.copyOf(meshTopics.keySet());
    }
}

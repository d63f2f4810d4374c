package io.hivemesh.transport.internal;

import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.ConnectionEvent;
import io.hivemesh.api.peer.PeerId;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The host's open connections by peer. Adding and removing are atomic per peer (no connection can
 * be orphaned by a concurrent removal of its peer's last one), and each change publishes the
 * matching {@link ConnectionEvent}: {@code Connected} for every connection, {@code Disconnected}
 * when the last one of a peer closed. Thread-safe.
 */
final class ConnectionRegistry {
    private final Map<PeerId, List<HostConnection>> byPeer = new ConcurrentHashMap<>();
    private final ConnectionEventBus events;

    ConnectionRegistry(ConnectionEventBus events) {
        this.events = events;
    }

    void add(HostConnection c) {
        byPeer.compute(c.remotePeer(), (p, list) -> {
            List<HostConnection> next = list == null ? new ArrayList<>() : new ArrayList<>(list);
            next.add(c);
            return List.copyOf(next);
        });
        events.publish(new ConnectionEvent.Connected(c.remotePeer(), c));
    }

    void remove(HostConnection c) {
        boolean[] last = new boolean[1];
        boolean[] removed = new boolean[1];
        byPeer.computeIfPresent(c.remotePeer(), (p, list) -> {
            List<HostConnection> next = new ArrayList<>(list);
            removed[0] = next.remove(c);
            last[0] = next.isEmpty();
            return next.isEmpty() ? null : List.copyOf(next);
        });
        if (removed[0] && last[0]) {
            events.publish(new ConnectionEvent.Disconnected(c.remotePeer()));
        }
    }

    /** An open connection to {@code peer}, if any. */
    Optional<HostConnection> open(PeerId peer) {
        for (HostConnection c : byPeer.getOrDefault(peer, List.of())) {
            if (c.isOpen()) {
                return Optional.of(c);
            }
        }
        return Optional.empty();
    }

    List<HostConnection> of(PeerId peer) {
        return byPeer.getOrDefault(peer, List.of());
    }

    List<Connection> all() {
        List<Connection> out = new ArrayList<>();
        byPeer.values().forEach(out::addAll);
        return out;
    }

    List<HostConnection> allHost() {
        List<HostConnection> out = new ArrayList<>();
        byPeer.values().forEach(out::addAll);
        return out;
    }
}

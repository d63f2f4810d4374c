package io.hivemesh.api.net;

import io.hivemesh.api.peer.PeerId;
import java.util.Set;

/** What happened to a peer's connections, as {@link ConnectionEvents} reports it. */
public sealed interface ConnectionEvent {

    /** The peer the event is about. */
    PeerId peer();

    /** A connection to {@code peer} was secured and multiplexed (each connection, not only the first). */
    record Connected(PeerId peer, Connection connection) implements ConnectionEvent {
    }

    /** {@code peer} answered Identify on a connection: its protocols and agent as it announced them. */
    record Identified(PeerId peer, Set<String> protocols, String agentVersion) implements ConnectionEvent {
        public Identified {
            protocols = Set.copyOf(protocols);
        }
    }

    /** {@code peer} pushed a change of its protocols (identify push). */
    record ProtocolsChanged(PeerId peer, Set<String> protocols, Set<String> added, Set<String> removed)
            implements ConnectionEvent {
        public ProtocolsChanged {
            protocols = Set.copyOf(protocols);
            added = Set.copyOf(added);
            removed = Set.copyOf(removed);
        }
    }

    /** The last connection to {@code peer} closed. */
    record Disconnected(PeerId peer) implements ConnectionEvent {
    }
}

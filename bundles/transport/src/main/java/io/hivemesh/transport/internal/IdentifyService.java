package io.hivemesh.transport.internal;

import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.ConnectionEvent;
import io.hivemesh.api.net.Stream;
import io.hivemesh.api.peer.PeerId;
import java.nio.ByteBuffer;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Identify and identify push (libp2p/specs identify/README.md): answers {@code /ipfs/id/1.0.0} on
 * every connection, asks the remote on every new connection (within {@value #TIMEOUT_S} s), pushes
 * this node's protocols to every connected peer when they change, and applies what peers announce to
 * the peer store, publishing {@code Identified} and {@code ProtocolsChanged} events. Thread-safe.
 */
final class IdentifyService {
    static final long TIMEOUT_S = 10;
    private static final Logger LOG = LoggerFactory.getLogger(IdentifyService.class);

    private final NodeIdentity identity;
    private final PeerBook peerStore;
    private final PeerRecords records;
    private final ConnectionEventBus events;
    private final Supplier<List<Multiaddr>> listenAddresses;
    private final Supplier<Set<String>> protocols;

    IdentifyService(NodeIdentity identity, PeerBook peerStore, ConnectionEventBus events,
            Supplier<List<Multiaddr>> listenAddresses, Supplier<Set<String>> protocols) {
        this.identity = identity;
        this.peerStore = peerStore;
        this.records = new PeerRecords(identity, System::currentTimeMillis);
        this.events = events;
        this.listenAddresses = listenAddresses;
        this.protocols = protocols;
    }

    /** Our Identify message (with our signed peer record) for the connection {@code c}. */
    byte[] message(Connection c) {
        List<Multiaddr> listen = listenAddresses.get();
        return IdentifyMessages.encode(identity.publicKey(), listen, c == null ? null : c.remoteAddress(),
                protocols.get(), identity.agentVersion(), records.signedRecord(listen));
    }

    /** Built-in handler of {@code /ipfs/id/1.0.0}: our message, then close. */
    void serve(Stream s, Connection c) {
        s.write(ByteBuffer.wrap(message(c))).thenCompose(v -> s.closeWrite()).whenComplete((v, e) -> s.close());
    }

    /** Built-in handler of {@code /ipfs/id/push/1.0.0}. */
    void servePush(Stream s) {
        Streams.readAll(s, IdentifyMessages.MAX_STREAM).whenComplete((bytes, e) -> {
            if (e == null) {
                try {
                    apply(s.remotePeer(), IdentifyMessages.decode(bytes), true);
                } catch (ProtocolViolationException ex) {
                    LOG.warn("identify push from {}: {}", s.remotePeer(), ex.getMessage());
                }
            }
            s.close();
        });
    }

    /** Asks the remote of a new connection who it is. */
    void identify(HostConnection c) {
        c.openRaw(List.of(IdentifyMessages.PROTOCOL))
                .thenCompose(s -> s.closeWrite().thenCompose(v -> Streams.readAll(s, IdentifyMessages.MAX_STREAM))
                        .orTimeout(TIMEOUT_S, TimeUnit.SECONDS)
                        .whenComplete((b, e) -> {
                            if (e != null) {
                                s.reset();
                            } else {
                                s.close();
                            }
                        }))
                .whenComplete((bytes, e) -> {
                    if (e != null) {
                        LOG.debug("identify of {} failed: {}", c.remotePeer(), e.toString());
                        return;
                    }
                    try {
                        apply(c.remotePeer(), IdentifyMessages.decode(bytes), false);
                    } catch (ProtocolViolationException ex) {
                        LOG.warn("identify from {}: {}", c.remotePeer(), ex.getMessage());
                    }
                });
    }

    /** Pushes our current identify message to every connection. */
    void push(List<HostConnection> connections) {
        for (HostConnection c : connections) {
            c.openRaw(List.of(IdentifyMessages.PUSH_PROTOCOL))
                    .thenCompose(s -> s.write(ByteBuffer.wrap(message(c))).thenCompose(v -> s.closeWrite())
                            .orTimeout(TIMEOUT_S, TimeUnit.SECONDS)
                            .whenComplete((v, e) -> {
                                if (e != null) {
                                    s.reset();
                                } else {
                                    s.close();
                                }
                            }))
                    .whenComplete((v, e) -> {
                        if (e != null) {
                            LOG.debug("identify push to {} failed: {}", c.remotePeer(), e.toString());
                        }
                    });
        }
    }

    private void apply(PeerId peer, IdentifyMessages.Info info, boolean push) {
        Set<String> before = new HashSet<>(peerStore.protocols(peer));
        IdentifyUpdates.apply(peerStore, peer, info);
        Set<String> now = peerStore.protocols(peer);
        String agent = peerStore.agentVersion(peer).orElse("");
        if (push) {
            Set<String> added = new HashSet<>(now);
            added.removeAll(before);
            Set<String> removed = new HashSet<>(before);
            removed.removeAll(now);
            if (!added.isEmpty() || !removed.isEmpty()) {
                events.publish(new ConnectionEvent.ProtocolsChanged(peer, now, added, removed));
            }
        } else {
            events.publish(new ConnectionEvent.Identified(peer, now, agent));
        }
    }

    /** The agent version {@code peer} announced, if any. */
    String agentVersion(PeerId peer) {
        return peerStore.agentVersion(peer).orElse(null);
    }
}

package io.hivemesh.dht.internal;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.dht.internal.proto.DhtProto.Message;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The DHT's I/O edge: how a {@link KadNode} reaches other peers. Over the libp2p host in a node
 * ({@link HostKadNetwork}); in memory in tests and the simulation harness. Thread-safe.
 */
public interface KadNetwork {
    /** This node's id. */
    PeerId self();

    /** This node's addresses as announced to others. */
    List<Multiaddr> selfAddresses();

    /** Sends one request and completes with the one reply (exceptionally on any failure). */
    CompletableFuture<Message> request(PeerId peer, Message request);

    /** Sends one message that gets no reply (ADD_PROVIDER); completes once written. */
    CompletableFuture<Void> send(PeerId peer, Message message);

    /** Completes with true if {@code peer} answers a liveness check (libp2p ping), false otherwise. */
    CompletableFuture<Boolean> ping(PeerId peer);

    /** The known addresses of {@code peer}. */
    List<Multiaddr> addresses(PeerId peer);

    /** Remembers addresses of {@code peer} learnt from a DHT message. */
    void learnAddresses(PeerId peer, List<Multiaddr> addresses);

    /** Whether {@code peer} announced the DHT protocol (it is a server, eligible for the table). */
    boolean isServer(PeerId peer);
}

package io.hivemesh.pubsub.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.pubsub.internal.pb.RpcProto.RPC;
import java.util.Optional;

/**
 * What the {@code GossipRouter} needs from the network beneath it: a way to send an RPC to a peer and
 * to drop a peer that misbehaves. Implemented over the libp2p {@link io.hivemesh.api.net.Host}
 * ({@code HostGossipNetwork}) and in memory by tests and the simulation benchmark. The router calls
 * these methods from its own thread; implementations must never block it.
 */
public interface GossipNetwork {

    /**
     * Queues {@code rpc} for {@code peer}. Returns false when it was not queued (no stream, the peer's
     * outbound queue is full, or the encoded RPC exceeds the peer's frame limit); the router treats
     * that as a lost message and never retries.
     */
    boolean send(PeerId peer, RPC rpc);

    /** Closes this node's pubsub streams with {@code peer} (the connection stays), naming why in the log. */
    void dropPeer(PeerId peer, String reason);

    /**
     * The signed peer record (RFC 0002 envelope, as received) this node holds for {@code peer}, for
     * the router to pass on in PRUNE peer exchange; empty if none is known (the default). Called on
     * the router thread: must answer from memory.
     */
    default Optional<byte[]> signedPeerRecord(PeerId peer) {
        return Optional.empty();
    }
}

package io.hivemesh.pubsub.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.pubsub.internal.pb.RpcProto.RPC;

/**
 * What {@link HostGossipNetwork} reports upwards (to the router, through {@link PubSubService}). Every
 * method is called on the router executor, so implementations call the router directly; they must
 * not block.
 */
interface GossipInbound {

    /**
     * The first pubsub stream with {@code peer} is up.
     *
     * @param protocol the negotiated protocol id of that stream
     * @param ip       the remote IP address of the peer's connection (null if unknown)
     * @param outbound whether this node dialed that connection (counts towards D_out)
     */
    void peerUp(PeerId peer, String protocol, String ip, boolean outbound);

    /** The last pubsub stream with {@code peer} is gone (or the peer disconnected). */
    void peerDown(PeerId peer);

    /** One decoded RPC from {@code from}; the network reads the next one only after this returns. */
    void rpc(PeerId from, RPC rpc);

    /** {@code from} sent a frame that is not a valid RPC (or over the frame limit); its stream was reset. */
    void malformed(PeerId from, String reason);
}

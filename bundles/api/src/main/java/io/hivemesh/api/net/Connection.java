package io.hivemesh.api.net;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** One secured, multiplexed connection to a peer. Thread-safe. */
public interface Connection {

    /** The authenticated remote peer. */
    PeerId remotePeer();

    /** The remote's transport address as seen by this node. */
    Multiaddr remoteAddress();

    /** This node's local address of the connection. */
    Multiaddr localAddress();

    /** Whether this node dialed the connection. */
    boolean isOutbound();

    /** Opens a stream on this connection, negotiating the first protocol the remote supports. */
    CompletableFuture<Stream> newStream(List<String> protocols);

    /**
     * The streams open on this connection now, both directions, including ones still negotiating
     * their protocol (the connection manager never trims a connection with a transfer in progress).
     * An implementation that does not count streams returns 0.
     */
    default int openStreams() {
        return 0;
    }

    /**
     * The streams open on this connection now by negotiated protocol ({@code ""} for streams still
     * negotiating), so that a caller can tell long-lived streams (gossip) from transfers. An
     * implementation that does not count streams returns an empty map.
     */
    default Map<String, Integer> openStreamsByProtocol() {
        return Map.of();
    }

    /** Whether the connection is still open. */
    boolean isOpen();

    /** Closes the connection and resets its streams; completes once closed. */
    CompletableFuture<Void> close();
}

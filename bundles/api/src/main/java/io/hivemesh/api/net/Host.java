package io.hivemesh.api.net;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * This node's libp2p host: listens, dials, secures and multiplexes connections and serves the
 * {@link ProtocolHandler} whiteboard. Every network operation is asynchronous and bounded by a
 * configured timeout; failures complete the future exceptionally with a {@code HivemeshException}
 * that names the peer or address and the reason. Thread-safe.
 */
public interface Host {

    /** This node's PeerId. */
    PeerId peerId();

    /** The addresses this host listens on, resolved (no port 0), without {@code /p2p/}. */
    List<Multiaddr> listenAddresses();

    /** The protocol ids currently served (the whiteboard's live view). */
    Set<String> protocols();

    /**
     * Dials {@code address} (optionally ending in {@code /p2p/<id>}, which must then match the
     * remote identity) and completes with the secured, multiplexed connection.
     */
    CompletableFuture<Connection> connect(Multiaddr address);

    /**
     * Opens a raw byte stream to {@code peer}, reusing a connection or dialing its known addresses
     * from the {@link PeerStore}, and negotiates the first of {@code protocols} the remote supports.
     * For byte-stream protocols (ping, perf); message protocols use {@link #newMessageStream}.
     */
    CompletableFuture<Stream> newStream(PeerId peer, List<String> protocols);

    /**
     * Opens a {@link MessageStream} to {@code peer} for the first of {@code protocols} the remote
     * supports, with that protocol's limits (from its local handler registration, else the
     * defaults, capped by the operator's configuration). Fails with {@link ResourceLimitException}
     * if this node already has {@code outboundStreamsPerPeer} streams of it open to the peer.
     */
    CompletableFuture<MessageStream> newMessageStream(PeerId peer, List<String> protocols);

    /** {@link #newMessageStream(PeerId, List)} with explicit limits (capped by the configuration). */
    CompletableFuture<MessageStream> newMessageStream(PeerId peer, List<String> protocols, ProtocolLimits limits);

    /** The open connections, all peers. */
    List<Connection> connections();

    /** Measures one round trip with {@code /ipfs/ping/1.0.0}. */
    CompletableFuture<Duration> ping(PeerId peer);

    /**
     * Runs one libp2p perf exchange ({@code /perf/1.0.0}, libp2p/specs perf/perf.md) with {@code peer}
     * on a new stream: uploads {@code upload} bytes, then downloads {@code download} bytes. The peer
     * must serve perf (a switch of its transport configuration, off by default); if it does not, the
     * future fails with a {@code HivemeshException} saying so.
     */
    CompletableFuture<PerfResult> perf(PeerId peer, long upload, long download);

    /** Key of {@link #info()}: the Noise cipher in use, e.g. {@code ChaCha20-Poly1305: Conscrypt 2.5.2, BoringSSL (native)}. */
    String INFO_CIPHER = "cipher";

    /**
     * Facts about this host for operators ({@code mesh:id} shows them): keys such as
     * {@link #INFO_CIPHER}, values human-readable.
     */
    Map<String, String> info();

    /**
     * The bytes this host has received and sent since it started (a read-only counter for metrics);
     * empty when the implementation does not count them.
     *
     * @since 0.6
     */
    default Optional<Traffic> traffic() {
        return Optional.empty();
    }

    /** Closes every connection to {@code peer}. */
    CompletableFuture<Void> disconnect(PeerId peer);

    /** What this node knows about other peers. */
    PeerStore peerStore();
}

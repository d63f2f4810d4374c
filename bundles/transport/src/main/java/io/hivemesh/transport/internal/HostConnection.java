package io.hivemesh.transport.internal;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.ScopeUsage;
import io.hivemesh.api.net.Stream;
import io.hivemesh.api.peer.PeerId;
import io.netty.channel.Channel;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/** A secured yamux connection of a {@link Libp2pHost}, with its resource scope. Thread-safe. */
final class HostConnection implements Connection {
    private final Channel channel;
    final YamuxSession session;
    final ResourceScopes.ConnectionScope scope;
    private final PeerId remote;
    private final Multiaddr remoteAddress;
    private final Multiaddr localAddress;
    private final boolean outbound;

    HostConnection(Channel channel, YamuxSession session, ResourceScopes.ConnectionScope scope, PeerId remote,
            Multiaddr remoteAddress, Multiaddr localAddress, boolean outbound) {
        this.channel = channel;
        this.session = session;
        this.scope = scope;
        this.remote = remote;
        this.remoteAddress = remoteAddress;
        this.localAddress = localAddress;
        this.outbound = outbound;
    }

    @Override
    public PeerId remotePeer() {
        return remote;
    }

    @Override
    public Multiaddr remoteAddress() {
        return remoteAddress;
    }

    @Override
    public Multiaddr localAddress() {
        return localAddress;
    }

    @Override
    public boolean isOutbound() {
        return outbound;
    }

    @Override
    public CompletableFuture<Stream> newStream(List<String> protocols) {
        return openRaw(protocols).thenApply(s -> (Stream) s);
    }

    /** Opens a yamux stream and negotiates one of {@code protocols} (within the negotiation deadline). */
    CompletableFuture<YamuxStream> openRaw(List<String> protocols) {
        return session.openStream().thenCompose(s -> StreamNegotiation.run(s, new Multistream.Initiator(protocols))
                .thenApply(p -> s));
    }

    /** Counted by the connection's resource scope (thread-safe; the yamux stream map is the event loop's). */
    @Override
    public int openStreams() {
        ScopeUsage u = scope.usage();
        return u.inboundStreams() + u.outboundStreams();
    }

    @Override
    public Map<String, Integer> openStreamsByProtocol() {
        return scope.streamsByProtocol();
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public CompletableFuture<Void> close() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        session.goAway(YamuxFrame.GO_AWAY_NORMAL);
        session.execute(() -> channel.close().addListener(x -> f.complete(null)));
        return f;
    }

    Channel channel() {
        return channel;
    }

    @Override
    public String toString() {
        return (outbound ? "outbound" : "inbound") + " connection to " + remote + " at " + remoteAddress;
    }
}

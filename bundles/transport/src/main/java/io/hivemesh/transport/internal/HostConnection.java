package io.hivemesh.transport.internal;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.Stream;
import io.hivemesh.api.peer.PeerId;
import io.netty.channel.Channel;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** A secured yamux connection of a {@link Libp2pHost}. Thread-safe. */
final class HostConnection implements Connection {
    private final Channel channel;
    final YamuxSession session;
    private final PeerId remote;
    private final Multiaddr remoteAddress;
    private final Multiaddr localAddress;
    private final boolean outbound;

    HostConnection(Channel channel, YamuxSession session, PeerId remote, Multiaddr remoteAddress,
            Multiaddr localAddress, boolean outbound) {
        this.channel = channel;
        this.session = session;
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
        return session.openStream().thenCompose(s -> StreamNegotiation.run(s, new Multistream.Initiator(protocols))
                .thenApply(p -> (Stream) s));
    }

    @Override
    public boolean isOpen() {
        return channel.isActive();
    }

    @Override
    public CompletableFuture<Void> close() {
        CompletableFuture<Void> f = new CompletableFuture<>();
        session.goAway(YamuxFrame.GO_AWAY_NORMAL);
        channel.close().addListener(x -> f.complete(null));
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

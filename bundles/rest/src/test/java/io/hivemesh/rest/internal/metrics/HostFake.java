package io.hivemesh.rest.internal.metrics;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.net.MessageStream;
import io.hivemesh.api.net.PeerStore;
import io.hivemesh.api.net.PerfResult;
import io.hivemesh.api.net.ProtocolLimits;
import io.hivemesh.api.net.Stream;
import io.hivemesh.api.net.Traffic;
import io.hivemesh.api.peer.PeerId;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/** A Host that only reports the connections and traffic a test gives it. */
final class HostFake implements Host {
    final List<Connection> connections = new ArrayList<>();
    volatile Optional<Traffic> traffic = Optional.empty();

    void connection(boolean outbound) {
        connections.add(new ConnectionFake(outbound));
    }

    @Override
    public Optional<Traffic> traffic() {
        return traffic;
    }

    @Override
    public List<Connection> connections() {
        return List.copyOf(connections);
    }

    @Override
    public PeerId peerId() {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<Multiaddr> listenAddresses() {
        return List.of();
    }

    @Override
    public Set<String> protocols() {
        return Set.of();
    }

    @Override
    public CompletableFuture<Connection> connect(Multiaddr address) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Stream> newStream(PeerId peer, List<String> protocols) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<MessageStream> newMessageStream(PeerId peer, List<String> protocols) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<MessageStream> newMessageStream(PeerId peer, List<String> protocols, ProtocolLimits limits) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<Duration> ping(PeerId peer) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<PerfResult> perf(PeerId peer, long upload, long download) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Map<String, String> info() {
        return Map.of();
    }

    @Override
    public CompletableFuture<Void> disconnect(PeerId peer) {
        throw new UnsupportedOperationException();
    }

    @Override
    public PeerStore peerStore() {
        throw new UnsupportedOperationException();
    }

    private record ConnectionFake(boolean isOutbound) implements Connection {
        @Override
        public PeerId remotePeer() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Multiaddr remoteAddress() {
            throw new UnsupportedOperationException();
        }

        @Override
        public Multiaddr localAddress() {
            throw new UnsupportedOperationException();
        }

        @Override
        public CompletableFuture<Stream> newStream(List<String> protocols) {
            throw new UnsupportedOperationException();
        }

        @Override
        public boolean isOpen() {
            return true;
        }

        @Override
        public CompletableFuture<Void> close() {
            return CompletableFuture.completedFuture(null);
        }
    }
}

package io.hivemesh.pubsub.internal;

import io.hivemesh.api.discovery.BootstrapResult;
import io.hivemesh.api.discovery.DiscoveredPeer;
import io.hivemesh.api.discovery.Discovery;
import io.hivemesh.api.discovery.DiscoverySource;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A {@link Discovery} for tests about what pubsub reports to it: it only records {@link #report}
 * calls (no dialing, no list of peers, bootstrap does nothing). Thread-safe.
 */
final class RecordingDiscoveryForTests implements Discovery {
    record Report(PeerId peer, List<Multiaddr> addresses, DiscoverySource source) {
    }

    final List<Report> reports = new CopyOnWriteArrayList<>();

    @Override
    public List<DiscoveredPeer> peers() {
        return List.of();
    }

    @Override
    public CompletableFuture<BootstrapResult> bootstrap() {
        return CompletableFuture.failedFuture(new UnsupportedOperationException("recording only"));
    }

    @Override
    public void report(PeerId peer, Collection<Multiaddr> addresses, DiscoverySource source) {
        reports.add(new Report(peer, List.copyOf(addresses), source));
    }
}

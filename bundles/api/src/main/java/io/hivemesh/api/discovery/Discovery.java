package io.hivemesh.api.discovery;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** Finds peers and keeps the node connected to enough of them. Thread-safe. */
public interface Discovery {

    /** Every peer found so far (bounded; the oldest unconnected are forgotten first). */
    List<DiscoveredPeer> peers();

    /** Dials every configured bootstrap address now (resolving {@code /dnsaddr/}); completes when all tried. */
    CompletableFuture<BootstrapResult> bootstrap();

    /** Reports peers found by another subsystem (e.g. gossipsub peer exchange). */
    void report(PeerId peer, Collection<Multiaddr> addresses, DiscoverySource source);
}

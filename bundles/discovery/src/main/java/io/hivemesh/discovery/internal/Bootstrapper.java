package io.hivemesh.discovery.internal;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.discovery.BootstrapResult;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.peer.PeerId;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/**
 * One bootstrap round: resolves each configured address ({@code /dnsaddr/} through the
 * {@link DnsaddrResolver}, blocking, on the given executor), dials every resulting address at once
 * (at most {@link #MAX_DIALS} per round; an address naming a peer already connected is not dialed
 * again) and reports each as connected ({@code <peer> at <address>})
 * or failed ({@code <address>: <error>}). The round completes when every dial ended; the host bounds
 * each dial, and the whole round is bounded by {@link #ROUND_TIMEOUT_S}.
 */
public final class Bootstrapper {
    static final int MAX_DIALS = 64;
    static final long ROUND_TIMEOUT_S = 120;
    private final Host host;
    private volatile DnsaddrResolver resolver;
    private final Executor executor;

    public Bootstrapper(Host host, DnsaddrResolver resolver, Executor executor) {
        this.host = host;
        this.resolver = resolver;
        this.executor = executor;
    }

    /** Replaces the resolver (a new DNS server or bounds); rounds already running keep theirs. */
    public void configure(DnsaddrResolver r) {
        this.resolver = r;
    }

    /** Runs one round; {@code onConnected} hears each peer connected and the address used. */
    public CompletableFuture<BootstrapResult> bootstrap(List<Multiaddr> addresses, BiConsumer<PeerId, Multiaddr> onConnected) {
        List<String> connected = Collections.synchronizedList(new ArrayList<>());
        List<String> failed = Collections.synchronizedList(new ArrayList<>());
        DnsaddrResolver resolver = this.resolver;
        return CompletableFuture.supplyAsync(() -> {
            List<Multiaddr> targets = new ArrayList<>();
            for (Multiaddr a : addresses) {
                try {
                    for (Multiaddr r : resolver.resolve(a)) {
                        if (targets.size() < MAX_DIALS && !targets.contains(r)) {
                            targets.add(r);
                        }
                    }
                } catch (HivemeshException e) {
                    failed.add(a + ": " + e.getMessage());
                }
            }
            return targets;
        }, executor).thenCompose(targets -> CompletableFuture.allOf(targets.stream().map(t -> dial(t, connected, failed, onConnected))
                .toArray(CompletableFuture[]::new)))
                .orTimeout(ROUND_TIMEOUT_S, TimeUnit.SECONDS)
                .handle((v, e) -> {
                    if (e != null) {
                        failed.add("bootstrap round: " + cause(e));
                    }
                    synchronized (connected) {
                        synchronized (failed) {
                            return new BootstrapResult(connected, failed);
                        }
                    }
                });
    }

    private CompletableFuture<Void> dial(Multiaddr target, List<String> connected, List<String> failed,
            BiConsumer<PeerId, Multiaddr> onConnected) {
        CompletableFuture<Connection> f;
        try {
            PeerId named = target.peerIdHash().map(PeerId::fromMultihash).orElse(null);
            Connection existing = named == null ? null : host.connections().stream()
                    .filter(c -> c.remotePeer().equals(named) && c.isOpen()).findFirst().orElse(null);
            // a peer already connected is not dialed again (the host would open a second connection)
            f = existing != null ? CompletableFuture.completedFuture(existing) : host.connect(target);
        } catch (RuntimeException e) {
            f = CompletableFuture.failedFuture(e);
        }
        return f.handle((c, e) -> {
            if (e != null) {
                failed.add(target + ": " + cause(e));
            } else {
                connected.add(c.remotePeer() + " at " + target);
                onConnected.accept(c.remotePeer(), target.withoutPeerId());
            }
            return null;
        });
    }

    static String cause(Throwable e) {
        Throwable t = e;
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t.getMessage() != null ? t.getMessage() : t.toString();
    }
}

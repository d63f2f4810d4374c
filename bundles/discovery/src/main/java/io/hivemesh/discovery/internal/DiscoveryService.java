package io.hivemesh.discovery.internal;

import io.hivemesh.api.discovery.BootstrapResult;
import io.hivemesh.api.discovery.DiscoveredPeer;
import io.hivemesh.api.discovery.Discovery;
import io.hivemesh.api.discovery.DiscoverySource;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.AddressSource;
import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.PeerRouting;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import io.hivemesh.api.net.ConnectionEvent;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link Discovery} service without OSGi: records every reported peer in the bounded
 * {@link DiscoveredPeers} and the host's peer store ({@link AddressSource#THIRD_PARTY}), dials new
 * peers while the node has fewer than the connection manager's low water mark of peers (a PX or DHT
 * peer known without any address is first looked up through the optional {@link PeerRouting}:
 * {@link PeerLookups}, bounded in number and time), and on each
 * {@link #tick()} (periodic, and after a disconnect) re-bootstraps below low water (at most once per
 * bootstrap interval), dials known unconnected peers to fill up to low water, and trims above high
 * water. Thread-safe.
 */
public final class DiscoveryService implements Discovery {
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryService.class);
    /** Addresses taken from one report at most. */
    static final int MAX_REPORTED_ADDRESSES = 16;

    /** The bootstrap list and how often a node below low water may re-run it. */
    public record Settings(List<Multiaddr> bootstrap, Duration bootstrapInterval) {
        public Settings {
            bootstrap = List.copyOf(bootstrap);
        }
    }

    private final Host host;
    private final DiscoveredPeers peers;
    private final ConnectionTrimmer trimmer;
    private final Bootstrapper bootstrapper;
    private final PeerDialer dialer;
    private final PeerLookups lookups;
    private final Clock clock;
    private final LongSupplier nanos;
    private final Executor upkeep;
    private volatile Settings settings;
    private long lastBootstrap;
    private boolean bootstrapped;

    /** Without peer routing: peers reported without addresses are listed, never looked up. */
    public DiscoveryService(Host host, DiscoveredPeers peers, ConnectionTrimmer trimmer, Bootstrapper bootstrapper,
            Settings settings, Clock clock, LongSupplier nanos, Executor upkeep) {
        this(host, peers, trimmer, bootstrapper, settings, clock, nanos, upkeep, () -> null);
    }

    /**
     * @param routing the DHT's peer routing, or null while none is bound: finds addresses of PX and
     *     DHT peers reported without any
     */
    public DiscoveryService(Host host, DiscoveredPeers peers, ConnectionTrimmer trimmer, Bootstrapper bootstrapper,
            Settings settings, Clock clock, LongSupplier nanos, Executor upkeep, Supplier<PeerRouting> routing) {
        this.lookups = new PeerLookups(routing, nanos, PeerLookups.DEFAULT_DEADLINE);
        this.upkeep = upkeep;
        this.host = host;
        this.peers = peers;
        this.trimmer = trimmer;
        this.bootstrapper = bootstrapper;
        this.settings = settings;
        this.clock = clock;
        this.nanos = nanos;
        this.dialer = new PeerDialer(host, nanos);
    }

    public void configure(Settings s) {
        this.settings = s;
        synchronized (this) {
            bootstrapped = false;
        }
    }

    public ConnectionTrimmer trimmer() {
        return trimmer;
    }

    private Set<PeerId> connectedSet() {
        return host.connections().stream().map(Connection::remotePeer).collect(Collectors.toSet());
    }

    @Override
    public List<DiscoveredPeer> peers() {
        Set<PeerId> connected = connectedSet();
        return peers.snapshot(connected::contains);
    }

    @Override
    public CompletableFuture<BootstrapResult> bootstrap() {
        synchronized (this) {
            lastBootstrap = nanos.getAsLong();
            bootstrapped = true;
        }
        return bootstrapper.bootstrap(settings.bootstrap(), (p, a) -> {
            dialer.reset(p);
            record(p, List.of(a), DiscoverySource.BOOTSTRAP);
        }).whenComplete((r, e) -> {
            if (r != null) {
                LOG.info("discovery bootstrap: {} connected, {} failed{}", r.connected().size(), r.failed().size(),
                        r.failed().isEmpty() ? "" : ": " + String.join("; ", r.failed()));
            }
        });
    }

    @Override
    public void report(PeerId peer, Collection<Multiaddr> addresses, DiscoverySource source) {
        if (peer.equals(host.peerId())) {
            return;
        }
        List<Multiaddr> addrs = new ArrayList<>();
        for (Multiaddr a : addresses) {
            if (addrs.size() >= MAX_REPORTED_ADDRESSES) {
                break;
            }
            Multiaddr bare = a.withoutPeerId();
            if (!bare.isEmpty() && !addrs.contains(bare)) {
                addrs.add(bare);
            }
        }
        if (source != DiscoverySource.CONNECTION && !addrs.isEmpty()) {
            host.peerStore().addAddresses(peer, addrs, AddressSource.THIRD_PARTY);
        }
        Set<PeerId> connected = connectedSet();
        boolean fresh = record(peer, addrs, source);
        if (fresh) {
            LOG.debug("discovery: found {} by {} at {}", peer, source, addrs);
        }
        if (!connected.contains(peer) && connected.size() < trimmer.limits().lowWater() && source != DiscoverySource.CONNECTION) {
            List<Multiaddr> known = knownAddresses(peer, addrs);
            if (!known.isEmpty()) {
                dialer.dial(peer, known);
            } else if (lookedUp(source)) {
                lookUpAndDial(peer, source);
            }
        }
    }

    /** Whether peers found by {@code source} without addresses are looked up (PX, DHT). */
    private static boolean lookedUp(DiscoverySource source) {
        return source == DiscoverySource.PEER_EXCHANGE || source == DiscoverySource.DHT_WALK;
    }

    /** Public view of the lookups (counters for tests and operators). */
    public PeerLookups lookups() {
        return lookups;
    }

    /**
     * Looks {@code peer} up (if {@link PeerLookups} allows and its dial backoff is over) and, on the
     * upkeep executor, records what was found and dials it while still below low water. Returns
     * whether a lookup started.
     */
    private boolean lookUpAndDial(PeerId peer, DiscoverySource source) {
        if (!dialer.mayDial(peer)) {
            return false;
        }
        return lookups.lookUp(peer).map(f -> f.thenAccept(found -> {
            if (found.isEmpty()) {
                LOG.debug("discovery: no addresses found for {} ({})", peer, source);
                return;
            }
            try {
                upkeep.execute(() -> {
                    LOG.debug("discovery: looked up {} ({}): {}", peer, source, found);
                    report(peer, found, source);
                });
            } catch (RejectedExecutionException stopping) {
                LOG.debug("discovery is stopping: {} not dialed", peer);
            }
        })).isPresent();
    }

    private boolean record(PeerId peer, List<Multiaddr> addrs, DiscoverySource source) {
        Set<PeerId> connected = connectedSet();
        return peers.report(peer, addrs, source, clock.instant(), p -> connected.contains(p) || p.equals(peer));
    }

    private List<Multiaddr> knownAddresses(PeerId peer, List<Multiaddr> reported) {
        List<Multiaddr> out = new ArrayList<>(reported);
        for (Multiaddr a : host.peerStore().addresses(peer)) {
            if (!out.contains(a)) {
                out.add(a);
            }
        }
        return out;
    }

    /**
     * Follows the host's connection events: a new connection starts its grace period and is listed
     * (source {@link DiscoverySource#CONNECTION} unless found otherwise before); after a disconnect the
     * peer's tags go and an upkeep {@link #tick()} runs on the upkeep executor (redialing below low water).
     */
    public void onEvent(ConnectionEvent e) {
        if (e instanceof ConnectionEvent.Connected c) {
            trimmer.connected(c.connection());
            report(c.peer(), List.of(c.connection().remoteAddress()), DiscoverySource.CONNECTION);
        } else if (e instanceof ConnectionEvent.Disconnected d) {
            trimmer.disconnected(d.peer());
            try {
                upkeep.execute(() -> {
                    try {
                        tick();
                    } catch (RuntimeException x) {
                        LOG.warn("discovery upkeep failed: {}", x.toString());
                    }
                });
            } catch (RejectedExecutionException stopping) {
                LOG.debug("discovery is stopping: no upkeep after {} disconnected", d.peer());
            }
        }
    }

    /**
     * Upkeep: below low water, bootstraps (the first time at once, then at most once per interval)
     * and dials known unconnected peers, newest reports first, to fill the gap; above high water,
     * trims. Returns the number of dials started.
     */
    public int tick() {
        Settings s = settings;
        Set<PeerId> connected = connectedSet();
        int low = trimmer.limits().lowWater();
        int started = 0;
        if (connected.size() < low) {
            boolean due;
            synchronized (this) {
                due = !s.bootstrap().isEmpty() && (!bootstrapped || nanos.getAsLong() - lastBootstrap >= s.bootstrapInterval().toNanos());
            }
            if (due) {
                bootstrap();
            }
            for (PeerId p : peers.byRecency()) {
                if (connected.size() + started >= low) {
                    break;
                }
                if (!connected.contains(p) && !p.equals(host.peerId()) && dialer.mayDial(p)) {
                    List<Multiaddr> addrs = host.peerStore().addresses(p);
                    if (!addrs.isEmpty()) {
                        dialer.dial(p, addrs);
                        started++;
                    } else if (peers.source(p).filter(DiscoveryService::lookedUp).map(src -> lookUpAndDial(p, src))
                            .orElse(false)) {
                        started++;
                    }
                }
            }
        } else if (connected.size() > trimmer.limits().highWater()) {
            trimmer.trim();
        }
        return started;
    }
}

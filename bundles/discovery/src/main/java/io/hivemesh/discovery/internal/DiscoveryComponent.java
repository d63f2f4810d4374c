package io.hivemesh.discovery.internal;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.discovery.BootstrapResult;
import io.hivemesh.api.discovery.ConnectionManager;
import io.hivemesh.api.discovery.DiscoveredPeer;
import io.hivemesh.api.discovery.Discovery;
import io.hivemesh.api.discovery.DiscoverySource;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.ConnectionEvents;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.PeerRouting;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DS shell of discovery (config PID {@code io.hivemesh.discovery}): wires a {@link DiscoveryService}
 * (bootstrap through {@link Bootstrapper} and {@link DnsaddrResolver}, the dialer), a
 * {@link ConnectionTrimmer}, an optional {@link MdnsService} and a {@link RandomWalk} over the
 * optional {@link PeerRouting}, on one scheduler thread ({@code hivemesh-discovery}); provides
 * {@link Discovery} and {@link ConnectionManager}. Every setting applies live: water marks and grace
 * at the next trim, the bootstrap list and DNS settings at the next round, mDNS is restarted, the
 * walk rescheduled.
 */
@Component(service = {Discovery.class, ConnectionManager.class}, immediate = true, configurationPid = DiscoveryComponent.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DiscoveryComponent.Config.class)
public final class DiscoveryComponent implements Discovery, ConnectionManager {
    public static final String PID = "io.hivemesh.discovery";
    private static final Logger LOG = LoggerFactory.getLogger(DiscoveryComponent.class);

    @ObjectClassDefinition(name = "Hivemesh discovery",
            description = "Bootstrap peers (with /dnsaddr/), mDNS, DHT random walk, and the connection manager's water marks.")
    public @interface Config {
        @AttributeDefinition(name = "Bootstrap", description = "Comma-separated multiaddrs (/dnsaddr/ allowed), dialed at start and below low water.")
        String bootstrap() default "";

        @AttributeDefinition(name = "Bootstrap interval (s)", description = "Below low water, bootstrap again at most this often.")
        long bootstrap__interval__s() default 60;

        @AttributeDefinition(name = "DNS server", description = "host[:port] for /dnsaddr/ TXT lookups; empty: the first nameserver of /etc/resolv.conf.")
        String dns__server() default "";

        @AttributeDefinition(name = "DNS timeout (ms)", description = "One DNS try (two are made).")
        int dns__timeout__ms() default 5000;

        @AttributeDefinition(name = "dnsaddr depth", description = "Nested /dnsaddr/ levels followed at most.")
        int dnsaddr__max__depth() default 4;

        @AttributeDefinition(name = "dnsaddr results", description = "Addresses one /dnsaddr/ yields at most.")
        int dnsaddr__max__results() default 32;

        @AttributeDefinition(name = "Low water", description = "Below this many connected peers, discovery dials; trimming stops here.")
        int low__water() default 32;

        @AttributeDefinition(name = "High water", description = "Above this many connected peers, the least valuable are disconnected down to low water.")
        int high__water() default 96;

        @AttributeDefinition(name = "Grace period (s)", description = "A connection younger than this is never trimmed.")
        long grace__period__s() default 30;

        @AttributeDefinition(name = "Long-lived protocols",
                description = "Comma-separated protocols whose open streams do not count as a transfer in progress (gossip keeps one per peer).")
        String long__lived__protocols() default "/meshsub/1.2.0,/meshsub/1.1.0,/meshsub/1.0.0,/floodsub/1.0.0";

        @AttributeDefinition(name = "mDNS", description = "Multicast DNS discovery on the local network (_p2p._udp.local).")
        boolean mdns() default false;

        @AttributeDefinition(name = "mDNS query interval (s)")
        long mdns__interval__s() default 10;

        @AttributeDefinition(name = "mDNS interface", description = "Only this interface; empty: every up IPv4 interface.")
        String mdns__interface() default "";

        @AttributeDefinition(name = "Random walk interval (s)", description = "DHT random walk period; 0: off.")
        long random__walk__interval__s() default 300;

        @AttributeDefinition(name = "Max discovered peers", description = "Bound of the discovered-peer list.")
        int max__discovered() default 1024;

        @AttributeDefinition(name = "Tick (s)", description = "How often the low and high water marks are checked.")
        long tick__s() default 10;

        @AttributeDefinition(name = "DHT protocol", description = "Peers announcing it are worth dht_peer_value more when trimming.")
        String dht__protocol() default "/ipfs/kad/1.0.0";

        @AttributeDefinition(name = "DHT peer value")
        int dht__peer__value() default 10;
    }

    private final Host host;
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hivemesh-discovery");
        t.setDaemon(true);
        return t;
    });
    private final AtomicReference<PeerRouting> routing = new AtomicReference<>();
    private final ConnectionTrimmer trimmer;
    private final Bootstrapper bootstrapper;
    private final DiscoveryService service;
    private final RandomWalk walk;
    private final ConnectionEvents.Subscription subscription;
    private volatile Config config;
    private MdnsService mdns;
    private ScheduledFuture<?> tick;
    private ScheduledFuture<?> walking;

    @Activate
    public DiscoveryComponent(Config config, @Reference Host host, @Reference ConnectionEvents events) {
        this.host = host;
        this.config = config;
        this.trimmer = new ConnectionTrimmer(host, limits(config), System::nanoTime,
                p -> host.peerStore().protocols(p).contains(this.config.dht__protocol()) ? this.config.dht__peer__value() : 0);
        this.bootstrapper = new Bootstrapper(host, resolver(config), timer);
        this.service = new DiscoveryService(host, new DiscoveredPeers(config.max__discovered()), trimmer, bootstrapper,
                settings(config), Clock.systemUTC(), System::nanoTime, timer, routing::get);
        this.walk = new RandomWalk(routing::get, service::report, new SecureRandom());
        this.subscription = events.subscribe(service::onEvent);
        apply(config);
    }

    static ConnectionTrimmer.Limits limits(Config c) {
        return new ConnectionTrimmer.Limits(c.low__water(), c.high__water(), Duration.ofSeconds(c.grace__period__s()),
                java.util.Arrays.stream(c.long__lived__protocols().split(",")).map(String::trim).filter(p -> !p.isEmpty())
                        .collect(java.util.stream.Collectors.toSet()));
    }

    static DiscoveryService.Settings settings(Config c) {
        return new DiscoveryService.Settings(bootstrapList(c.bootstrap()), Duration.ofSeconds(c.bootstrap__interval__s()));
    }

    /** The bootstrap multiaddrs; a bad one is named. */
    static List<Multiaddr> bootstrapList(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).map(s -> {
            try {
                return Multiaddr.parse(s);
            } catch (HivemeshException e) {
                throw new HivemeshException(PID + " bootstrap: invalid multiaddr '" + s + "': " + e.getMessage(), e);
            }
        }).toList();
    }

    /** The resolver; a missing DNS server only fails /dnsaddr/ lookups, not the component. */
    static DnsaddrResolver resolver(Config c) {
        Duration timeout = Duration.ofMillis(c.dns__timeout__ms());
        return new DnsaddrResolver(name -> new DnsClient(DnsClient.server(c.dns__server()), timeout).txt(name),
                c.dnsaddr__max__depth(), c.dnsaddr__max__results());
    }

    private void tick() {
        try {
            service.tick();
        } catch (RuntimeException e) {
            LOG.warn("discovery upkeep failed: {}", e.toString());
        }
    }

    private synchronized void apply(Config c) {
        Config old = config;
        config = c;
        trimmer.configure(limits(c));
        bootstrapper.configure(resolver(c));
        service.configure(settings(c));
        if (tick != null) {
            tick.cancel(false);
        }
        tick = timer.scheduleWithFixedDelay(this::tick, 0, Math.max(1, c.tick__s()), TimeUnit.SECONDS);
        if (walking != null) {
            walking.cancel(false);
            walking = null;
        }
        if (c.random__walk__interval__s() > 0) {
            walking = timer.scheduleWithFixedDelay(() -> walk.walk().whenComplete((n, e) -> {
                if (e != null) {
                    LOG.debug("DHT random walk failed: {}", e.toString());
                } else if (n > 0) {
                    LOG.debug("DHT random walk found {} peers", n);
                }
            }), Math.min(30, c.random__walk__interval__s()), c.random__walk__interval__s(), TimeUnit.SECONDS);
        }
        boolean mdnsChanged = mdns == null || old != c && (old.mdns() != c.mdns() || old.mdns__interval__s() != c.mdns__interval__s()
                || !old.mdns__interface().equals(c.mdns__interface()));
        if (mdnsChanged || !c.mdns()) {
            stopMdns();
        }
        if (c.mdns() && mdns == null) {
            try {
                mdns = new MdnsService(host.peerId(), host::listenAddresses,
                        a -> service.report(a.peer(), a.addresses(), DiscoverySource.MDNS),
                        new MdnsService.Settings(Duration.ofSeconds(Math.max(1, c.mdns__interval__s())), c.mdns__interface())).start();
            } catch (HivemeshException e) {
                LOG.warn("mDNS is on but cannot start: {}", e.getMessage());
            }
        }
    }

    private synchronized void stopMdns() {
        if (mdns != null) {
            mdns.close();
            mdns = null;
        }
    }

    @Modified
    void modified(Config c) {
        apply(c);
        LOG.info("discovery reconfigured: low/high water {}/{}, grace {} s, mDNS {}, {} bootstrap addresses",
                c.low__water(), c.high__water(), c.grace__period__s(), c.mdns() ? "on" : "off", bootstrapList(c.bootstrap()).size());
    }

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindRouting(PeerRouting r) {
        routing.set(r);
    }

    void unbindRouting(PeerRouting r) {
        routing.compareAndSet(r, null);
    }

    @Deactivate
    void deactivate() {
        subscription.close();
        stopMdns();
        timer.shutdownNow();
    }

    @Override
    public List<DiscoveredPeer> peers() {
        return service.peers();
    }

    @Override
    public CompletableFuture<BootstrapResult> bootstrap() {
        return service.bootstrap();
    }

    @Override
    public void report(PeerId peer, Collection<Multiaddr> addresses, DiscoverySource source) {
        service.report(peer, addresses, source);
    }

    @Override
    public void protect(PeerId peer, String tag) {
        trimmer.protect(peer, tag);
    }

    @Override
    public boolean unprotect(PeerId peer, String tag) {
        return trimmer.unprotect(peer, tag);
    }

    @Override
    public boolean isProtected(PeerId peer) {
        return trimmer.isProtected(peer);
    }

    @Override
    public void tag(PeerId peer, String tag, int value) {
        trimmer.tag(peer, tag, value);
    }

    @Override
    public int trim() {
        return trimmer.trim();
    }
}

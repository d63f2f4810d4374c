package io.hivemesh.dht.internal;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.multiformats.Cid;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.multiformats.MultiaddrProtocol;
import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.net.ConnectionEvent;
import io.hivemesh.api.net.ConnectionEvents;
import io.hivemesh.api.net.ProtocolHandler;
import io.hivemesh.api.net.RequestHandler;
import io.hivemesh.api.net.RequestResponse;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.ContentRouting;
import io.hivemesh.api.routing.PeerInfo;
import io.hivemesh.api.routing.PeerRouting;
import io.hivemesh.api.routing.RecordValidator;
import io.hivemesh.api.routing.RoutingTableInfo;
import io.hivemesh.api.routing.ValueStore;
import java.io.File;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
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
import org.osgi.service.metatype.annotations.Option;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * DS shell of the DHT: builds a {@link KadNode} over the {@link Host}, keeps its stores under
 * {@code ${karaf.data}/hivemesh/dht/}, serves the protocol in server mode (a {@link RequestHandler}
 * registered on the whiteboard, so the host announces it in Identify) and not in client mode, runs
 * bootstrap, table upkeep (admission of connected DHT servers), refresh, expiry and throttled
 * republishing and reproviding of what this node put and provides, and provides {@link ValueStore},
 * {@link ContentRouting} and {@link PeerRouting}. A change of {@code mode} or of the open namespaces
 * applies live; any other change rebuilds the node (stores reopen from disk, the table re-bootstraps).
 */
@Component(service = {ValueStore.class, ContentRouting.class, PeerRouting.class, RoutingTableInfo.class}, immediate = true,
        configurationPid = DhtComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = DhtComponent.Config.class)
public final class DhtComponent implements ValueStore, ContentRouting, PeerRouting, RoutingTableInfo {
    public static final String PID = "io.hivemesh.dht";
    private static final Logger LOG = LoggerFactory.getLogger(DhtComponent.class);
    /**
     * How long this node keeps a record it put itself (in {@code dht/published/}) for republishing:
     * until it is replaced by a newer put of the same key, in practice (a century).
     */
    static final Duration PUBLISHED_KEPT = Duration.ofDays(36_500);

    @ObjectClassDefinition(name = "Hivemesh Kademlia DHT",
            description = "Protocol, mode, bootstrap peers, limits and expiry of the node's Kademlia DHT.")
    public @interface Config {
        @AttributeDefinition(name = "Protocol id", description = "The Kademlia protocol id (js-libp2p and Kubo: /ipfs/kad/1.0.0).")
        String protocol() default "/ipfs/kad/1.0.0";

        @AttributeDefinition(name = "Mode", description = "server: serves and announces the protocol; client: queries only.",
                options = {@Option(label = "server", value = "server"), @Option(label = "client", value = "client")})
        String mode() default "server";

        @AttributeDefinition(name = "Bootstrap peers", description = "Comma-separated multiaddrs ending in /p2p/<peer id>.")
        String bootstrap() default "";

        @AttributeDefinition(name = "k", description = "Bucket size and replication factor.")
        int k() default 20;

        @AttributeDefinition(name = "Concurrency", description = "Requests in flight per lookup (alpha).")
        int concurrency() default 10;

        @AttributeDefinition(name = "Request timeout (ms)")
        int request__timeout__ms() default 10_000;

        @AttributeDefinition(name = "Query timeout (ms)", description = "Time limit of one whole lookup.")
        int query__timeout__ms() default 60_000;

        @AttributeDefinition(name = "Record TTL (s)", description = "Records expire this long after they were received.")
        long record__ttl__s() default 36 * 3600;

        @AttributeDefinition(name = "Provider TTL (s)", description = "Provider entries expire this long after they were received.")
        long provider__ttl__s() default 48 * 3600;

        @AttributeDefinition(name = "Republish interval (s)", description = "How often this node re-announces what it provides and puts again the records it put itself.")
        long republish__s() default 22 * 3600;

        @AttributeDefinition(name = "Refresh interval (s)", description = "Routing-table refresh period.")
        long refresh__s() default 300;

        @AttributeDefinition(name = "Open namespaces",
                description = "Comma-separated record namespaces that accept any value up to the size limit (newest wins).")
        String open__namespaces() default "mesh";

        @AttributeDefinition(name = "Max record value (bytes)")
        int max__record__bytes() default 65_536;

        @AttributeDefinition(name = "Max records")
        int max__records() default 16_384;

        @AttributeDefinition(name = "Max record store bytes",
                description = "Bound of the record store: key plus value bytes summed over the records (default 64 MiB).")
        long max__record__store__bytes() default DhtSettings.DEFAULT_MAX_RECORD_STORE_BYTES;

        @AttributeDefinition(name = "Max records per peer",
                description = "Records one remote peer may store on this node in open namespaces (counting all it stored).")
        int max__records__per__peer() default DhtSettings.DEFAULT_MAX_RECORDS_PER_PEER;

        @AttributeDefinition(name = "Max bytes per peer",
                description = "Record bytes (key plus value) one remote peer may store on this node in open namespaces (default 2 MiB).")
        long max__bytes__per__peer() default DhtSettings.DEFAULT_MAX_BYTES_PER_PEER;

        @AttributeDefinition(name = "Max provider keys")
        int max__provider__keys() default 16_384;

        @AttributeDefinition(name = "Max providers per key")
        int max__providers__per__key() default 64;

        @AttributeDefinition(name = "Requests per second per peer", description = "Inbound rate limit (burst: twice this).")
        int requests__per__second() default 50;
    }

    private final BundleContext context;
    private final Host host;
    private final Map<RecordValidator, String> whiteboard = new ConcurrentHashMap<>();
    private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "hivemesh-dht");
        t.setDaemon(true);
        return t;
    });
    private final Random random = new Random();
    private volatile Config config;
    private volatile KadNode node;
    private final QueryMeter queries = new QueryMeter(System::nanoTime);
    private volatile Validators validators;
    private ServiceRegistration<RequestHandler> handlerRegistration;
    private final RequestResponse requests;
    private final ConnectionEvents.Subscription subscription;

    @Activate
    public DhtComponent(BundleContext context, Config config, @Reference Host host, @Reference RequestResponse requests,
            @Reference ConnectionEvents events) {
        this.context = context;
        this.host = host;
        this.requests = requests;
        start(config);
        schedule();
        this.subscription = events.subscribe(this::onConnectionEvent);
    }

    /**
     * A peer identified (or pushed) with the DHT protocol is admitted at once: one FIND_NODE, no
     * lookup; peers the table refused recently are skipped by {@link KadNode#admit}.
     */
    private void onConnectionEvent(ConnectionEvent e) {
        KadNode n = node;
        Config c = config;
        if (n == null || c == null) {
            return;
        }
        boolean server = e instanceof ConnectionEvent.Identified id && id.protocols().contains(c.protocol())
                || e instanceof ConnectionEvent.ProtocolsChanged pc && pc.added().contains(c.protocol());
        if (server && !n.inTable(e.peer())) {
            n.admit(e.peer());
        }
    }

    private Path dataDir() {
        String karafData = context.getProperty("karaf.data");
        File base = karafData != null ? new File(karafData, "hivemesh") : context.getDataFile("");
        return base.toPath().resolve("dht");
    }

    static DhtSettings settings(Config c) {
        return new DhtSettings(c.k(), c.concurrency(), Duration.ofMillis(c.request__timeout__ms()),
                Duration.ofMillis(c.query__timeout__ms()), Duration.ofSeconds(c.record__ttl__s()),
                Duration.ofSeconds(c.provider__ttl__s()), Duration.ofSeconds(c.republish__s()), list(c.open__namespaces()),
                c.max__record__bytes(), c.max__records(), c.max__provider__keys(), c.max__providers__per__key(),
                c.requests__per__second(), c.max__record__store__bytes(), c.max__records__per__peer(), c.max__bytes__per__peer());
    }

    static List<String> list(String text) {
        return Arrays.stream(text.split(",")).map(String::trim).filter(s -> !s.isEmpty()).toList();
    }

    /** Parses {@code bootstrap}: multiaddrs that end in /p2p/<id>. */
    static List<PeerInfo> bootstrapPeers(String text) {
        List<PeerInfo> out = new ArrayList<>();
        for (String s : list(text)) {
            Multiaddr a;
            try {
                a = Multiaddr.parse(s);
            } catch (HivemeshException e) {
                throw new HivemeshException("io.hivemesh.dht bootstrap: invalid multiaddr '" + s + "': " + e.getMessage(), e);
            }
            List<Multiaddr.Component> cs = a.components();
            if (cs.isEmpty() || cs.get(cs.size() - 1).protocol() != MultiaddrProtocol.P2P) {
                throw new HivemeshException("io.hivemesh.dht bootstrap: '" + s + "' does not end in /p2p/<peer id>");
            }
            PeerId id = PeerId.parse(cs.get(cs.size() - 1).valueString());
            out.add(new PeerInfo(id, List.of(Multiaddr.of(cs.subList(0, cs.size() - 1)))));
        }
        return out;
    }

    private synchronized void start(Config c) {
        DhtSettings s = settings(c);
        List<PeerInfo> seeds = bootstrapPeers(c.bootstrap());
        if (!"server".equals(c.mode()) && !"client".equals(c.mode())) {
            throw new HivemeshException("io.hivemesh.dht mode must be server or client, not '" + c.mode() + "'");
        }
        Path dir = dataDir();
        Clock clock = Clock.systemUTC();
        TimeSource time = TimeSource.of(clock, System::nanoTime);
        Validators v = new Validators(s.openNamespaces(), s.maxRecordBytes());
        whiteboard.forEach((validator, ns) -> v.register(ns, validator));
        HostKadNetwork net = new HostKadNetwork(host, requests, c.protocol(), s.requestTimeout());
        this.validators = v;
        this.node = new KadNode(net, s, time,
                new RecordStore(dir.resolve("records"), clock, s.recordTtl(), s.maxRecords(), s.maxRecordStoreBytes()),
                new ProviderStore(dir.resolve("providers"), clock, s.providerTtl(), s.maxProviderKeys(), s.maxProvidersPerKey()),
                v,
                new RecordStore(dir.resolve("published"), clock, PUBLISHED_KEPT, s.maxRecords(), s.maxRecordStoreBytes()),
                new RecordStore(dir.resolve("provided"), clock, PUBLISHED_KEPT, s.maxProviderKeys()));
        int adopted = node.adoptProvides();
        if (adopted > 0) {
            LOG.info("DHT: {} keys this node provided before dht/provided/ existed are reprovided and kept there", adopted);
        }
        this.config = c;
        applyMode(c);
        if (!seeds.isEmpty()) {
            node.bootstrap(seeds).whenComplete((r, e) -> LOG.info("DHT bootstrap: {} peers answered{}", r == null ? 0 : r.size(),
                    e == null ? "" : " (" + e.getMessage() + ")"));
        }
        LOG.info("DHT {} mode on {} ({} bootstrap peers, data in {})", c.mode(), c.protocol(), seeds.size(), dir);
    }

    private synchronized void applyMode(Config c) {
        boolean server = "server".equals(c.mode());
        if (server && handlerRegistration == null) {
            Dictionary<String, Object> props = new Hashtable<>(HostKadNetwork.limitProperties());
            props.put(ProtocolHandler.PROTOCOL, c.protocol());
            handlerRegistration = context.registerService(RequestHandler.class, HostKadNetwork.handler(() -> node), props);
        } else if (!server && handlerRegistration != null) {
            unregisterHandler();
        }
    }

    private synchronized void unregisterHandler() {
        if (handlerRegistration != null) {
            try {
                handlerRegistration.unregister();
            } catch (IllegalStateException alreadyGone) {
                LOG.debug("DHT protocol handler already unregistered");
            }
            handlerRegistration = null;
        }
    }

    private void schedule() {
        timer.scheduleWithFixedDelay(this::upkeep, 5, 30, TimeUnit.SECONDS);
        timer.scheduleWithFixedDelay(this::expire, 60, 60, TimeUnit.SECONDS);
    }

    /** Connected DHT servers outside the table admitted per upkeep round (one FIND_NODE each). */
    static final int ADMISSIONS_PER_ROUND = 8;

    private long lastRefresh = System.nanoTime();

    /**
     * Every 30 s: admit up to {@link #ADMISSIONS_PER_ROUND} connected DHT servers not in the table,
     * re-bootstrap an empty table, refresh when due, and queue the republishes and reprovides that
     * are due (the first round runs 5 s after start, so what fell due while the node was down goes
     * out then, throttled).
     */
    private void upkeep() {
        try {
            KadNode n = node;
            Config c = config;
            int admitted = 0;
            for (Connection conn : host.connections()) {
                if (admitted >= ADMISSIONS_PER_ROUND) {
                    break;
                }
                PeerId p = conn.remotePeer();
                if (!n.inTable(p) && !n.recentlyRefused(p) && host.peerStore().protocols(p).contains(c.protocol())) {
                    n.admit(p);
                    admitted++;
                }
            }
            if (n.tableSize() == 0) {
                List<PeerInfo> seeds = bootstrapPeers(c.bootstrap());
                if (!seeds.isEmpty()) {
                    n.bootstrap(seeds);
                }
            }
            long now = System.nanoTime();
            if (now - lastRefresh >= TimeUnit.SECONDS.toNanos(c.refresh__s())) {
                lastRefresh = now;
                n.refresh(random, TimeUnit.SECONDS.toNanos(c.refresh__s()));
            }
            n.republishDue().thenAccept(done -> {
                if (done > 0) {
                    LOG.debug("DHT: republished or reprovided {} records and keys that were due", done);
                }
            });
        } catch (RuntimeException e) {
            LOG.warn("DHT upkeep failed: {}", e.toString());
        }
    }

    private void expire() {
        try {
            KadNode n = node;
            int r = n.records().expire();
            int p = n.providers().expire();
            if (r + p > 0) {
                LOG.debug("DHT expiry: {} records, {} provider entries", r, p);
            }
        } catch (RuntimeException e) {
            LOG.warn("DHT expiry failed: {}", e.toString());
        }
    }

    @Modified
    synchronized void modified(Config c) {
        Config old = config;
        if (restartKey(old).equals(restartKey(c))) {
            validators.configure(list(c.open__namespaces()), c.max__record__bytes());
            config = c;
            applyMode(c);
            LOG.info("DHT reconfigured live: {} mode, open namespaces {}", c.mode(), list(c.open__namespaces()));
            return;
        }
        unregisterHandler();
        start(c);
    }

    /** The settings whose change rebuilds the node (everything but mode and the open namespaces). */
    private static List<Object> restartKey(Config c) {
        return List.of(c.protocol(), c.bootstrap(), c.k(), c.concurrency(), c.request__timeout__ms(), c.query__timeout__ms(),
                c.record__ttl__s(), c.provider__ttl__s(), c.republish__s(), c.refresh__s(), c.max__records(),
                c.max__record__store__bytes(), c.max__records__per__peer(), c.max__bytes__per__peer(),
                c.max__provider__keys(), c.max__providers__per__key(), c.requests__per__second());
    }

    @Reference(service = RecordValidator.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(" + RecordValidator.NAMESPACE + "=*)")
    void bindValidator(RecordValidator v, Map<String, Object> props) {
        String ns = String.valueOf(props.get(RecordValidator.NAMESPACE));
        whiteboard.put(v, ns);
        Validators current = validators;
        if (current != null) {
            current.register(ns, v);
        }
    }

    void unbindValidator(RecordValidator v, Map<String, Object> props) {
        String ns = whiteboard.remove(v);
        Validators current = validators;
        if (ns != null && current != null) {
            current.unregister(ns, v);
        }
    }

    @Deactivate
    void deactivate() {
        subscription.close();
        timer.shutdownNow();
        unregisterHandler();
    }

    // ---------------------------------------------------------------- services

    @Override
    public CompletableFuture<Integer> put(byte[] key, byte[] value) {
        return queries.time("put_value", node.putValue(key, value));
    }

    @Override
    public CompletableFuture<Optional<byte[]>> get(byte[] key, int quorum) {
        return queries.time("get_value", node.getValue(key, quorum));
    }

    @Override
    public CompletableFuture<Integer> provide(Cid cid) {
        return queries.time("provide", node.provide(cid.multihash().toBytes(), cid.toBytes()));
    }

    @Override
    public CompletableFuture<Void> withdraw(Cid cid) {
        try {
            node.withdraw(cid.multihash().toBytes());
            return CompletableFuture.completedFuture(null);
        } catch (UncheckedIOException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    @Override
    public Set<Cid> provided() {
        return node.own().cids();
    }

    @Override
    public CompletableFuture<Integer> findProviders(Cid cid, int limit, Consumer<PeerInfo> onProvider) {
        return queries.time("find_providers", node.findProviders(cid.multihash().toBytes(), limit, onProvider));
    }

    @Override
    public CompletableFuture<Optional<PeerInfo>> findPeer(PeerId peer) {
        return queries.time("find_peer", node.findPeer(peer));
    }

    @Override
    public CompletableFuture<List<PeerInfo>> closestPeers(byte[] key) {
        KadNode n = node;
        return queries.time("closest_peers", n.closestPeers(key)).thenApply(ids -> ids.stream().map(p -> new PeerInfo(p, host.peerStore().addresses(p))).toList());
    }

    @Override
    public String mode() {
        return config.mode();
    }

    @Override
    public String protocol() {
        return config.protocol();
    }

    @Override
    public SortedMap<Integer, List<PeerId>> buckets() {
        SortedMap<Integer, List<PeerId>> out = new TreeMap<>();
        node.buckets().forEach((i, entries) -> out.put(i, entries.stream().map(RoutingTable.Entry::peer).toList()));
        return out;
    }

    @Override
    public int storedRecords() {
        return node.records().size();
    }

    @Override
    public int storedProviderKeys() {
        return node.providers().keys();
    }

    @Override
    public List<io.hivemesh.api.routing.QueryStats> queryStats() {
        return queries.snapshot();
    }
}

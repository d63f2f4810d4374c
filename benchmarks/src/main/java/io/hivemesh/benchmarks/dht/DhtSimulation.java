package io.hivemesh.benchmarks.dht;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.api.routing.PeerInfo;
import io.hivemesh.dht.internal.DhtCodec;
import io.hivemesh.dht.internal.DhtSettings;
import io.hivemesh.dht.internal.KadNetwork;
import io.hivemesh.dht.internal.KadNode;
import io.hivemesh.dht.internal.ProviderStore;
import io.hivemesh.dht.internal.RecordStore;
import io.hivemesh.dht.internal.Validators;
import io.hivemesh.dht.internal.proto.DhtProto.Message;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * DHT simulation harness (not a test): N in-process nodes running the real {@link KadNode} logic
 * (wire codec, routing tables, lookups, on-disk stores) over an in-memory network with a seeded
 * random one-way delay per message. Measures lookup hops and latency, put-then-get and
 * provide-then-find success, then the same for the records and providers stored before 10 % and
 * 30 % of the nodes are killed without warning.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.hivemesh.benchmarks.dht.DhtSimulation 1000}
 * (args: N [operations=100] [seed=1] [maxDelayMs=20]).
 */
public final class DhtSimulation {
    private final Map<PeerId, KadNode> nodes = new ConcurrentHashMap<>();
    private final Map<PeerId, Net> nets = new ConcurrentHashMap<>();
    private final Set<PeerId> dead = ConcurrentHashMap.newKeySet();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);
    private final Random random;
    private final int maxDelayMs;
    private volatile boolean delays;

    private DhtSimulation(long seed, int maxDelayMs) {
        this.random = new Random(seed);
        this.maxDelayMs = maxDelayMs;
    }

    private static Multiaddr addressOf(PeerId id) {
        return Multiaddr.parse("/ip4/10.0." + ((id.hashCode() >>> 8) & 0xFF) + "." + (id.hashCode() & 0xFF) + "/tcp/4001");
    }

    private final class Net implements KadNetwork {
        private final PeerId self;
        private final Map<PeerId, List<Multiaddr>> book = new ConcurrentHashMap<>();

        Net(PeerId self) {
            this.self = self;
        }

        @Override
        public PeerId self() {
            return self;
        }

        @Override
        public List<Multiaddr> selfAddresses() {
            return List.of(addressOf(self));
        }

        private Executor delayed() {
            if (!delays) {
                return pool;
            }
            int ms;
            synchronized (random) {
                ms = 1 + random.nextInt(maxDelayMs);
            }
            return CompletableFuture.delayedExecutor(ms, TimeUnit.MILLISECONDS, pool);
        }

        private CompletableFuture<KadNode.Handled> deliver(PeerId peer, Message m) {
            KadNode target = nodes.get(peer);
            if (target == null || dead.contains(peer)) {
                // a dead node: the request times out (the node's request timeout applies)
                return new CompletableFuture<>();
            }
            nets.get(peer).book.put(self, selfAddresses());
            byte[] frame = DhtCodec.encode(m);
            return CompletableFuture.supplyAsync(() -> target.handle(self, DhtCodec.decodeFrame(frame)), delayed());
        }

        @Override
        public CompletableFuture<Message> request(PeerId peer, Message request) {
            return deliver(peer, request).thenComposeAsync(h -> h.reply().isPresent()
                    ? CompletableFuture.completedFuture(DhtCodec.decodeFrame(DhtCodec.encode(h.reply().get())))
                    : CompletableFuture.failedFuture(new IllegalStateException("reset: " + h.refusal())), delayed());
        }

        @Override
        public CompletableFuture<Void> send(PeerId peer, Message message) {
            deliver(peer, message);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public CompletableFuture<Boolean> ping(PeerId peer) {
            return CompletableFuture.completedFuture(!dead.contains(peer));
        }

        @Override
        public List<Multiaddr> addresses(PeerId peer) {
            return book.getOrDefault(peer, List.of());
        }

        @Override
        public void learnAddresses(PeerId peer, List<Multiaddr> addresses) {
            if (!addresses.isEmpty()) {
                book.put(peer, List.copyOf(addresses));
            }
        }

        @Override
        public boolean isServer(PeerId peer) {
            return true;
        }
    }

    private static long percentile(List<Long> sorted, double p) {
        return sorted.isEmpty() ? 0 : sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(p * sorted.size()) - 1));
    }

    private List<KadNode> live() {
        List<KadNode> out = new ArrayList<>();
        nodes.forEach((id, n) -> {
            if (!dead.contains(id)) {
                out.add(n);
            }
        });
        out.sort(Comparator.comparing(n -> n.self().toString()));
        return out;
    }

    private KadNode any(List<KadNode> among) {
        synchronized (random) {
            return among.get(random.nextInt(among.size()));
        }
    }

    private void run(int n, int ops, Path dir) throws Exception {
        DhtSettings s = DhtSettings.defaults();
        s = new DhtSettings(s.k(), s.alpha(), Duration.ofSeconds(1), Duration.ofSeconds(30), s.recordTtl(), s.providerTtl(),
                s.republishInterval(), s.openNamespaces(), s.maxRecordBytes(), s.maxRecords(), s.maxProviderKeys(),
                s.maxProvidersPerKey(), 1_000_000);
        List<KadNode> all = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            PeerId id = PeerId.fromPublicKey(new PublicKey(KeyType.ED25519, key));
            Net net = new Net(id);
            Path d = dir.resolve("n" + i);
            KadNode node = new KadNode(net, s,
                    new RecordStore(d.resolve("records"), Clock.systemUTC(), s.recordTtl(), s.maxRecords()),
                    new ProviderStore(d.resolve("providers"), Clock.systemUTC(), s.providerTtl(), s.maxProviderKeys(), s.maxProvidersPerKey()),
                    new Validators(s.openNamespaces(), s.maxRecordBytes()));
            nets.put(id, net);
            nodes.put(id, node);
            all.add(node);
        }
        // join: each node bootstraps from node 0 and a random earlier node, then every node refreshes once
        long t0 = System.nanoTime();
        for (int i = 1; i < n; i++) {
            KadNode seedA = all.get(0);
            KadNode seedB = all.get(random.nextInt(i));
            all.get(i).bootstrap(List.of(new PeerInfo(seedA.self(), List.of(addressOf(seedA.self()))),
                    new PeerInfo(seedB.self(), List.of(addressOf(seedB.self()))))).get(60, TimeUnit.SECONDS);
        }
        List<CompletableFuture<?>> refresh = new ArrayList<>();
        for (KadNode node : all) {
            refresh.add(node.refresh(new Random(random.nextLong()), 0));
            if (refresh.size() >= 32) {
                CompletableFuture.allOf(refresh.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
                refresh.clear();
            }
        }
        CompletableFuture.allOf(refresh.toArray(CompletableFuture[]::new)).get(300, TimeUnit.SECONDS);
        double avgTable = all.stream().mapToInt(KadNode::tableSize).average().orElse(0);
        System.out.printf("N=%d: joined in %.1f s, mean routing-table size %.1f%n", n, (System.nanoTime() - t0) / 1e9, avgTable);

        delays = true;
        List<Long> hops = new ArrayList<>();
        List<Long> latencies = new ArrayList<>();
        List<Long> queried = new ArrayList<>();
        for (int i = 0; i < ops; i++) {
            byte[] key = new byte[32];
            random.nextBytes(key);
            long start = System.nanoTime();
            KadNode.LookupResult r = any(all).lookup(key).get(60, TimeUnit.SECONDS);
            latencies.add((System.nanoTime() - start) / 1_000_000);
            hops.add((long) r.hops());
            queried.add((long) r.queried());
        }
        Collections.sort(hops);
        Collections.sort(latencies);
        Collections.sort(queried);
        System.out.printf("lookups: %d, hops p50 %d p90 %d p99 %d; latency ms p50 %d p90 %d p99 %d; peers asked p50 %d%n",
                ops, percentile(hops, .5), percentile(hops, .9), percentile(hops, .99), percentile(latencies, .5),
                percentile(latencies, .9), percentile(latencies, .99), percentile(queried, .5));

        List<byte[]> keys = new ArrayList<>();
        List<byte[]> cids = new ArrayList<>();
        int got = 0;
        int found = 0;
        for (int i = 0; i < ops; i++) {
            byte[] key = ("/mesh/sim-" + i).getBytes(StandardCharsets.UTF_8);
            any(all).putValue(key, ("v" + i).getBytes(StandardCharsets.UTF_8)).get(60, TimeUnit.SECONDS);
            keys.add(key);
            byte[] cid = new byte[34];
            random.nextBytes(cid);
            cid[0] = 0x12;
            cid[1] = 32;
            any(all).provide(cid).get(60, TimeUnit.SECONDS);
            cids.add(cid);
        }
        Thread.sleep(2 * maxDelayMs + 100); // ADD_PROVIDER has no reply: let the last ones land
        String[] phases = {"no churn", "10 % killed", "30 % killed"};
        double[] killed = {0, 0.10, 0.30};
        for (int p = 0; p < phases.length; p++) {
            List<KadNode> alive = live();
            int target = (int) Math.round(n * killed[p]);
            List<PeerId> ids = new ArrayList<>(nodes.keySet());
            Collections.shuffle(ids, random);
            for (PeerId id : ids) {
                if (dead.size() >= target) {
                    break;
                }
                dead.add(id);
            }
            alive = live();
            got = 0;
            found = 0;
            for (int i = 0; i < ops; i++) {
                final int idx = i;
                if (any(alive).getValue(keys.get(i), 1).get(60, TimeUnit.SECONDS)
                        .map(v -> Arrays.equals(v, ("v" + idx).getBytes(StandardCharsets.UTF_8))).orElse(false)) {
                    got++;
                }
                if (any(alive).findProviders(cids.get(i), 1, x -> { }).get(60, TimeUnit.SECONDS) >= 1) {
                    found++;
                }
            }
            System.out.printf("%s (%d live): get-after-put %d/%d, find-after-provide %d/%d%n", phases[p], alive.size(),
                    got, ops, found, ops);
        }
    }

    public static void main(String[] args) throws Exception {
        int n = args.length > 0 ? Integer.parseInt(args[0]) : 100;
        int ops = args.length > 1 ? Integer.parseInt(args[1]) : 100;
        long seed = args.length > 2 ? Long.parseLong(args[2]) : 1;
        int delay = args.length > 3 ? Integer.parseInt(args[3]) : 20;
        Path dir = Files.createTempDirectory("hivemesh-dht-sim");
        DhtSimulation sim = new DhtSimulation(seed, delay);
        try {
            sim.run(n, ops, dir);
        } finally {
            sim.pool.shutdownNow();
            deleteTree(dir);
        }
        System.exit(0);
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}

package io.hivemesh.dht.internal;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.dht.internal.proto.DhtProto.Message;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;

/**
 * An in-memory network of {@link KadNode}s: every message goes through the wire codec (encode, then
 * bounded decode) and is served on a shared thread pool; a killed node never answers; a node given an
 * {@link #impersonate impostor} answers with it instead (a hostile peer). Counts the requests each
 * node receives, and {@link #awaitIdle()} waits until every message sent has been served.
 */
final class MemoryHub implements AutoCloseable {
    private final Map<PeerId, KadNode> nodes = new ConcurrentHashMap<>();
    private final Map<PeerId, Net> nets = new ConcurrentHashMap<>();
    private final Set<PeerId> dead = ConcurrentHashMap.newKeySet();
    private final Set<PeerId> clients = ConcurrentHashMap.newKeySet();
    private final Map<PeerId, BiFunction<PeerId, Message, KadNode.Handled>> impostors = new ConcurrentHashMap<>();
    private final Map<PeerId, AtomicInteger> received = new ConcurrentHashMap<>();
    private final AtomicInteger inFlight = new AtomicInteger();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    /** Adds (or, for a known id, restarts) a node whose stores live in {@code dataDir}, on {@code clock}. */
    KadNode add(PeerId id, DhtSettings settings, Path dataDir, Clock clock, boolean server) {
        Net net = new Net(id);
        KadNode node = new KadNode(net, settings, TimeSource.of(clock),
                new RecordStore(dataDir.resolve("records"), clock, settings.recordTtl(), settings.maxRecords(),
                        settings.maxRecordStoreBytes()),
                new ProviderStore(dataDir.resolve("providers"), clock, settings.providerTtl(), settings.maxProviderKeys(),
                        settings.maxProvidersPerKey()),
                new Validators(settings.openNamespaces(), settings.maxRecordBytes()),
                new RecordStore(dataDir.resolve("published"), clock, DhtComponent.PUBLISHED_KEPT, settings.maxRecords()),
                new RecordStore(dataDir.resolve("provided"), clock, DhtComponent.PUBLISHED_KEPT, settings.maxProviderKeys()));
        nodes.put(id, node);
        nets.put(id, net);
        if (!server) {
            clients.add(id);
        }
        return node;
    }

    void kill(PeerId id) {
        dead.add(id);
    }

    void revive(PeerId id) {
        dead.remove(id);
    }

    /** From now on {@code id} answers every request with {@code answer} instead of its node. */
    void impersonate(PeerId id, BiFunction<PeerId, Message, KadNode.Handled> answer) {
        impostors.put(id, answer);
    }

    /** How many messages {@code id} received (served or not answered because dead). */
    int received(PeerId id) {
        AtomicInteger n = received.get(id);
        return n == null ? 0 : n.get();
    }

    /** Waits until every message sent so far (and every one those caused) has been served. */
    void awaitIdle() throws InterruptedException {
        synchronized (inFlight) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (inFlight.get() > 0) {
                long left = end - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError(inFlight.get() + " messages still in flight after 60 s");
                }
                inFlight.wait(TimeUnit.NANOSECONDS.toMillis(left) + 1);
            }
        }
    }

    static Multiaddr addressOf(PeerId id) {
        return Multiaddr.parse("/ip4/127.0.0.1/tcp/" + (1024 + (id.hashCode() & 0x7FFF)));
    }

    @Override
    public void close() {
        pool.shutdownNow();
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

        private CompletableFuture<KadNode.Handled> deliver(PeerId peer, Message m) {
            KadNode target = nodes.get(peer);
            received.computeIfAbsent(peer, p -> new AtomicInteger()).incrementAndGet();
            if (target == null || dead.contains(peer) || dead.contains(self) || clients.contains(peer)) {
                return CompletableFuture.failedFuture(new IllegalStateException("no route to " + peer));
            }
            // what Identify does on a real connection: the callee learns the caller's address
            nets.get(peer).learnAddresses(self, selfAddresses());
            byte[] frame = DhtCodec.encode(m);
            BiFunction<PeerId, Message, KadNode.Handled> impostor = impostors.get(peer);
            inFlight.incrementAndGet();
            return CompletableFuture.supplyAsync(() -> {
                try {
                    Message decoded = DhtCodec.decodeFrame(frame);
                    return impostor != null ? impostor.apply(self, decoded) : target.handle(self, decoded);
                } finally {
                    synchronized (inFlight) {
                        inFlight.decrementAndGet();
                        inFlight.notifyAll();
                    }
                }
            }, pool);
        }

        @Override
        public CompletableFuture<Message> request(PeerId peer, Message request) {
            return deliver(peer, request).thenCompose(h -> {
                if (h.refusal() != null || h.reply().isEmpty()) {
                    return CompletableFuture.failedFuture(new IllegalStateException("stream reset: " + h.refusal()));
                }
                return CompletableFuture.completedFuture(DhtCodec.decodeFrame(DhtCodec.encode(h.reply().get())));
            });
        }

        @Override
        public CompletableFuture<Void> send(PeerId peer, Message message) {
            return deliver(peer, message).thenApply(h -> null);
        }

        @Override
        public CompletableFuture<Boolean> ping(PeerId peer) {
            return CompletableFuture.completedFuture(nodes.containsKey(peer) && !dead.contains(peer));
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
            return !clients.contains(peer);
        }
    }
}

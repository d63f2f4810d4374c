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

/**
 * An in-memory network of {@link KadNode}s: every message goes through the wire codec (encode, then
 * bounded decode) and is served on a shared thread pool; a killed node never answers.
 */
final class MemoryHub implements AutoCloseable {
    private final Map<PeerId, KadNode> nodes = new ConcurrentHashMap<>();
    private final Map<PeerId, Net> nets = new ConcurrentHashMap<>();
    private final Set<PeerId> dead = ConcurrentHashMap.newKeySet();
    private final Set<PeerId> clients = ConcurrentHashMap.newKeySet();
    private final ExecutorService pool = Executors.newFixedThreadPool(4);

    KadNode add(PeerId id, DhtSettings settings, Path dataDir, Clock clock, boolean server) {
        Net net = new Net(id);
        KadNode node = new KadNode(net, settings,
                new RecordStore(dataDir.resolve("records"), clock, settings.recordTtl(), settings.maxRecords()),
                new ProviderStore(dataDir.resolve("providers"), clock, settings.providerTtl(), settings.maxProviderKeys(),
                        settings.maxProvidersPerKey()),
                new Validators(settings.openNamespaces(), settings.maxRecordBytes()),
                new RecordStore(dataDir.resolve("published"), clock, DhtComponent.PUBLISHED_KEPT, settings.maxRecords()));
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
            if (target == null || dead.contains(peer) || dead.contains(self) || clients.contains(peer)) {
                return CompletableFuture.failedFuture(new IllegalStateException("no route to " + peer));
            }
            // what Identify does on a real connection: the callee learns the caller's address
            nets.get(peer).learnAddresses(self, selfAddresses());
            byte[] frame = DhtCodec.encode(m);
            return CompletableFuture.supplyAsync(() -> target.handle(self, DhtCodec.decodeFrame(frame)), pool);
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

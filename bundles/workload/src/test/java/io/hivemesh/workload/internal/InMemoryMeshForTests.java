package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.PeerId;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A mock network for tests of the machine-plane logic: every node's {@link MachineTransport} in one
 * process, requests and gossip delivered on a small thread pool, nodes that can be cut off
 * ({@link #down}). Counts messages and bytes (for the simulation's figures).
 */
final class InMemoryMeshForTests implements AutoCloseable {
    private final Map<PeerId, Endpoint> endpoints = new ConcurrentHashMap<>();
    private final Set<PeerId> down = ConcurrentHashMap.newKeySet();
    private final ExecutorService pool;
    private final ExecutorService gossipPool;
    private final boolean recordSent;
    final AtomicLong messages = new AtomicLong();
    /** Gossip deliveries queued and not yet handled, and the longest any waited (ms): the simulation's load. */
    final java.util.concurrent.atomic.AtomicInteger gossipBacklog = new java.util.concurrent.atomic.AtomicInteger();
    final AtomicLong gossipDelayMillis = new AtomicLong();
    /** The longest wait of a gossip delivery by message kind (ms). */
    final Map<String, AtomicLong> gossipDelayByKind = new ConcurrentHashMap<>();
    /** The same traffic by channel and message kind. */
    final MeshTrafficForTests traffic = new MeshTrafficForTests();
    /** Every request envelope sent, with its sender and receiver (for replay tests). */
    final java.util.List<Sent> sent = new java.util.concurrent.CopyOnWriteArrayList<>();

    record Sent(PeerId from, PeerId to, byte[] envelope) {
    }
    final AtomicLong bytes = new AtomicLong();

    InMemoryMeshForTests() {
        this.recordSent = true;
        this.pool = threads(8, "mesh-for-tests");
        this.gossipPool = pool;
    }

    /**
     * A mesh delivering requests on {@code requestThreads} threads and gossip on its own
     * {@code gossipThreads} (so that a burst of gossip does not hold up requests, as separate
     * streams would not); keeps {@link #sent} only if {@code recordSent}.
     */
    InMemoryMeshForTests(int requestThreads, int gossipThreads, boolean recordSent) {
        this.recordSent = recordSent;
        this.pool = threads(requestThreads, "mesh-requests-for-tests");
        this.gossipPool = threads(gossipThreads, "mesh-gossip-for-tests");
    }

    private static ExecutorService threads(int n, String name) {
        return Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            return t;
        });
    }

    Endpoint join(PeerId id) {
        Endpoint e = new Endpoint(id);
        endpoints.put(id, e);
        return e;
    }

    /** Cuts {@code id} off (true) or lets it back (false). */
    void down(PeerId id, boolean isDown) {
        if (isDown) {
            down.add(id);
        } else {
            down.remove(id);
        }
    }

    /** Delivers a raw envelope to {@code to} as if {@code from} had sent it (for hostile-peer tests). */
    CompletableFuture<byte[]> inject(PeerId from, PeerId to, byte[] envelope) {
        return endpoints.get(to).inbound.onRequest(from, envelope);
    }

    @Override
    public void close() throws InterruptedException {
        pool.shutdownNow();
        gossipPool.shutdownNow();
        pool.awaitTermination(5, TimeUnit.SECONDS);
        gossipPool.awaitTermination(5, TimeUnit.SECONDS);
    }

    final class Endpoint implements MachineTransport {
        private final PeerId self;
        private volatile Inbound inbound;

        Endpoint(PeerId self) {
            this.self = self;
        }

        @Override
        public PeerId self() {
            return self;
        }

        @Override
        public CompletableFuture<byte[]> request(PeerId peer, byte[] envelope, Duration timeout) {
            Endpoint to = endpoints.get(peer);
            Inbound in = to == null ? null : to.inbound;
            if (in == null || down.contains(peer) || down.contains(self)) {
                return CompletableFuture.failedFuture(new java.io.IOException("no connection to " + peer));
            }
            messages.incrementAndGet();
            bytes.addAndGet(envelope.length);
            String kind = MeshTrafficForTests.kind(envelope);
            traffic.direct(kind, envelope.length);
            if (recordSent && sent.size() < 100_000) {
                sent.add(new Sent(self, peer, envelope.clone()));
            }
            return CompletableFuture.supplyAsync(() -> in.onRequest(self, envelope), pool)
                    .thenCompose(f -> f)
                    .thenApply(reply -> {
                        bytes.addAndGet(reply.length);
                        traffic.reply(kind, reply.length);
                        return reply;
                    })
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public CompletableFuture<Void> publish(String topic, byte[] envelope) {
            if (down.contains(self)) {
                return CompletableFuture.failedFuture(new java.io.IOException("cut off"));
            }
            int receivers = 0;
            String kind = MeshTrafficForTests.kind(envelope);
            AtomicLong kindDelay = gossipDelayByKind.computeIfAbsent(kind, k -> new AtomicLong());
            for (Endpoint e : endpoints.values()) {
                Inbound in = e.inbound;
                if (e != this && in != null && !down.contains(e.self)) {
                    messages.incrementAndGet();
                    bytes.addAndGet(envelope.length);
                    receivers++;
                    long queued = System.nanoTime();
                    gossipBacklog.incrementAndGet();
                    gossipPool.execute(() -> {
                        gossipBacklog.decrementAndGet();
                        long waited = (System.nanoTime() - queued) / 1_000_000;
                        gossipDelayMillis.accumulateAndGet(waited, Math::max);
                        kindDelay.accumulateAndGet(waited, Math::max);
                        in.onGossip(topic, self, envelope);
                    });
                }
            }
            traffic.gossip(kind, envelope.length, receivers);
            return CompletableFuture.completedFuture(null);
        }

        @Override
        public boolean isConnected(PeerId peer) {
            return endpoints.containsKey(peer) && !down.contains(peer) && !down.contains(self);
        }

        @Override
        public AutoCloseable serve(Inbound inbound) {
            this.inbound = inbound;
            return () -> this.inbound = null;
        }
    }
}

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
    private final ExecutorService pool = Executors.newFixedThreadPool(8, r -> {
        Thread t = new Thread(r, "mesh-for-tests");
        t.setDaemon(true);
        return t;
    });
    final AtomicLong messages = new AtomicLong();
    /** Every request envelope sent, with its sender and receiver (for replay tests). */
    final java.util.List<Sent> sent = new java.util.concurrent.CopyOnWriteArrayList<>();

    record Sent(PeerId from, PeerId to, byte[] envelope) {
    }
    final AtomicLong bytes = new AtomicLong();

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
        pool.awaitTermination(5, TimeUnit.SECONDS);
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
            if (sent.size() < 100_000) {
                sent.add(new Sent(self, peer, envelope.clone()));
            }
            return CompletableFuture.supplyAsync(() -> in.onRequest(self, envelope), pool)
                    .thenCompose(f -> f)
                    .thenApply(reply -> {
                        bytes.addAndGet(reply.length);
                        return reply;
                    })
                    .orTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS);
        }

        @Override
        public CompletableFuture<Void> publish(String topic, byte[] envelope) {
            if (down.contains(self)) {
                return CompletableFuture.failedFuture(new java.io.IOException("cut off"));
            }
            for (Endpoint e : endpoints.values()) {
                Inbound in = e.inbound;
                if (e != this && in != null && !down.contains(e.self)) {
                    messages.incrementAndGet();
                    bytes.addAndGet(envelope.length);
                    pool.execute(() -> in.onGossip(topic, self, envelope));
                }
            }
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

package io.hivemesh.shell.command;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.pubsub.PubSub;
import io.hivemesh.api.pubsub.PubSubEvent;
import io.hivemesh.api.pubsub.PubSubMessage;
import io.hivemesh.api.pubsub.PublishException;
import io.hivemesh.api.pubsub.PublishResult;
import io.hivemesh.api.pubsub.Subscription;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

/**
 * A single-node stand-in for the gossipsub service, for the shell command tests only (the real one
 * is tested in bundles/pubsub): publishing delivers to this instance's own subscriptions, as if
 * {@code author} had published it; it fails with NO_PEERS when nobody subscribed. Peers and mesh
 * are what the test sets.
 */
final class InMemoryPubSubForTests implements PubSub {
    final PeerId author;
    final Map<String, List<PeerId>> peers = new ConcurrentHashMap<>();
    final Map<String, List<PeerId>> mesh = new ConcurrentHashMap<>();
    private final Map<String, List<QueueForTests>> subs = new ConcurrentHashMap<>();
    private long seqno;

    InMemoryPubSubForTests(PeerId author) {
        this.author = author;
    }

    @Override
    public Subscription subscribe(String topic) {
        return subscribe(topic, Subscription.DEFAULT_CAPACITY);
    }

    @Override
    public Subscription subscribe(String topic, int capacity) {
        QueueForTests q = new QueueForTests(topic, capacity);
        subs.computeIfAbsent(topic, t -> new CopyOnWriteArrayList<>()).add(q);
        return q;
    }

    @Override
    public synchronized CompletableFuture<PublishResult> publish(String topic, byte[] data) {
        List<QueueForTests> list = subs.getOrDefault(topic, List.of()).stream().filter(q -> !q.isClosed()).toList();
        if (list.isEmpty()) {
            return CompletableFuture.failedFuture(new PublishException(PublishException.Reason.NO_PEERS,
                    "no peers subscribed to " + topic));
        }
        long n = ++seqno;
        byte[] id = new byte[] {(byte) n};
        PubSubMessage m = new PubSubMessage(topic, data, Optional.of(author), OptionalLong.of(n), id, author);
        list.forEach(q -> q.offer(m));
        return CompletableFuture.completedFuture(new PublishResult(id, List.of(author)));
    }

    /** Closes every subscription, as a stopping service does. */
    void stop() {
        subs.values().forEach(l -> l.forEach(QueueForTests::close));
    }

    @Override
    public Set<String> topics() {
        Set<String> out = new TreeSet<>();
        subs.forEach((t, l) -> {
            if (l.stream().anyMatch(q -> !q.isClosed())) {
                out.add(t);
            }
        });
        return out;
    }

    @Override
    public List<PeerId> peers(String topic) {
        return peers.getOrDefault(topic, List.of());
    }

    @Override
    public List<PeerId> peers() {
        return peers.values().stream().flatMap(List::stream).distinct().toList();
    }

    @Override
    public List<PeerId> mesh(String topic) {
        return mesh.getOrDefault(topic, List.of());
    }

    @Override
    public double score(PeerId peer) {
        return 1.5;
    }

    @Override
    public Listening listen(Consumer<PubSubEvent> listener) {
        return () -> { };
    }

    /** A bounded subscription queue (drops when full). */
    static final class QueueForTests implements Subscription {
        private final String topic;
        private final int capacity;
        private final ArrayDeque<PubSubMessage> queue = new ArrayDeque<>();
        private final List<CompletableFuture<PubSubMessage>> waiting = new ArrayList<>();
        private long dropped;
        private boolean closed;

        QueueForTests(String topic, int capacity) {
            this.topic = topic;
            this.capacity = capacity;
        }

        void offer(PubSubMessage m) {
            CompletableFuture<PubSubMessage> w = null;
            synchronized (this) {
                if (closed) {
                    return;
                }
                if (!waiting.isEmpty()) {
                    w = waiting.remove(0);
                } else if (queue.size() < capacity) {
                    queue.add(m);
                } else {
                    dropped++;
                }
            }
            if (w != null) {
                w.complete(m);
            }
        }

        @Override
        public String topic() {
            return topic;
        }

        @Override
        public synchronized Optional<PubSubMessage> poll() {
            return Optional.ofNullable(queue.poll());
        }

        @Override
        public synchronized CompletableFuture<PubSubMessage> next() {
            PubSubMessage m = queue.poll();
            if (m != null) {
                return CompletableFuture.completedFuture(m);
            }
            if (closed) {
                return CompletableFuture.failedFuture(new CancellationException("closed"));
            }
            CompletableFuture<PubSubMessage> f = new CompletableFuture<>();
            waiting.add(f);
            return f;
        }

        @Override
        public Optional<PubSubMessage> take(Duration timeout) {
            return poll();
        }

        @Override
        public synchronized int queued() {
            return queue.size();
        }

        @Override
        public synchronized long dropped() {
            return dropped;
        }

        @Override
        public synchronized boolean isClosed() {
            return closed;
        }

        @Override
        public void close() {
            List<CompletableFuture<PubSubMessage>> cancel;
            synchronized (this) {
                closed = true;
                cancel = new ArrayList<>(waiting);
                waiting.clear();
            }
            cancel.forEach(f -> f.cancel(false));
        }
    }
}

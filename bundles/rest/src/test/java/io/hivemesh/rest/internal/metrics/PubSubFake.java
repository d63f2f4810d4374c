package io.hivemesh.rest.internal.metrics;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.pubsub.PubSub;
import io.hivemesh.api.pubsub.PubSubEvent;
import io.hivemesh.api.pubsub.PubSubStats;
import io.hivemesh.api.pubsub.PublishResult;
import io.hivemesh.api.pubsub.Subscription;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/** PubSub that reports the peers, topics and counters a test sets. */
final class PubSubFake implements PubSub {
    final List<PeerId> peers = new ArrayList<>();
    volatile Set<String> topics = Set.of();
    volatile Optional<PubSubStats> stats = Optional.empty();

    @Override
    public Optional<PubSubStats> stats() {
        return stats;
    }

    @Override
    public Set<String> topics() {
        return topics;
    }

    @Override
    public List<PeerId> peers() {
        return List.copyOf(peers);
    }

    @Override
    public Subscription subscribe(String topic) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Subscription subscribe(String topic, int capacity) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<PublishResult> publish(String topic, byte[] data) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<PeerId> peers(String topic) {
        return List.of();
    }

    @Override
    public List<PeerId> mesh(String topic) {
        return List.of();
    }

    @Override
    public double score(PeerId peer) {
        return 0;
    }

    @Override
    public Listening listen(Consumer<PubSubEvent> listener) {
        throw new UnsupportedOperationException();
    }
}

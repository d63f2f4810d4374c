package io.hivemesh.api.pubsub;

import io.hivemesh.api.peer.PeerId;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * Topic-based publish/subscribe over libp2p gossipsub ({@code /meshsub/1.2.0}, 1.1.0, 1.0.0; floodsub
 * peers are received from). Messages are signed by this node (StrictSign) unless the topic is
 * configured StrictNoSign; every message received is checked (signature, size, seen cache) and then
 * passed to the {@link TopicValidator}s registered for its topic before it is delivered or forwarded.
 * Thread-safe; no method blocks on the network.
 */
public interface PubSub {

    /**
     * Joins {@code topic} (announces the subscription, joins its mesh) and returns a subscription with
     * the default queue ({@link Subscription#DEFAULT_CAPACITY} messages). Several subscriptions to one
     * topic each receive every message; the node leaves the topic when the last one is closed.
     *
     * @throws IllegalArgumentException if the topic name is empty or longer than the configured maximum
     */
    Subscription subscribe(String topic);

    /** As {@link #subscribe(String)}, with a queue of {@code capacity} messages (1..65536). */
    Subscription subscribe(String topic, int capacity);

    /**
     * Publishes {@code data} on {@code topic}. Completes with the peers the message was sent to, or
     * exceptionally with a {@link PublishException} whose {@link PublishException#reason()} names why
     * (no peers, too large, rejected by a local validator, duplicate, not running).
     */
    CompletableFuture<PublishResult> publish(String topic, byte[] data);

    /** The topics this node is subscribed to. */
    Set<String> topics();

    /** The pubsub peers (with an open gossipsub or floodsub stream) known to be subscribed to {@code topic}. */
    List<PeerId> peers(String topic);

    /** All peers this node speaks pubsub with. */
    List<PeerId> peers();

    /** The peers in this node's mesh for {@code topic} (empty when not subscribed). */
    List<PeerId> mesh(String topic);

    /** The current gossipsub score of {@code peer} (0 for unknown peers). */
    double score(PeerId peer);

    /**
     * Message counters since the router started (a read-only view for metrics); empty when the
     * implementation does not count them.
     *
     * @since 0.2
     */
    default java.util.Optional<PubSubStats> stats() {
        return java.util.Optional.empty();
    }

    /** Registers a listener for {@link PubSubEvent}s; it runs on an internal thread and must not block. */
    Listening listen(Consumer<PubSubEvent> listener);

    /** A registered event listener. */
    interface Listening extends AutoCloseable {
        @Override
        void close();
    }
}

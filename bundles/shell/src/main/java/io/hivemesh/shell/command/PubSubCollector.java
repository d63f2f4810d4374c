package io.hivemesh.shell.command;

import io.hivemesh.api.pubsub.PubSub;
import io.hivemesh.api.pubsub.PubSubMessage;
import io.hivemesh.api.pubsub.Subscription;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The subscriptions opened by {@code pubsub:sub}, kept between command invocations: each collects
 * the last {@code maxMessages} messages of its topic (older ones are evicted and counted), at most
 * {@code maxTopics} topics. One instance lives as long as the shell bundle ({@link #shared()};
 * {@link ShellActivator} closes it when the bundle stops). A subscription that ended because the
 * pubsub service went away is reported as such. Thread-safe.
 */
final class PubSubCollector {
    static final int MAX_MESSAGES = 1000;
    static final int MAX_TOPICS = 64;
    private static final PubSubCollector SHARED = new PubSubCollector(MAX_MESSAGES, MAX_TOPICS);

    private final int maxMessages;
    private final int maxTopics;
    private final Map<String, Collected> topics = new LinkedHashMap<>();

    PubSubCollector(int maxMessages, int maxTopics) {
        this.maxMessages = maxMessages;
        this.maxTopics = maxTopics;
    }

    /** The shell bundle's collector. */
    static PubSubCollector shared() {
        return SHARED;
    }

    /** What was collected for one topic. */
    record Snapshot(String topic, List<PubSubMessage> messages, long received, long evicted, long dropped, boolean ended) {
    }

    private final class Collected {
        final PubSub pubsub;
        final Subscription subscription;
        final ArrayDeque<PubSubMessage> last = new ArrayDeque<>();
        long received;
        long evicted;

        Collected(PubSub pubsub, Subscription subscription) {
            this.pubsub = pubsub;
            this.subscription = subscription;
        }

        void add(PubSubMessage m) {
            synchronized (PubSubCollector.this) {
                received++;
                if (last.size() >= maxMessages) {
                    last.poll();
                    evicted++;
                }
                last.add(m);
            }
        }

        /** Drains what is queued, then waits for the next message without blocking anyone. */
        void pump() {
            for (Optional<PubSubMessage> m = subscription.poll(); m.isPresent(); m = subscription.poll()) {
                add(m.get());
            }
            if (!subscription.isClosed()) {
                subscription.next().thenAccept(m -> {
                    add(m);
                    pump();
                });
            }
        }
    }

    /**
     * Starts collecting {@code topic} through {@code pubsub}; false if it is already being collected
     * (a subscription that ended, e.g. because pubsub restarted, is replaced).
     *
     * @throws IllegalStateException when {@value #MAX_TOPICS} topics are already collected
     */
    boolean start(PubSub pubsub, String topic) {
        Collected c;
        synchronized (this) {
            Collected old = topics.get(topic);
            if (old != null && !old.subscription.isClosed() && old.pubsub == pubsub) {
                return false;
            }
            if (old == null && topics.size() >= maxTopics) {
                throw new IllegalStateException("already collecting " + maxTopics + " topics: pubsub:unsub one first");
            }
            if (old != null) {
                old.subscription.close();
            }
            c = new Collected(pubsub, pubsub.subscribe(topic));
            topics.put(topic, c);
        }
        c.pump();
        return true;
    }

    /**
     * What was collected for {@code topic}.
     *
     * @throws IllegalStateException naming the command to run when the topic is not collected
     */
    synchronized Snapshot messages(String topic) {
        Collected c = topics.get(topic);
        if (c == null) {
            throw notSubscribed(topic);
        }
        return new Snapshot(topic, new ArrayList<>(c.last), c.received, c.evicted, c.subscription.dropped(),
                c.subscription.isClosed());
    }

    /** Stops collecting {@code topic} and closes its subscription. */
    void stop(String topic) {
        Collected c;
        synchronized (this) {
            c = topics.remove(topic);
        }
        if (c == null) {
            throw notSubscribed(topic);
        }
        c.subscription.close();
    }

    synchronized boolean collecting(String topic) {
        Collected c = topics.get(topic);
        return c != null && !c.subscription.isClosed();
    }

    /** Closes every subscription (the shell bundle is stopping). */
    void closeAll() {
        List<Collected> all;
        synchronized (this) {
            all = new ArrayList<>(topics.values());
            topics.clear();
        }
        all.forEach(c -> c.subscription.close());
    }

    private static IllegalStateException notSubscribed(String topic) {
        return new IllegalStateException("not subscribed to " + topic + ": pubsub:sub " + topic + " first");
    }
}

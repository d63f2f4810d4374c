package io.hivemesh.pubsub.internal;

import io.hivemesh.api.pubsub.PubSubMessage;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;

/**
 * This node's subscriptions by topic. The first subscription of a topic calls {@code join}, closing
 * the last calls {@code leave}; both are called under this registry's lock, so the router sees joins
 * and leaves in the order they happened. {@link #deliver} (router thread) offers a message to every
 * subscription of its topic without blocking. Thread-safe.
 */
final class LocalSubscriptions {
    private final ServiceThreads threads;
    private final Consumer<String> join;
    private final Consumer<String> leave;
    private final Map<String, List<QueueSubscription>> byTopic = new HashMap<>();

    LocalSubscriptions(ServiceThreads threads, Consumer<String> join, Consumer<String> leave) {
        this.threads = threads;
        this.join = join;
        this.leave = leave;
    }

    synchronized QueueSubscription add(String topic, int capacity) {
        QueueSubscription s = new QueueSubscription(topic, capacity, threads.delivery(), this::remove);
        List<QueueSubscription> list = byTopic.computeIfAbsent(topic, t -> new ArrayList<>());
        list.add(s);
        if (list.size() == 1) {
            join.accept(topic);
        }
        return s;
    }

    private synchronized void remove(QueueSubscription s) {
        List<QueueSubscription> list = byTopic.get(s.topic());
        if (list != null && list.remove(s) && list.isEmpty()) {
            byTopic.remove(s.topic());
            leave.accept(s.topic());
        }
    }

    void deliver(PubSubMessage m) {
        List<QueueSubscription> targets;
        synchronized (this) {
            List<QueueSubscription> list = byTopic.get(m.topic());
            if (list == null) {
                return;
            }
            targets = List.copyOf(list);
        }
        for (QueueSubscription s : targets) {
            s.offer(m);
        }
    }

    synchronized Set<String> topics() {
        return new TreeSet<>(byTopic.keySet());
    }

    /** The service is stopping: every subscription is closed without leaving (the router is going too). */
    void terminateAll() {
        List<QueueSubscription> all = new ArrayList<>();
        synchronized (this) {
            byTopic.values().forEach(all::addAll);
            byTopic.clear();
        }
        all.forEach(QueueSubscription::terminate);
    }
}

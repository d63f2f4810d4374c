package io.hivemesh.rest.internal.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;
import java.util.function.Predicate;

/**
 * The changes of every object as watch events, with a bounded history so that a watch from a recent
 * resourceVersion misses nothing; one older than the history is {@link Expired} (410, the client
 * lists again).
 */
public final class WatchHub {
    /** One change: ADDED, MODIFIED or DELETED, with the object as it then was. */
    public record Change(long rv, String type, KubeKind kind, String namespace, String name, ObjectNode object) {
    }

    /** The requested resourceVersion is older than the history. */
    public static final class Expired extends Exception {
        private static final long serialVersionUID = 1L;

        Expired(long asked, long oldest) {
            super("too old resource version: " + asked + " (" + oldest + ")");
        }
    }

    /** A live subscription; close it when the watch ends. */
    public interface Subscription extends AutoCloseable {
        @Override
        void close();
    }

    private final int capacity;
    private final ArrayDeque<Change> history = new ArrayDeque<>();
    private final List<Listener> listeners = new CopyOnWriteArrayList<>();
    private long oldestKnown;

    private record Listener(KubeKind kind, String namespace, Predicate<ObjectNode> filter, Consumer<Change> sink) {
        boolean wants(Change c) {
            return c.kind() == kind && (namespace == null || namespace.equals(c.namespace())) && filter.test(c.object());
        }
    }

    public WatchHub(int capacity, long startRv) {
        this.capacity = capacity;
        this.oldestKnown = startRv;
    }

    /** Records a change and hands it to every matching subscriber (which must not block). */
    public synchronized void publish(Change c) {
        history.addLast(c);
        while (history.size() > capacity) {
            oldestKnown = history.removeFirst().rv();
        }
        for (Listener l : listeners) {
            if (l.wants(c)) {
                l.sink().accept(c);
            }
        }
    }

    /**
     * Subscribes to changes of {@code kind} in {@code namespace} (null: all) that pass
     * {@code filter}, first replaying those after {@code fromRv}.
     */
    public synchronized Subscription subscribe(KubeKind kind, String namespace, Predicate<ObjectNode> filter,
                                               long fromRv, Consumer<Change> sink) throws Expired {
        if (fromRv < oldestKnown) {
            throw new Expired(fromRv, oldestKnown);
        }
        Listener l = new Listener(kind, namespace, filter, sink);
        List<Change> replay = new ArrayList<>();
        for (Change c : history) {
            if (c.rv() > fromRv && l.wants(c)) {
                replay.add(c);
            }
        }
        replay.forEach(sink);
        listeners.add(l);
        return () -> listeners.remove(l);
    }

    public int subscribers() {
        return listeners.size();
    }
}

package io.hivemesh.rest.internal.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.api.workload.MachinePlane;
import io.hivemesh.api.workload.MachinePlane.Event;
import io.hivemesh.api.workload.MachinePlane.MeshNode;
import io.hivemesh.api.workload.MachinePlane.Replica;
import io.hivemesh.api.workload.MachinePlane.Task;
import io.hivemesh.rest.internal.kube.ObjectStore.Key;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Keeps the API's view of the mesh current: the status of every stored Pod and Deployment, the pods
 * of Deployments (one per live replica), the Events of their tasks and the Nodes, each change
 * published to watchers with a new resourceVersion. Runs on its caller's thread ({@link #sync}),
 * never on a request thread; {@link #refresh} asks for a prompt run.
 */
public final class MeshMirror {
    private static final long REAPPLY_EVERY_MS = 60_000;

    private final ObjectStore store;
    private final MachinePlane plane;
    private final Clock clock;
    private final String agent;
    private final Map<Key, ObjectNode> derived = new LinkedHashMap<>();
    private final Map<String, Long> nodeFirstSeen = new HashMap<>();
    private final Map<Key, Long> lastReapply = new HashMap<>();
    private volatile Runnable trigger = () -> { };

    public MeshMirror(ObjectStore store, MachinePlane plane, Clock clock, String agent) {
        this.store = store;
        this.plane = plane;
        this.clock = clock;
        this.agent = agent;
    }

    /** Who runs {@link #sync} when {@link #refresh} is called. */
    public void onRefresh(Runnable trigger) {
        this.trigger = trigger;
    }

    /** Asks for a prompt {@link #sync}. */
    public void refresh() {
        trigger.run();
    }

    public synchronized Optional<ObjectNode> get(KubeKind kind, String namespace, String name) {
        ObjectNode o = derived.get(new Key(kind, kind.namespaced() ? namespace : "", name));
        return Optional.ofNullable(o == null ? null : o.deepCopy());
    }

    public synchronized List<ObjectNode> list(KubeKind kind, String namespace) {
        List<ObjectNode> out = new ArrayList<>();
        for (Map.Entry<Key, ObjectNode> e : derived.entrySet()) {
            if (e.getKey().kind() == kind && (namespace == null || !kind.namespaced()
                    || e.getKey().namespace().equals(namespace))) {
                out.add(e.getValue().deepCopy());
            }
        }
        return out;
    }

    /** One pass: statuses of stored objects, then the derived objects. */
    public void sync(KubeState state) {
        long now = clock.millis();
        Map<Key, ObjectNode> next = new LinkedHashMap<>();
        for (KubeKind kind : List.of(KubeKind.POD, KubeKind.DEPLOYMENT)) {
            for (ObjectNode o : store.list(kind, null)) {
                String ns = o.path("metadata").path("namespace").asText();
                String name = o.path("metadata").path("name").asText();
                if (o.path("metadata").has("deletionTimestamp")) {
                    continue;
                }
                Optional<Task> task = plane.task(ns, name);
                if (task.isEmpty()) {
                    reapplyLater(state, kind, ns, name, now);
                }
                if (kind == KubeKind.DEPLOYMENT) {
                    long observed = task.isPresent() ? o.path("metadata").path("generation").asLong(1)
                            : o.path("status").path("observedGeneration").asLong(0);
                    ObjectNode status = MeshViews.deploymentStatus(o, task, observed,
                            task.map(Task::updatedMillis).orElse(now));
                    state.putStatus(kind, ns, name, x -> {
                        x.set("status", status);
                        return x;
                    });
                    task.ifPresent(t -> {
                        for (Replica r : MeshViews.liveReplicas(t)) {
                            String podName = MeshViews.podName(name, t, r);
                            next.put(new Key(KubeKind.POD, ns, podName), MeshViews.pod(o, t, r, podName, t.updatedMillis()));
                        }
                    });
                } else {
                    Optional<Replica> replica = task.flatMap(t -> t.assignments().stream()
                            .filter(r -> r.generation() == t.generation() && MeshViews.live(r)).findFirst());
                    state.putStatus(kind, ns, name, x -> {
                        if (replica.isPresent()) {
                            ObjectNode view = MeshViews.pod(x, task.get(), replica.get(), name, task.get().updatedMillis());
                            ((ObjectNode) x.with("spec")).put("nodeName", replica.get().node());
                            x.set("status", view.get("status"));
                        } else {
                            x.set("status", MeshViews.pendingPodStatus(task.isPresent()
                                    ? "the mesh is placing the replica" : "the machine plane has no task for it yet"));
                        }
                        return x;
                    });
                }
                List<Event> events = plane.events(ns, name);
                for (int i = 0; i < events.size(); i++) {
                    ObjectNode ev = MeshViews.event(events.get(i), o, i);
                    next.put(new Key(KubeKind.EVENT, ns, ev.path("metadata").path("name").asText()), ev);
                }
            }
        }
        for (MeshNode n : plane.nodes()) {
            long first = nodeFirstSeen.computeIfAbsent(n.peer(), p -> now);
            ObjectNode node = MeshViews.node(n, plane.self(), agent, now);
            ((ObjectNode) node.with("metadata")).put("creationTimestamp", Times.rfc3339(first));
            next.put(new Key(KubeKind.NODE, "", n.peer()), node);
        }
        publishDiff(state, next);
    }

    private void reapplyLater(KubeState state, KubeKind kind, String ns, String name, long now) {
        Key key = new Key(kind, ns, name);
        Long last = lastReapply.get(key);
        if (last == null || now - last >= REAPPLY_EVERY_MS) {
            lastReapply.put(key, now);
            try {
                state.reapply(kind, ns, name);
            } catch (RuntimeException e) {
                // named in the object's status by the next pass (no task): nothing else to do here
            }
        }
    }

    private void publishDiff(KubeState state, Map<Key, ObjectNode> next) {
        List<Runnable> changes = new ArrayList<>();
        synchronized (this) {
            Set<Key> gone = new HashSet<>(derived.keySet());
            for (Map.Entry<Key, ObjectNode> e : next.entrySet()) {
                Key k = e.getKey();
                gone.remove(k);
                ObjectNode old = derived.get(k);
                ObjectNode fresh = e.getValue();
                if (old != null) {
                    ObjectNode a = old.deepCopy();
                    ((ObjectNode) a.with("metadata")).remove("resourceVersion");
                    if (a.equals(fresh)) {
                        continue;
                    }
                }
                ((ObjectNode) fresh.with("metadata")).put("resourceVersion", Long.toString(store.nextRv()));
                derived.put(k, fresh);
                String type = old == null ? "ADDED" : "MODIFIED";
                ObjectNode copy = fresh.deepCopy();
                changes.add(() -> state.publish(type, k.kind(), k.namespace(), k.name(), copy));
            }
            for (Key k : gone) {
                ObjectNode last = derived.remove(k);
                ((ObjectNode) last.with("metadata")).put("resourceVersion", Long.toString(store.nextRv()));
                changes.add(() -> state.publish("DELETED", k.kind(), k.namespace(), k.name(), last));
            }
        }
        changes.forEach(Runnable::run);
    }
}

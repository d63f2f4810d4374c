package io.hivemesh.rest.internal.metrics;

import io.hivemesh.api.workload.MachinePlane;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;

/** A machine plane that reports the tasks, events and nodes a test sets. */
final class MachinePlaneFake implements MachinePlane {
    final List<Task> tasks = new ArrayList<>();
    final Map<String, List<Event>> events = new ConcurrentHashMap<>();
    final List<MeshNode> nodes = new ArrayList<>();

    static Replica replica(int index, long generation, String state) {
        return new Replica(index, "node-" + index, generation, state, "", List.of(), 0);
    }

    static Task task(String id, long generation, int replicas, List<Replica> assignments) {
        return new Task(id, "tenant-a", "name-" + id, generation, replicas, 100, 1 << 20, assignments, 0, 0);
    }

    void event(String taskId, long generation, String kind, long atMillis) {
        events.computeIfAbsent(taskId, k -> new ArrayList<>())
                .add(new Event(taskId, generation, "node-0", kind, kind, atMillis));
    }

    @Override
    public List<Task> tasks(String tenant) {
        return tenant == null ? List.copyOf(tasks) : tasks.stream().filter(t -> t.tenant().equals(tenant)).toList();
    }

    @Override
    public List<Event> events(String tenant, String name) {
        return tasks.stream().filter(t -> t.tenant().equals(tenant) && t.name().equals(name)).findFirst()
                .map(t -> List.copyOf(events.getOrDefault(t.taskId(), List.of()))).orElse(List.of());
    }

    @Override
    public List<MeshNode> nodes() {
        return List.copyOf(nodes);
    }

    @Override
    public String self() {
        return "node-0";
    }

    @Override
    public Applied apply(String tenant, String manifestYaml, OptionalInt replicas) {
        throw new UnsupportedOperationException();
    }

    @Override
    public Optional<Task> task(String tenant, String name) {
        return tasks.stream().filter(t -> t.tenant().equals(tenant) && t.name().equals(name)).findFirst();
    }

    @Override
    public CompletableFuture<Void> delete(String tenant, String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public CompletableFuture<List<String>> logs(String tenant, String name, int replica, int tail) {
        throw new UnsupportedOperationException();
    }
}

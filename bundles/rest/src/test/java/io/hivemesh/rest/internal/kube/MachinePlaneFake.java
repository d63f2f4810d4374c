package io.hivemesh.rest.internal.kube;

import io.hivemesh.api.workload.MachinePlane;
import io.hivemesh.api.workload.WorkloadRejectedException;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * An in-memory stand-in for the machine plane, for tests of the API's object model only (the
 * machine plane itself is tested in bundles/workload and end to end with real nodes): records what
 * it was asked, refuses manifests that contain {@code reject-me}, and lets a test set replicas.
 */
final class MachinePlaneFake implements MachinePlane {
    record ApplyCall(String tenant, String manifest, OptionalInt replicas) {
    }

    final List<ApplyCall> applied = new ArrayList<>();
    final List<String> deleted = new ArrayList<>();
    final Map<String, Task> tasks = new LinkedHashMap<>();
    final List<MeshNode> nodes = new ArrayList<>();

    @Override
    public String self() {
        return "12D3KooWSelf";
    }

    @Override
    public synchronized Applied apply(String tenant, String manifestYaml, OptionalInt replicas) {
        if (manifestYaml.contains("reject-me")) {
            throw new WorkloadRejectedException("document 1 (Pod x): spec.containers[0].image: 'reject-me' is not allowed");
        }
        applied.add(new ApplyCall(tenant, manifestYaml, replicas));
        String name = manifestYaml.replaceAll("(?s).*\"metadata\":\\{\"name\":\"([^\"]+)\".*", "$1");
        Task old = tasks.get(tenant + "/" + name);
        long gen = old == null ? 1 : old.generation() + 1;
        tasks.put(tenant + "/" + name, new Task("t-" + name, tenant, name, gen, replicas.orElse(1), 100, 1 << 20,
                old == null ? List.of() : old.assignments(), 1000, 2000));
        return new Applied("t-" + name, name, gen, replicas.orElse(1), true);
    }

    /** Sets the replicas of a task as its nodes would report them. */
    synchronized void report(String tenant, String name, List<Replica> replicas) {
        Task t = tasks.get(tenant + "/" + name);
        tasks.put(tenant + "/" + name, new Task(t.taskId(), t.tenant(), t.name(), t.generation(), t.replicas(),
                t.cpuMillis(), t.memoryBytes(), replicas, t.createdMillis(), t.updatedMillis()));
    }

    synchronized long generation(String tenant, String name) {
        return tasks.get(tenant + "/" + name).generation();
    }

    @Override
    public synchronized Optional<Task> task(String tenant, String name) {
        return Optional.ofNullable(tasks.get(tenant + "/" + name));
    }

    @Override
    public synchronized List<Task> tasks(String tenant) {
        return tasks.values().stream().filter(t -> tenant == null || t.tenant().equals(tenant)).toList();
    }

    @Override
    public synchronized CompletableFuture<Void> delete(String tenant, String name) {
        if (tasks.remove(tenant + "/" + name) == null) {
            throw new WorkloadRejectedException("no task " + name);
        }
        deleted.add(tenant + "/" + name);
        return CompletableFuture.completedFuture(null);
    }

    @Override
    public CompletableFuture<List<String>> logs(String tenant, String name, int replica, int tail) {
        return CompletableFuture.completedFuture(List.of("line 1", "line 2"));
    }

    @Override
    public List<Event> events(String tenant, String name) {
        Task t = tasks.get(tenant + "/" + name);
        return t == null ? List.of() : List.of(new Event(t.taskId(), t.generation(), self(), "Applied", name + " applied", 1500));
    }

    @Override
    public List<MeshNode> nodes() {
        return List.copyOf(nodes);
    }
}

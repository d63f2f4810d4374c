package io.hivemesh.workload.internal;

import io.hivemesh.api.runtime.RuntimeEngineException;
import io.hivemesh.api.workload.MachinePlane;
import io.hivemesh.api.workload.WorkloadRejectedException;
import io.hivemesh.protocol.MachineMessage.Heartbeat;
import io.hivemesh.protocol.MachineMessage.Port;
import io.hivemesh.workload.internal.WorkloadStore.Assignment;
import io.hivemesh.workload.internal.WorkloadStore.OwnedTask;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link MachinePlane} service: the machine plane of this node per tenant, for the REST and
 * Kubernetes API. A task is found by its id, the hash of (tenant, name), so one tenant never
 * reaches another's tasks.
 */
final class TenantMachinePlane implements MachinePlane {
    private final MachineNode node;

    TenantMachinePlane(MachineNode node) {
        this.node = node;
    }

    @Override
    public String self() {
        return node.context().self().toString();
    }

    @Override
    public Applied apply(String tenant, String manifestYaml, OptionalInt replicas) {
        OwnerTasks.Applied a;
        try {
            a = node.owner().apply(tenant, manifestYaml, replicas);
        } catch (WorkloadException | RuntimeEngineException | IllegalArgumentException e) {
            throw new WorkloadRejectedException(e.getMessage(), e);
        }
        if (a.changed()) {
            node.repairNow();
        }
        return new Applied(a.taskId(), a.name(), a.generation(), a.replicas(), a.changed());
    }

    @Override
    public Optional<Task> task(String tenant, String name) {
        return node.context().store().task(TaskIds.taskId(tenant, name)).map(TenantMachinePlane::view);
    }

    @Override
    public List<Task> tasks(String tenant) {
        List<Task> out = new ArrayList<>();
        for (OwnedTask t : node.owner().tasks()) {
            if (tenant == null || t.tenant().equals(tenant)) {
                out.add(view(t));
            }
        }
        return out;
    }

    @Override
    public CompletableFuture<Void> delete(String tenant, String name) {
        String id = TaskIds.taskId(tenant, name);
        if (node.context().store().task(id).isEmpty()) {
            throw new WorkloadRejectedException("no task '" + name + "' of tenant '" + tenant + "' owned by this node");
        }
        try {
            return node.owner().delete(id).thenApply(r -> null);
        } catch (WorkloadException e) {
            throw new WorkloadRejectedException(e.getMessage(), e);
        }
    }

    @Override
    public CompletableFuture<List<String>> logs(String tenant, String name, int replica, int tail) {
        OwnedTask t = node.context().store().task(TaskIds.taskId(tenant, name)).orElseThrow(() ->
                new WorkloadRejectedException("no task '" + name + "' of tenant '" + tenant + "' owned by this node"));
        return node.logs().fetch(t, replica, tail <= 0 ? ReplicaLogs.MAX_LINES : tail).thenApply(c -> c.lines());
    }

    @Override
    public List<Event> events(String tenant, String name) {
        return node.context().events().of(TaskIds.taskId(tenant, name)).stream()
                .map(e -> new Event(e.taskId(), e.generation(), e.node().toString(), e.kind(), e.message(), e.atMillis()))
                .toList();
    }

    @Override
    public List<MeshNode> nodes() {
        List<MeshNode> out = new ArrayList<>();
        for (Heartbeat h : node.nodes().all()) {
            MeshNode m = new MeshNode(h.node().toString(), h.cpuMillis(), h.memoryBytes(), h.freeCpuMillis(),
                    h.freeMemoryBytes(), h.replicas().size(), h.atMillis());
            if (m.peer().equals(self())) {
                out.add(0, m);
            } else {
                out.add(m);
            }
        }
        return out;
    }

    private static Task view(OwnedTask t) {
        List<Replica> replicas = new ArrayList<>();
        for (Assignment a : t.assignments()) {
            replicas.add(new Replica(a.replica(), a.node(), a.generation(), a.state(), a.reason(),
                    a.ports().stream().map(TenantMachinePlane::port).toList(), a.lastReportMillis()));
        }
        return new Task(t.taskId(), t.tenant(), t.name(), t.generation(), t.replicas(), t.cpuMillis(), t.memoryBytes(),
                replicas, t.createdMillis(), t.updatedMillis());
    }

    private static HostPort port(Port p) {
        return new HostPort(p.container(), p.containerPort(), p.protocol(), p.hostIp(), p.hostPort());
    }
}

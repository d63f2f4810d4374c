package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.ContentRouting;
import io.hivemesh.protocol.MachineMessage.Heartbeat;
import io.hivemesh.protocol.MachineMessage.LogsChunk;
import io.hivemesh.protocol.MachineMessage.Port;
import io.hivemesh.protocol.MachineMessage.StatusReport;
import io.hivemesh.protocol.MachineMessage.WorkloadEvent;
import io.hivemesh.workload.internal.WorkloadStore.Assignment;
import io.hivemesh.workload.internal.WorkloadStore.OwnedTask;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

/**
 * What the shell (and later REST) asks of the machine plane, answered from this node's state:
 * the owner's own records for tasks it owns, else the DHT's provider records and the gossiped
 * status reports. Accepts a task id or, when unambiguous, the manifest's {@code metadata.name}.
 */
public final class WorkloadService {
    private static final Pattern TASK_ID = Pattern.compile("[0-9a-f]{32}");

    private final MachineNode node;

    public WorkloadService(MachineNode node) {
        this.node = node;
    }

    public PeerId self() {
        return node.context().self();
    }

    /** One replica as a row. */
    public record ReplicaRow(int replica, String node, String state, long generation, List<Port> ports, String reason) {
    }

    /** One task as a row. */
    public record TaskRow(String taskId, String name, String tenant, long generation, int wanted, int running,
                          String owner) {
    }

    /** Applies {@code yaml} (see {@link OwnerTasks#apply}) and, when it changed the task, tenders at once. */
    public OwnerTasks.Applied apply(String yaml, OptionalInt replicas) {
        OwnerTasks.Applied a = node.owner().apply(node.context().settings().tenant(), yaml, replicas);
        if (a.changed()) {
            node.repairNow();
        }
        return a;
    }

    /** The tasks this node owns, then those it only heard of. */
    public List<TaskRow> list() {
        List<TaskRow> rows = new ArrayList<>();
        for (OwnedTask t : node.owner().tasks()) {
            int running = (int) t.assignments().stream().filter(a -> a.generation() == t.generation()
                    && a.state().equals("Running")).count();
            rows.add(new TaskRow(t.taskId(), t.name(), t.tenant(), t.generation(), t.replicas(), running,
                    self().toString()));
        }
        return rows;
    }

    /** The task id {@code idOrName} stands for (owned tasks by name first, else the default tenant's). */
    public String resolve(String idOrName) {
        Optional<OwnedTask> owned = node.owner().find(idOrName);
        if (owned.isPresent()) {
            return owned.get().taskId();
        }
        if (TASK_ID.matcher(idOrName).matches()) {
            return idOrName;
        }
        return TaskIds.taskId(node.context().settings().tenant(), idOrName);
    }

    /** The replicas of a task: the owner's assignments, or providers in the DHT with their gossiped status. */
    public List<ReplicaRow> get(String idOrName, Duration timeout) throws Exception {
        Optional<OwnedTask> owned = node.owner().find(idOrName);
        if (owned.isPresent()) {
            List<ReplicaRow> rows = new ArrayList<>();
            OwnedTask t = owned.get();
            for (Assignment a : t.assignments()) {
                rows.add(new ReplicaRow(a.replica(), a.node(), a.state(), a.generation(), a.ports(), a.reason()));
            }
            String why = node.context().events().of(t.taskId()).stream().filter(e -> e.kind().equals("Pending"))
                    .reduce((x, y) -> y).map(e -> e.message()).orElse("being scheduled");
            for (int r = 0; r < t.replicas(); r++) {
                int replica = r;
                if (t.assignments().stream().noneMatch(a -> a.replica() == replica && a.generation() == t.generation())) {
                    rows.add(new ReplicaRow(r, "-", "Pending", t.generation(), List.of(), why));
                }
            }
            rows.sort(java.util.Comparator.comparingInt(ReplicaRow::replica).thenComparingLong(ReplicaRow::generation));
            return rows;
        }
        String taskId = resolve(idOrName);
        Map<String, StatusReport> latestByNode = new LinkedHashMap<>();
        for (StatusReport s : node.directory().of(taskId)) {
            latestByNode.merge(s.node().toString(), s, (x, y) -> x.atMillis() >= y.atMillis() ? x : y);
        }
        List<String> providers = new ArrayList<>();
        // This node's own reports are in the directory too (StatusReporter keeps a local copy).
        ContentRouting routing = node.context().providers().get();
        if (routing != null) {
            CompletableFuture<Integer> found = routing.findProviders(TaskCids.of(taskId), 50,
                    p -> providers.add(p.peer().toString()));
            try {
                found.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException e) {
                found.cancel(true);
            }
        }
        List<ReplicaRow> rows = new ArrayList<>();
        for (String p : new java.util.LinkedHashSet<>(providers)) {
            StatusReport s = latestByNode.get(p);
            if (s == null) {
                rows.add(new ReplicaRow(-1, p, "Unknown", 0, List.of(), "provider record only, no status seen"));
            } else if (!s.state().equals("Failed") && !s.state().equals("Removed")) {
                rows.add(new ReplicaRow(s.replica(), p, s.state(), s.generation(), s.ports(), s.reason()));
            }
        }
        rows.sort(java.util.Comparator.comparingInt(ReplicaRow::replica));
        return rows;
    }

    public Optional<OwnedTask> owned(String idOrName) {
        return node.owner().find(idOrName);
    }

    /** The events known for a task. */
    public List<WorkloadEvent> events(String idOrName) {
        return node.context().events().of(resolve(idOrName));
    }

    /** Every event known. */
    public List<WorkloadEvent> events() {
        return node.context().events().all();
    }

    public CompletableFuture<List<String>> delete(String idOrName) {
        return node.owner().delete(idOrName);
    }

    public CompletableFuture<LogsChunk> logs(String idOrName, int replica, int tail) {
        OwnedTask t = node.owner().find(idOrName).orElseThrow(() -> new WorkloadException("no task '" + idOrName
                + "' owned by this node: logs are for the owner only"));
        return node.logs().fetch(t, replica, tail);
    }

    public List<Heartbeat> nodes() {
        return node.nodes().all();
    }
}

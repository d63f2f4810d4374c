package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.protocol.MachineMessage;
import io.hivemesh.protocol.MachineMessage.LogsChunk;
import io.hivemesh.protocol.MachineMessage.LogsRequest;
import io.hivemesh.workload.internal.WorkloadStore.Assignment;
import io.hivemesh.workload.internal.WorkloadStore.OwnedTask;
import io.hivemesh.workload.internal.WorkloadStore.RunningReplica;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Logs across the mesh: the owner asks the node running a replica, which answers only its owner,
 * from the runtime itself. Lines are bounded per answer.
 */
public final class ReplicaLogs {
    static final int MAX_LINES = 500;
    /** At most 3 bytes of UTF-8 per char: a line stays within the message string limit. */
    private static final int MAX_LINE_BYTES = 340;

    private final MachineContext ctx;
    private final ReplicaRuntime runtime;

    public ReplicaLogs(MachineContext ctx, ReplicaRuntime runtime) {
        this.ctx = ctx;
        this.runtime = runtime;
    }

    /** Worker side: the last lines of the replica, for its owner only. */
    CompletableFuture<MachineMessage> serve(PeerId from, LogsRequest r) {
        Optional<RunningReplica> replica = ctx.store().replicas().stream()
                .filter(x -> x.taskId().equals(r.taskId()) && x.replica() == r.replica())
                .max(java.util.Comparator.comparingLong(RunningReplica::generation));
        if (replica.isEmpty()) {
            return done(new LogsChunk(r.taskId(), r.replica(), ctx.self(), List.of(), "replica " + r.replica()
                    + " of task " + r.taskId() + " does not run on " + ctx.self()));
        }
        if (!replica.get().owner().equals(from.toString())) {
            return done(new LogsChunk(r.taskId(), r.replica(), ctx.self(), List.of(),
                    "logs are for the task's owner only"));
        }
        int tail = Math.max(1, Math.min(MAX_LINES, r.tail()));
        return runtime.engine(replica.get()).thenCompose(engine -> engine.isEmpty()
                ? done(new LogsChunk(r.taskId(), r.replica(), ctx.self(), List.of(), "no runtime holds the replica"))
                : engine.get().logs(replica.get().runtimeId(), tail).thenApply(lines -> new LogsChunk(r.taskId(),
                r.replica(), ctx.self(), bounded(lines), "")));
    }

    /** Owner side: the last {@code tail} lines of replica {@code replica} (-1: the first running one). */
    public CompletableFuture<LogsChunk> fetch(OwnedTask t, int replica, int tail) {
        Optional<Assignment> a = t.assignments().stream()
                .filter(x -> (replica < 0 || x.replica() == replica))
                .max(java.util.Comparator.comparingLong(Assignment::generation));
        if (a.isEmpty()) {
            return CompletableFuture.failedFuture(new WorkloadException("task " + t.name() + " has no replica "
                    + (replica < 0 ? "" : replica + " ") + "on any node"));
        }
        PeerId node = PeerId.parse(a.get().node());
        return ctx.reporter().send(node, new LogsRequest(t.taskId(), a.get().replica(), ctx.self(), tail, false))
                .thenApply(m -> {
                    if (m.isEmpty() || !(m.get() instanceof LogsChunk c)) {
                        throw new WorkloadException(node + " answered no logs");
                    }
                    if (!c.refusal().isEmpty()) {
                        throw new WorkloadException(node + ": " + c.refusal());
                    }
                    return c;
                });
    }

    private static List<String> bounded(List<String> lines) {
        List<String> tail = lines.size() > MAX_LINES ? lines.subList(lines.size() - MAX_LINES, lines.size()) : lines;
        return tail.stream().map(l -> l.length() > MAX_LINE_BYTES ? l.substring(0, MAX_LINE_BYTES) : l).toList();
    }

    private static CompletableFuture<MachineMessage> done(MachineMessage m) {
        return CompletableFuture.completedFuture(m);
    }
}

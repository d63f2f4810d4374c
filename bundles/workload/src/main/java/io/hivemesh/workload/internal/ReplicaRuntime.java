package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.WorkloadState;
import io.hivemesh.api.runtime.WorkloadStatus;
import io.hivemesh.workload.internal.WorkloadStore.RunningReplica;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * A replica on this node's runtime engine: the opened manifest checked against what was reserved,
 * cut to one replica, its unpublished container ports given free host ports, deployed under the replica's runtime id with this node's labels; stopped and
 * asked for its status by that id (so a restart finds it again through the runtime).
 */
public final class ReplicaRuntime {
    private final MachineContext ctx;

    public ReplicaRuntime(MachineContext ctx) {
        this.ctx = ctx;
    }

    /** Deploys {@code yaml} for {@code r}; fails naming the problem (manifest asks more than reserved, engine error). */
    CompletableFuture<WorkloadStatus> start(RunningReplica r, String yaml, PeerId owner) {
        ManifestResources.Parsed p;
        String one;
        try {
            p = ManifestResources.parse(yaml, ctx.defaults());
            if (p.cpuMillis() > r.cpuMillis() || p.memoryBytes() > r.memoryBytes()) {
                throw new WorkloadException("the manifest asks " + p.cpuMillis() + "m CPU and " + p.memoryBytes()
                        + " bytes per replica, more than the tender's " + r.cpuMillis() + "m and " + r.memoryBytes());
            }
            one = HostPorts.assign(ManifestResources.singleReplica(yaml), HostPorts::freePort);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
        return ctx.engines().select(ctx.settings().engine())
                .thenCompose(engine -> {
                    ctx.store().putReplica(r.withState(WorkerReplicas.DEPLOYING, "on " + engine.name()));
                    return engine.deploy(r.runtimeId(), one, WorkerReplicas.config(r, ctx.self()));
                });
    }

    /** Removes {@code r} from whichever engine holds it; completes normally when none does. */
    CompletableFuture<Void> stop(RunningReplica r) {
        return ctx.engines().locate(r.runtimeId()).thenCompose(engine -> engine.isEmpty()
                ? CompletableFuture.<Void>completedFuture(null)
                : engine.get().remove(r.runtimeId()))
                .exceptionally(e -> {
                    if (WorkerReplicas.isNoSuchWorkload(e)) {
                        return null;
                    }
                    throw e instanceof RuntimeException re ? re : new WorkloadException(e.getMessage(), e);
                });
    }

    /** The runtime's status of {@code r}; empty when no engine holds it. */
    CompletableFuture<Optional<WorkloadStatus>> status(RunningReplica r) {
        // Empty only when every engine says it has no such workload; any other failure (an engine
        // still starting, a runtime error) fails the check, so that it is never taken for a loss.
        List<RuntimeEngine> engines = ctx.engines().engines();
        if (engines.isEmpty()) {
            return CompletableFuture.failedFuture(new WorkloadException("no runtime engine is there yet"));
        }
        List<CompletableFuture<Optional<WorkloadStatus>>> asked = new java.util.ArrayList<>();
        for (RuntimeEngine e : engines) {
            asked.add(e.status(r.runtimeId()).handle((st, err) -> {
                if (err == null) {
                    return Optional.of(st);
                }
                if (WorkerReplicas.isNoSuchWorkload(err)) {
                    return Optional.<WorkloadStatus>empty();
                }
                throw new WorkloadException("engine " + e.name() + " could not tell: " + err.getMessage(), err);
            }));
        }
        return CompletableFuture.allOf(asked.toArray(CompletableFuture[]::new)).thenApply(v -> {
            for (CompletableFuture<Optional<WorkloadStatus>> a : asked) {
                if (a.join().isPresent()) {
                    return a.join();
                }
            }
            return Optional.empty();
        });
    }

    /** The engine holding {@code r}, if any. */
    CompletableFuture<Optional<RuntimeEngine>> engine(RunningReplica r) {
        return ctx.engines().locate(r.runtimeId());
    }

    /** The state name the machine plane reports for a runtime status. */
    static String stateName(WorkloadStatus s) {
        WorkloadState st = s.state();
        return switch (st) {
            case RUNNING -> "Running";
            case CREATED -> "Pending";
            case EXITED -> "Exited";
            case FAILED -> "Failed";
            default -> "Unknown";
        };
    }
}

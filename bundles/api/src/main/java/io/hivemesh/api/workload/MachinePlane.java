package io.hivemesh.api.workload;

import org.osgi.annotation.versioning.ProviderType;

import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * The machine plane of this node, per tenant: apply a Kubernetes Pod or Deployment to the mesh, read
 * back the tasks this node owns with their replicas as the runtimes report them, their events, their
 * logs, and the mesh's nodes. Every method answers from this node's state and never blocks on the
 * network except the futures it returns.
 */
@ProviderType
public interface MachinePlane {

    /** This node's PeerId, as text. */
    String self();

    /**
     * Hands {@code manifestYaml} (YAML or JSON) to the mesh for {@code tenant}: the same manifest and
     * replica count again changes nothing, a changed one is a new generation (rolling update).
     *
     * @param replicas the replica count, or empty to take the manifest's ({@code spec.replicas}, 1 for a Pod)
     * @throws WorkloadRejectedException if the manifest or the replica count is invalid (the message names the field)
     */
    Applied apply(String tenant, String manifestYaml, OptionalInt replicas);

    /** The task of {@code tenant} named {@code name} that this node owns. */
    Optional<Task> task(String tenant, String name);

    /** The tasks this node owns for {@code tenant}, or for every tenant when {@code tenant} is null. */
    List<Task> tasks(String tenant);

    /**
     * Deletes a task this node owns: the task is gone from {@link #tasks} when this returns, the
     * future completes when every node that ran or held a part of it was told (or found unreachable).
     *
     * @throws WorkloadRejectedException if this node owns no such task
     */
    CompletableFuture<Void> delete(String tenant, String name);

    /**
     * The last {@code tail} log lines (0: as many as the replica's node sends, at most 500) of one replica of a task this node owns, fetched
     * from the replica's node.
     *
     * @throws WorkloadRejectedException if this node owns no such task
     */
    CompletableFuture<List<String>> logs(String tenant, String name, int replica, int tail);

    /** The events known for a task, oldest first. */
    List<Event> events(String tenant, String name);

    /** The mesh's nodes as last heard, this node first. */
    List<MeshNode> nodes();

    /** What {@link #apply} did. */
    record Applied(String taskId, String name, long generation, int replicas, boolean changed) {
    }

    /** A task this node owns. */
    record Task(String taskId, String tenant, String name, long generation, int replicas, long cpuMillis,
                long memoryBytes, List<Replica> assignments, long createdMillis, long updatedMillis) {
        public Task {
            assignments = List.copyOf(assignments);
        }

        /** The replicas of the current generation in state {@code Running}. */
        public int running() {
            return (int) assignments.stream().filter(a -> a.generation() == generation && a.running()).count();
        }

        /** The replicas of the current generation, whatever their state. */
        public int current() {
            return (int) assignments.stream().filter(a -> a.generation() == generation).count();
        }
    }

    /** One replica of a task as its node last reported it. */
    record Replica(int index, String node, long generation, String state, String reason, List<HostPort> ports,
                   long lastReportMillis) {
        public Replica {
            ports = List.copyOf(ports);
        }

        public boolean running() {
            return state.equals("Running");
        }
    }

    /** A container port published on the replica's host. */
    record HostPort(String container, int containerPort, String protocol, String hostIp, int hostPort) {
    }

    /** Something that happened to a task. */
    record Event(String taskId, long generation, String node, String kind, String message, long atMillis) {
    }

    /** A node of the mesh with its capacity and what is free of it, as it last reported. */
    record MeshNode(String peer, long cpuMillis, long memoryBytes, long freeCpuMillis, long freeMemoryBytes,
                    int replicas, long atMillis) {
    }
}

package io.hivemesh.workload.command;

import io.hivemesh.workload.internal.WorkloadService;
import io.hivemesh.workload.internal.WorkloadStore.Assignment;
import io.hivemesh.workload.internal.WorkloadStore.OwnedTask;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.time.Instant;
import java.util.Optional;

/** {@code workload:describe ID}: the task, its replicas and its events. */
@Service
@Command(scope = "workload", name = "describe", description = "Describes a task: resources, key shares, replicas and events (tender, bids, award, shares, deploy, failures)")
public class DescribeCommand implements Action {
    @Reference
    WorkloadService workloads;

    @Argument(index = 0, name = "id", description = "Task id or metadata.name", required = true)
    String id;

    @Override
    public Object execute() {
        Optional<OwnedTask> owned = workloads.owned(id);
        if (owned.isPresent()) {
            OwnedTask t = owned.get();
            System.out.println("Task:        " + t.taskId());
            System.out.println("Name:        " + t.name() + " (tenant " + t.tenant() + ")");
            System.out.println("Owner:       " + workloads.self() + " (this node)");
            System.out.println("Generation:  " + t.generation());
            System.out.println("Replicas:    " + t.replicas() + " wanted, each " + t.cpuMillis() + "m CPU, "
                    + t.memoryBytes() + " bytes");
            System.out.println("Key shares:  " + (t.holders().isEmpty() ? "not distributed yet"
                    : t.threshold() + "-of-" + t.holders().size() + " over " + t.holders()));
            System.out.println("Created:     " + Instant.ofEpochMilli(t.createdMillis()));
            System.out.println("Replicas:");
            for (Assignment a : t.assignments()) {
                System.out.printf("  %d  %s  %s  gen %d  %s  %s%n", a.replica(), a.node(), a.state(), a.generation(),
                        Out.ports(a.ports()), a.reason());
            }
        } else {
            System.out.println("Task:        " + workloads.resolve(id) + " (owned by another node)");
        }
        System.out.println("Events:");
        Out.events(System.out, workloads.events(id));
        return null;
    }
}

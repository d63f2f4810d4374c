package io.hivemesh.workload.command;

import io.hivemesh.workload.internal.WorkloadService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.time.Duration;
import java.util.List;

/** {@code workload:get ID}: one row per replica. */
@Service
@Command(scope = "workload", name = "get", description = "Shows a task's replicas: node, state, ports, generation (from any node: DHT providers and their reports)")
public class GetCommand implements Action {
    @Reference
    WorkloadService workloads;

    @Option(name = "--timeout", description = "Seconds to look for providers in the DHT (not owned tasks)")
    int timeout = 10;

    @Argument(index = 0, name = "id", description = "Task id or metadata.name", required = true)
    String id;

    @Override
    public Object execute() throws Exception {
        List<WorkloadService.ReplicaRow> rows = workloads.get(id, Duration.ofSeconds(timeout));
        System.out.printf("%-7s %-52s %-10s %-16s %-4s %s%n", "REPLICA", "NODE", "STATE", "PORTS", "GEN", "REASON");
        for (WorkloadService.ReplicaRow r : rows) {
            System.out.printf("%-7s %-52s %-10s %-16s %-4d %s%n", r.replica() < 0 ? "?" : Integer.toString(r.replica()),
                    r.node(), r.state(), Out.ports(r.ports()), r.generation(), r.reason());
        }
        if (rows.isEmpty()) {
            System.out.println("no replica of " + id + " found");
        }
        return null;
    }
}

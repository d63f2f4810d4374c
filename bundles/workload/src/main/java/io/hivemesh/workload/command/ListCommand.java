package io.hivemesh.workload.command;

import io.hivemesh.workload.internal.WorkloadService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code workload:list}: the tasks this node owns. */
@Service
@Command(scope = "workload", name = "list", description = "Lists the tasks this node owns: id, name, generation, running/wanted replicas")
public class ListCommand implements Action {
    @Reference
    WorkloadService workloads;

    @Override
    public Object execute() {
        System.out.printf("%-32s %-24s %-10s %-4s %s%n", "ID", "NAME", "TENANT", "GEN", "READY");
        for (WorkloadService.TaskRow r : workloads.list()) {
            System.out.printf("%-32s %-24s %-10s %-4d %d/%d%n", r.taskId(), r.name(), r.tenant(), r.generation(),
                    r.running(), r.wanted());
        }
        return null;
    }
}

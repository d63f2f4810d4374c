package io.hivemesh.workload.command;

import io.hivemesh.workload.internal.WorkloadService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code workload:delete ID}: owner-signed delete of a task everywhere. */
@Service
@Command(scope = "workload", name = "delete", description = "Deletes a task this node owns: signed delete to every node running or holding a part of it")
public class DeleteCommand implements Action {
    @Reference
    WorkloadService workloads;

    @Argument(index = 0, name = "id", description = "Task id or metadata.name", required = true)
    String id;

    @Override
    public Object execute() throws Exception {
        for (String line : Out.await(workloads.delete(id))) {
            System.out.println(line);
        }
        return null;
    }
}

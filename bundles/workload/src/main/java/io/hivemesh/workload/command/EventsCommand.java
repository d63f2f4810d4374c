package io.hivemesh.workload.command;

import io.hivemesh.workload.internal.WorkloadService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code workload:events [ID]}: machine-plane events this node knows. */
@Service
@Command(scope = "workload", name = "events", description = "Shows the machine-plane events this node knows (its own and gossiped), of one task or all")
public class EventsCommand implements Action {
    @Reference
    WorkloadService workloads;

    @Argument(index = 0, name = "id", description = "Task id or metadata.name (default: every task)")
    String id;

    @Override
    public Object execute() {
        Out.events(System.out, id == null ? workloads.events() : workloads.events(id));
        return null;
    }
}

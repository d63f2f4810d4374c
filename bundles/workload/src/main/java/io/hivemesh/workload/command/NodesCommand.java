package io.hivemesh.workload.command;

import io.hivemesh.protocol.MachineMessage.Heartbeat;
import io.hivemesh.workload.internal.WorkloadService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.time.Instant;

/** {@code workload:nodes}: mesh nodes with capacity and free resources as they last reported. */
@Service
@Command(scope = "workload", name = "nodes", description = "Lists mesh nodes with their capacity, free resources and replicas, as they last reported")
public class NodesCommand implements Action {
    @Reference
    WorkloadService workloads;

    @Override
    public Object execute() {
        System.out.printf("%-52s %-10s %-12s %-10s %-12s %-8s %s%n", "NODE", "CPU", "MEMORY", "FREE CPU", "FREE MEM",
                "REPLICAS", "LAST REPORT");
        for (Heartbeat h : workloads.nodes()) {
            System.out.printf("%-52s %-10s %-12s %-10s %-12s %-8d %s%n", h.node(), h.cpuMillis() + "m",
                    mib(h.memoryBytes()), h.freeCpuMillis() + "m", mib(h.freeMemoryBytes()), h.replicas().size(),
                    Instant.ofEpochMilli(h.atMillis()));
        }
        return null;
    }

    private static String mib(long bytes) {
        return (bytes >> 20) + "Mi";
    }
}

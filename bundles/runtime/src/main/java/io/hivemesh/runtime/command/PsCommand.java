package io.hivemesh.runtime.command;

import io.hivemesh.api.runtime.EngineInfo;
import io.hivemesh.api.runtime.PortMapping;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.RuntimeEngines;
import io.hivemesh.api.runtime.WorkloadStatus;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code runtime:ps}: one row per workload of every available engine, as the runtimes report them. */
@Service
@Command(scope = "runtime", name = "ps", description = "Lists workloads: id, name, engine, state, ports")
public class PsCommand implements Action {
    @Reference
    RuntimeEngines engines;

    @Override
    public Object execute() throws Exception {
        List<WorkloadStatus> all = new ArrayList<>();
        List<String> failures = new ArrayList<>();
        for (RuntimeEngine engine : engines.engines()) {
            EngineInfo info = Await.of(engine.info());
            if (!info.available()) {
                continue;
            }
            try {
                all.addAll(Await.of(engine.list()));
            } catch (Exception e) {
                failures.add(engine.name() + ": " + e.getMessage());
            }
        }
        print(System.out, all);
        if (!failures.isEmpty()) {
            throw new IllegalStateException("could not list: " + String.join("; ", failures));
        }
        return null;
    }

    static void print(PrintStream out, List<WorkloadStatus> statuses) {
        ShellTable table = new ShellTable();
        table.column("Id");
        table.column("Name");
        table.column("Engine");
        table.column("State");
        table.column("Ports");
        for (WorkloadStatus s : statuses) {
            String state = s.state().name() + s.exitCode().map(c -> " (" + c + ")").orElse("");
            table.addRow().addContent(s.workloadId(), s.name(), s.engine(), state, ports(s.ports()));
        }
        table.print(out);
    }

    static String ports(List<PortMapping> ports) {
        return ports.stream().map(p -> (p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp()) + ":" + p.hostPort() + "->"
                + p.containerPort() + "/" + p.protocol()).collect(Collectors.joining(", "));
    }
}

package io.hivemesh.runtime.command;

import io.hivemesh.api.runtime.EngineInfo;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.RuntimeEngines;
import io.hivemesh.api.runtime.WorkloadStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code runtime:engines}: every installed engine, highest ranking first. */
@Service
@Command(scope = "runtime", name = "engines", description = "Lists the runtime engines: name, available, version, workload count")
public class EnginesCommand implements Action {
    @Reference
    RuntimeEngines engines;

    @Override
    public Object execute() throws Exception {
        ShellTable table = new ShellTable();
        table.column("Engine");
        table.column("Available");
        table.column("Version");
        table.column("Workloads");
        table.column("Reason");
        for (RuntimeEngine engine : engines.engines()) {
            EngineInfo info = Await.of(engine.info());
            String count = "-";
            if (info.available()) {
                CompletableFuture<List<WorkloadStatus>> list = engine.list();
                count = Integer.toString(Await.of(list).size());
            }
            table.addRow().addContent(engine.name(), info.available() ? "yes" : "no", info.version(), count,
                    info.reason() == null ? "" : info.reason());
        }
        table.print(System.out);
        return null;
    }
}

package io.hivemesh.runtime.command;

import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.RuntimeEngineException;
import io.hivemesh.api.runtime.RuntimeEngines;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code runtime:rm <id>}: stops and removes every container of a workload. */
@Service
@Command(scope = "runtime", name = "rm", description = "Removes a workload")
public class RmCommand implements Action {
    @Reference
    RuntimeEngines engines;

    @Argument(index = 0, name = "id", description = "Workload id", required = true)
    String id;

    @Override
    public Object execute() throws Exception {
        RuntimeEngine engine = Await.of(engines.locate(id)).orElseThrow(() ->
                new RuntimeEngineException("no runtime engine holds workload '" + id + "'"));
        Await.of(engine.remove(id));
        System.out.println("Removed " + id + " (" + engine.name() + ")");
        return null;
    }
}

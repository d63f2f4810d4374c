package io.hivemesh.runtime.command;

import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.RuntimeEngineException;
import io.hivemesh.api.runtime.RuntimeEngines;
import java.io.PrintStream;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code runtime:logs <id>}: the workload's log lines, or follows them with {@code -f} until Ctrl-C. */
@Service
@Command(scope = "runtime", name = "logs", description = "Shows a workload's logs")
public class LogsCommand implements Action {
    @Reference
    RuntimeEngines engines;

    @Argument(index = 0, name = "id", description = "Workload id", required = true)
    String id;

    @Option(name = "-f", aliases = "--follow", description = "Follow new lines until interrupted")
    boolean follow;

    @Option(name = "--tail", description = "Number of last lines (default 100)")
    int tail = 100;

    @Override
    public Object execute() throws Exception {
        RuntimeEngine engine = Await.of(engines.locate(id)).orElseThrow(() ->
                new RuntimeEngineException("no runtime engine holds workload '" + id + "'"));
        PrintStream out = System.out;
        if (!follow) {
            Await.of(engine.logs(id, tail)).forEach(out::println);
            return null;
        }
        CompletableFuture<Void> following = engine.followLogs(id, tail, line -> {
            out.println(line);
            out.flush();
        });
        try {
            following.get();
        } catch (InterruptedException e) {
            following.cancel(true);
            Thread.currentThread().interrupt();
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception ex ? ex : e;
        }
        return null;
    }
}

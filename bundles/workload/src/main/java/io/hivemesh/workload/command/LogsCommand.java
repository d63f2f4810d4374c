package io.hivemesh.workload.command;

import io.hivemesh.protocol.MachineMessage.LogsChunk;
import io.hivemesh.workload.internal.WorkloadService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.util.List;

/**
 * {@code workload:logs [-f] [--replica R] ID}: a replica's log lines, fetched from its node (owner
 * only). With {@code -f} it keeps asking once a second and prints the lines that are new.
 */
@Service
@Command(scope = "workload", name = "logs", description = "Shows a replica's logs, fetched from the node running it (owner only); -f follows")
public class LogsCommand implements Action {
    @Reference
    WorkloadService workloads;

    @Option(name = "-f", aliases = "--follow", description = "Keep printing new lines until interrupted (Ctrl-C)")
    boolean follow;

    @Option(name = "--replica", description = "Replica index (default: the first one found)")
    int replica = -1;

    @Option(name = "--tail", description = "Lines to show first (at most 500)")
    int tail = 100;

    @Argument(index = 0, name = "id", description = "Task id or metadata.name", required = true)
    String id;

    @Override
    public Object execute() throws Exception {
        List<String> last = Out.await(workloads.logs(id, replica, tail)).lines();
        last.forEach(System.out::println);
        while (follow && !Thread.currentThread().isInterrupted()) {
            try {
                Thread.sleep(1000);
            } catch (InterruptedException e) {
                break;
            }
            LogsChunk next = Out.await(workloads.logs(id, replica, 500));
            List<String> lines = next.lines();
            for (String l : newLines(last, lines)) {
                System.out.println(l);
            }
            last = lines;
        }
        return null;
    }

    /** The lines of {@code now} after the longest suffix of {@code before} that {@code now} starts with. */
    static List<String> newLines(List<String> before, List<String> now) {
        for (int k = Math.min(before.size(), now.size()); k > 0; k--) {
            if (before.subList(before.size() - k, before.size()).equals(now.subList(0, k))) {
                return now.subList(k, now.size());
            }
        }
        return now;
    }
}

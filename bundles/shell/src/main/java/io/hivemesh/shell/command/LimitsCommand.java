package io.hivemesh.shell.command;

import io.hivemesh.api.net.ResourceManager;
import io.hivemesh.api.net.ScopeUsage;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code mesh:limits}: the resource manager's scopes, usage against limits. */
@Service
@Command(scope = "mesh", name = "limits",
        description = "Shows connections, streams and buffered memory per scope (system, transient, peers, protocols)"
                + " against their limits (etc/io.hivemesh.transport.limits.cfg)")
public class LimitsCommand implements Action {
    @Reference(optional = true)
    ResourceManager resources;

    @Override
    public Object execute() {
        if (resources == null) {
            throw new IllegalStateException(HostCommands.NO_HOST);
        }
        ShellTable table = new ShellTable();
        table.column("Scope");
        table.column("Memory");
        table.column("Conns in");
        table.column("Conns out");
        table.column("Streams in");
        table.column("Streams out");
        for (ScopeUsage u : resources.usage()) {
            table.addRow().addContent(u.scope(), bytes(u.memory()) + " / " + bytes(u.memoryLimit()),
                    count(u.inboundConnections(), u.inboundConnectionsLimit()),
                    count(u.outboundConnections(), u.outboundConnectionsLimit()),
                    count(u.inboundStreams(), u.inboundStreamsLimit()),
                    count(u.outboundStreams(), u.outboundStreamsLimit()));
        }
        table.print(System.out);
        return null;
    }

    static String bytes(long n) {
        if (n == Long.MAX_VALUE) {
            return "-";
        }
        if (n >= 1 << 20) {
            return String.format("%.1f MiB", n / 1048576.0);
        }
        if (n >= 1 << 10) {
            return String.format("%.1f KiB", n / 1024.0);
        }
        return n + " B";
    }

    static String count(int used, int limit) {
        return limit == Integer.MAX_VALUE ? used + "" : used + " / " + limit;
    }
}

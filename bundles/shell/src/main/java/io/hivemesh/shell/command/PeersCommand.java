package io.hivemesh.shell.command;

import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.Host;
import java.time.Duration;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code mesh:peers}: the open connections, one row each. */
@Service
@Command(scope = "mesh", name = "peers", description = "Lists the open libp2p connections")
public class PeersCommand implements Action {
    @Reference(optional = true)
    Host host;

    @Override
    public Object execute() {
        if (host == null) {
            throw new IllegalStateException(HostCommands.NO_HOST);
        }
        ShellTable table = new ShellTable();
        table.column("PeerId");
        table.column("Direction");
        table.column("Address");
        table.column("Latency");
        for (Connection c : host.connections()) {
            table.addRow().addContent(c.remotePeer(), c.isOutbound() ? "out" : "in", c.remoteAddress(),
                    host.peerStore().latency(c.remotePeer()).map(PeersCommand::ms).orElse("-"));
        }
        table.print(System.out);
        return null;
    }

    static String ms(Duration d) {
        return String.format("%.2f ms", d.toNanos() / 1e6);
    }
}

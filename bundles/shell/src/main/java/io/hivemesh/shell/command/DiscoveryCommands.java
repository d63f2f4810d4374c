package io.hivemesh.shell.command;

import io.hivemesh.api.discovery.BootstrapResult;
import io.hivemesh.api.discovery.DiscoveredPeer;
import java.io.PrintStream;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import org.apache.karaf.shell.support.table.ShellTable;

/** What the discovery:* commands share: the no-discovery message and rendering. */
final class DiscoveryCommands {
    static final String NO_DISCOVERY = "This node has no discovery: the hivemesh-discovery feature is not running (see"
            + " `scr:info io.hivemesh.discovery.internal.DiscoveryComponent` and log:display).";
    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss'Z'").withZone(ZoneOffset.UTC);

    private DiscoveryCommands() {
    }

    static String time(Instant t) {
        return TIME.format(t);
    }

    static void peers(List<DiscoveredPeer> peers, PrintStream out) {
        ShellTable table = new ShellTable();
        table.column("PeerId");
        table.column("Found by");
        table.column("First seen");
        table.column("Last seen");
        table.column("Connected");
        table.column("Addresses");
        for (DiscoveredPeer p : peers) {
            table.addRow().addContent(p.peer(), p.source(), time(p.firstSeen()), time(p.lastSeen()), p.connected() ? "yes" : "no",
                    p.addresses().size());
        }
        table.print(out);
    }

    static void bootstrap(BootstrapResult r, PrintStream out) {
        out.println("Connected (" + r.connected().size() + ")");
        r.connected().forEach(c -> out.println("  " + c));
        out.println("Failed (" + r.failed().size() + ")");
        r.failed().forEach(f -> out.println("  " + f));
    }
}

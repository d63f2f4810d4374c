package io.hivemesh.shell.command;

import io.hivemesh.api.pubsub.PubSub;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.apache.karaf.shell.support.table.ShellTable;

/** {@code pubsub:topics}: the topics this node is subscribed to, with their peers and mesh sizes. */
@Service
@Command(scope = "pubsub", name = "topics", description = "Lists this node's topics: subscribed peers, mesh size, collected by pubsub:sub")
public class PubSubTopicsCommand implements Action {
    @Reference(optional = true)
    PubSub pubsub;

    PubSubCollector collector = PubSubCollector.shared();

    @Override
    public Object execute() {
        PubSub ps = PubSubCommands.require(pubsub);
        ShellTable table = new ShellTable();
        table.column("Topic");
        table.column("Peers");
        table.column("Mesh");
        table.column("Collected");
        for (String t : ps.topics()) {
            table.addRow().addContent(t, ps.peers(t).size(), ps.mesh(t).size(), collector.collecting(t) ? "yes" : "no");
        }
        table.print(System.out);
        return null;
    }
}

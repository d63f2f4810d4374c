package io.hivemesh.shell.command;

import io.hivemesh.api.routing.RoutingTableInfo;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code dht:table}: mode, buckets and peers of the routing table. */
@Service
@Command(scope = "dht", name = "table", description = "Prints the DHT mode, the routing table's buckets and peers, and store sizes")
public class DhtTableCommand implements Action {
    @Reference(optional = true)
    RoutingTableInfo info;

    @Override
    public Object execute() {
        if (info == null) {
            throw new IllegalStateException(DhtCommands.NO_DHT);
        }
        System.out.print(DhtCommands.table(info));
        return null;
    }
}

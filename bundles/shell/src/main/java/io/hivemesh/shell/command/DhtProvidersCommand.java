package io.hivemesh.shell.command;

import io.hivemesh.api.multiformats.Cid;
import io.hivemesh.api.routing.ContentRouting;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code dht:providers <cid>}: prints providers as they are found. */
@Service
@Command(scope = "dht", name = "providers", description = "Finds providers of a CID, one line each as found")
public class DhtProvidersCommand implements Action {
    @Reference(optional = true)
    ContentRouting routing;

    @Argument(index = 0, name = "cid", required = true, description = "The CID")
    String cid;

    @Option(name = "-n", aliases = "--limit", description = "Stop after this many providers (1..1000)")
    int limit = 20;

    @Override
    public Object execute() {
        if (routing == null) {
            throw new IllegalStateException(DhtCommands.NO_DHT);
        }
        if (limit < 1 || limit > 1000) {
            throw new IllegalArgumentException("-n must be between 1 and 1000, was " + limit);
        }
        Cid c = Cid.parse(cid);
        int n = HostCommands.await(routing.findProviders(c, limit, p -> System.out.println(DhtCommands.peerLine(p))),
                "providers " + c);
        System.out.println(n + " providers");
        return null;
    }
}

package io.hivemesh.shell.command;

import io.hivemesh.api.multiformats.Cid;
import io.hivemesh.api.routing.ContentRouting;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code dht:provide <cid>}: announces this node as a provider. */
@Service
@Command(scope = "dht", name = "provide", description = "Announces this node as a provider of a CID")
public class DhtProvideCommand implements Action {
    @Reference(optional = true)
    ContentRouting routing;

    @Argument(index = 0, name = "cid", required = true, description = "The CID")
    String cid;

    @Override
    public Object execute() {
        if (routing == null) {
            throw new IllegalStateException(DhtCommands.NO_DHT);
        }
        Cid c = Cid.parse(cid);
        int peers = HostCommands.await(routing.provide(c), "provide " + c);
        System.out.println("providing " + c + " (told " + peers + " peers)");
        return null;
    }
}

package io.hivemesh.shell.command;

import io.hivemesh.api.multiformats.Cid;
import io.hivemesh.api.routing.ContentRouting;
import java.io.PrintStream;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code dht:withdraw <cid>}: stops providing a CID (peers keep their entries until they expire). */
@Service
@Command(scope = "dht", name = "withdraw",
        description = "Stops providing a CID: no more reproviding, this node's own entry dropped; peers' entries expire")
public class DhtWithdrawCommand implements Action {
    @Reference(optional = true)
    ContentRouting routing;

    @Argument(index = 0, name = "cid", required = true, description = "The CID")
    String cid;

    @Override
    public Object execute() {
        if (routing == null) {
            throw new IllegalStateException(DhtCommands.NO_DHT);
        }
        run(System.out, routing, Cid.parse(cid));
        return null;
    }

    /** Withdraws {@code c} and says whether this node was providing it. */
    static void run(PrintStream out, ContentRouting routing, Cid c) {
        boolean was = routing.provided().stream().anyMatch(p -> p.multihash().equals(c.multihash()));
        HostCommands.await(routing.withdraw(c), "withdraw " + c);
        out.println(was ? "withdrew " + c + " (peers drop their entries when these expire)" : "was not providing " + c);
    }
}

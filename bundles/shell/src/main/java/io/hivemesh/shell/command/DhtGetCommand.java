package io.hivemesh.shell.command;

import io.hivemesh.api.routing.ValueStore;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code dht:get <key>}: the best value of a record. */
@Service
@Command(scope = "dht", name = "get", description = "Looks a record up in the DHT and prints its value (UTF-8)")
public class DhtGetCommand implements Action {
    @Reference(optional = true)
    ValueStore store;

    @Argument(index = 0, name = "key", required = true, description = "/<namespace>/<name>")
    String key;

    @Option(name = "-q", aliases = "--quorum", description = "Valid answers to wait for (1..20)")
    int quorum = 1;

    @Override
    public Object execute() {
        if (store == null) {
            throw new IllegalStateException(DhtCommands.NO_DHT);
        }
        if (quorum < 1 || quorum > 20) {
            throw new IllegalArgumentException("-q must be between 1 and 20, was " + quorum);
        }
        Optional<byte[]> v = HostCommands.await(store.get(DhtCommands.key(key), quorum), "get " + key);
        System.out.println(v.map(b -> new String(b, StandardCharsets.UTF_8)).orElse("(not found: " + key + ")"));
        return null;
    }
}

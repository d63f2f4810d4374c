package io.hivemesh.shell.command;

import io.hivemesh.api.routing.ValueStore;
import java.nio.charset.StandardCharsets;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code dht:put <key> <value>}: stores a record locally and on the closest peers. */
@Service
@Command(scope = "dht", name = "put", description = "Stores a record (key /<namespace>/<name>, UTF-8 value) in the DHT")
public class DhtPutCommand implements Action {
    @Reference(optional = true)
    ValueStore store;

    @Argument(index = 0, name = "key", required = true, description = "/<namespace>/<name>, e.g. /mesh/hello")
    String key;

    @Argument(index = 1, name = "value", required = true, description = "The value (UTF-8 text)")
    String value;

    @Override
    public Object execute() {
        if (store == null) {
            throw new IllegalStateException(DhtCommands.NO_DHT);
        }
        int peers = HostCommands.await(store.put(DhtCommands.key(key), value.getBytes(StandardCharsets.UTF_8)), "put " + key);
        System.out.println("stored " + key + " on " + peers + " peers");
        return null;
    }
}

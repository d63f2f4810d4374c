package io.hivemesh.shell.command;

import io.hivemesh.api.routing.RoutingTableInfo;
import java.io.IOException;
import java.util.Dictionary;
import java.util.Hashtable;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * {@code dht:mode [client|server]}: prints the mode, or switches it by updating {@code mode} in the
 * DHT's configuration (PID io.hivemesh.dht; persistent, applied live).
 */
@Service
@Command(scope = "dht", name = "mode", description = "Prints or sets the DHT mode (server: serves the protocol; client: queries only)")
public class DhtModeCommand implements Action {
    static final String PID = "io.hivemesh.dht";

    @Reference(optional = true)
    RoutingTableInfo info;

    @Reference
    ConfigurationAdmin configAdmin;

    @Argument(index = 0, name = "mode", required = false, description = "client or server")
    String mode;

    @Override
    public Object execute() throws IOException {
        if (mode == null) {
            if (info == null) {
                throw new IllegalStateException(DhtCommands.NO_DHT);
            }
            System.out.println(info.mode());
            return null;
        }
        if (!mode.equals("client") && !mode.equals("server")) {
            throw new IllegalArgumentException("mode is client or server, not '" + mode + "'");
        }
        Configuration c = configAdmin.getConfiguration(PID, null);
        Dictionary<String, Object> props = c.getProperties() != null ? c.getProperties() : new Hashtable<>();
        props.put("mode", mode);
        c.update(props);
        System.out.println("DHT mode set to " + mode + " (" + PID + ")");
        return null;
    }
}

package io.hivemesh.shell.command;

import io.hivemesh.api.discovery.Discovery;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code discovery:peers}: every peer found, how and when, and whether it is connected. */
@Service
@Command(scope = "discovery", name = "peers", description = "Lists the peers discovery found: how, when, and whether connected")
public class DiscoveryPeersCommand implements Action {
    @Reference(optional = true)
    Discovery discovery;

    @Override
    public Object execute() {
        if (discovery == null) {
            throw new IllegalStateException(DiscoveryCommands.NO_DISCOVERY);
        }
        DiscoveryCommands.peers(discovery.peers(), System.out);
        return null;
    }
}

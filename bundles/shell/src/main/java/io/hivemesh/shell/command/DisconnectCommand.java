package io.hivemesh.shell.command;

import io.hivemesh.api.net.Host;
import io.hivemesh.api.peer.PeerId;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code mesh:disconnect <peerId>}: closes every connection to a peer. */
@Service
@Command(scope = "mesh", name = "disconnect", description = "Closes every connection to a peer")
public class DisconnectCommand implements Action {
    @Reference(optional = true)
    Host host;

    @Argument(index = 0, name = "peerId", required = true, description = "The peer's PeerId")
    String peer;

    @Override
    public Object execute() {
        if (host == null) {
            throw new IllegalStateException(HostCommands.NO_HOST);
        }
        PeerId id = PeerId.parse(peer);
        long before = host.connections().stream().filter(c -> c.remotePeer().equals(id)).count();
        HostCommands.await(host.disconnect(id), "disconnect " + id);
        System.out.println("Closed " + before + " connection(s) to " + id);
        return null;
    }
}

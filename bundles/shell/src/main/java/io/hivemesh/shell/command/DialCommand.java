package io.hivemesh.shell.command;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.Host;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code mesh:dial <multiaddr>}: opens a secured connection. */
@Service
@Command(scope = "mesh", name = "dial", description = "Connects to a peer at a multiaddr (/ip4/../tcp/../p2p/..)")
public class DialCommand implements Action {
    @Reference(optional = true)
    Host host;

    @Argument(index = 0, name = "multiaddr", required = true, description = "Address, optionally ending in /p2p/<id>")
    String address;

    @Override
    public Object execute() {
        if (host == null) {
            throw new IllegalStateException(HostCommands.NO_HOST);
        }
        Connection c = HostCommands.await(host.connect(Multiaddr.parse(address)), "dial " + address);
        System.out.println("Connected to " + c.remotePeer() + " at " + c.remoteAddress());
        return null;
    }
}

package io.hivemesh.shell.command;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.PeerInfo;
import io.hivemesh.api.routing.PeerRouting;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code dht:findpeer <peerId>}: a peer's addresses through the DHT. */
@Service
@Command(scope = "dht", name = "findpeer", description = "Finds a peer's addresses through the DHT")
public class DhtFindPeerCommand implements Action {
    @Reference(optional = true)
    PeerRouting routing;

    @Argument(index = 0, name = "peerId", required = true, description = "The PeerId")
    String peer;

    @Override
    public Object execute() {
        if (routing == null) {
            throw new IllegalStateException(DhtCommands.NO_DHT);
        }
        PeerId id = PeerId.parse(peer);
        Optional<PeerInfo> found = HostCommands.await(routing.findPeer(id), "findpeer " + id);
        System.out.println(found.map(DhtCommands::peerLine).orElse("(not found: " + id + ")"));
        return null;
    }
}

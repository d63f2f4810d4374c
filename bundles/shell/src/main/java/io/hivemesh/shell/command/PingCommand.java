package io.hivemesh.shell.command;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.peer.PeerId;
import java.time.Duration;
import java.util.List;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code mesh:ping <multiaddr|peerId> [-c N]}: libp2p ping, one line per round trip. */
@Service
@Command(scope = "mesh", name = "ping", description = "Pings a peer with /ipfs/ping/1.0.0 and prints each round trip")
public class PingCommand implements Action {
    @Reference(optional = true)
    Host host;

    @Argument(index = 0, name = "target", required = true, description = "A multiaddr (dialed first) or a PeerId")
    String target;

    @Option(name = "-c", aliases = "--count", description = "Number of pings (1..100)")
    int count = 3;

    @Override
    public Object execute() {
        if (host == null) {
            throw new IllegalStateException(HostCommands.NO_HOST);
        }
        if (count < 1 || count > 100) {
            throw new IllegalArgumentException("-c must be between 1 and 100, was " + count);
        }
        PeerId peer = HostCommands.peerOf(target);
        if (target.startsWith("/")) {
            host.peerStore().addAddresses(peer, List.of(Multiaddr.parse(target).withoutPeerId()), Duration.ofMinutes(10));
        }
        for (int i = 1; i <= count; i++) {
            Duration rtt = HostCommands.await(host.ping(peer), "ping " + peer);
            System.out.println("ping " + i + " " + peer + ": " + PeersCommand.ms(rtt));
        }
        return null;
    }
}

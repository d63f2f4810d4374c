package io.hivemesh.shell.command;

import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.Host;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code mesh:id}: this node's PeerId, agent version, listen addresses and the transport's facts (its Noise cipher). */
@Service
@Command(scope = "mesh", name = "id", description = "Shows this node's PeerId, agent version, listen addresses and Noise cipher")
public class NodeIdCommand implements Action {
    static final String NO_IDENTITY = "This node has no identity: the identity service is not running,"
            + " usually because its key file is unreadable or corrupt. The reason is in"
            + " `scr:info io.hivemesh.crypto.internal.IdentityComponent` and the log (log:display).";

    /** Optional so that the command can say why there is no identity instead of vanishing. */
    @Reference(optional = true)
    NodeIdentity identity;

    @Reference(optional = true)
    Host host;

    @Override
    public Object execute() {
        if (identity == null) {
            throw new IllegalStateException(NO_IDENTITY);
        }
        print(System.out, identity, host == null ? null : host.listenAddresses(), host == null ? Map.of() : host.info());
        return null;
    }

    /**
     * Renders the command's output; {@code listen} is null when no transport is installed; {@code info}
     * is the host's {@link Host#info()} (its {@value Host#INFO_CIPHER} shown as {@code Cipher}).
     */
    static void print(PrintStream out, NodeIdentity identity, List<Multiaddr> listen, Map<String, String> info) {
        out.println("PeerId   " + identity.peerId());
        out.println("Agent    " + identity.agentVersion());
        if (listen == null) {
            out.println("Listen   (no transport installed)");
        } else if (listen.isEmpty()) {
            out.println("Listen   (not listening)");
        } else {
            String suffix = "/p2p/" + identity.peerId();
            String label = "Listen   ";
            for (Multiaddr address : listen) {
                out.println(label + address + suffix);
                label = "         ";
            }
        }
        String cipher = info.get(Host.INFO_CIPHER);
        if (cipher != null) {
            out.println("Cipher   " + cipher);
        }
    }
}

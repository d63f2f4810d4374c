package io.hivemesh.rest.internal.ui;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.workload.MachinePlane;

import java.util.ArrayList;
import java.util.List;

/** Reads a {@link Snapshot} from the node's services; each may be absent (null) and the snapshot says so. */
final class NodeState {
    private NodeState() {
    }

    static ObjectNode snapshot(NodeIdentity identity, Host host, MachinePlane plane) {
        String peerId = identity != null ? identity.peerId().toString()
                : host != null ? host.peerId().toString() : plane != null ? plane.self() : null;
        List<String> addresses = new ArrayList<>();
        List<Snapshot.Peer> peers = null;
        if (host != null) {
            String suffix = peerId == null ? "" : "/p2p/" + peerId;
            for (Multiaddr a : host.listenAddresses()) {
                addresses.add(a + suffix);
            }
            peers = new ArrayList<>();
            for (Connection c : host.connections()) {
                if (c.isOpen()) {
                    peers.add(new Snapshot.Peer(c.remotePeer().toString(), String.valueOf(c.remoteAddress()),
                            c.isOutbound()));
                }
            }
        }
        Snapshot.Self self = new Snapshot.Self(peerId, identity == null ? null : identity.agentVersion(), addresses);
        return Snapshot.of(self, peers, plane == null ? null : plane.nodes(), plane == null ? null : plane.tasks(null));
    }
}

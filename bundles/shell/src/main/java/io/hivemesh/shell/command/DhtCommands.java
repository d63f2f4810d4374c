package io.hivemesh.shell.command;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.PeerInfo;
import io.hivemesh.api.routing.RoutingTableInfo;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What the dht:* commands share: the no-DHT message, key parsing and rendering. */
final class DhtCommands {
    static final String NO_DHT = "This node has no DHT: the hivemesh-dht feature is not running (see"
            + " `scr:info io.hivemesh.dht.internal.DhtComponent` and log:display).";

    private DhtCommands() {
    }

    /** A record key as typed: {@code /<namespace>/<rest>}, UTF-8. */
    static byte[] key(String text) {
        if (!text.startsWith("/") || text.indexOf('/', 1) < 2) {
            throw new IllegalArgumentException("a record key is /<namespace>/<name>, e.g. /mesh/hello; got '" + text + "'");
        }
        return text.getBytes(StandardCharsets.UTF_8);
    }

    static String peerLine(PeerInfo p) {
        return p.peer() + (p.addresses().isEmpty() ? "" : "  "
                + p.addresses().stream().map(Multiaddr::toString).collect(Collectors.joining(" ")));
    }

    static String table(RoutingTableInfo info) {
        StringBuilder sb = new StringBuilder();
        Map<Integer, List<PeerId>> buckets = info.buckets();
        int peers = buckets.values().stream().mapToInt(List::size).sum();
        sb.append("Mode      ").append(info.mode()).append('\n');
        sb.append("Protocol  ").append(info.protocol()).append('\n');
        sb.append("Peers     ").append(peers).append(" in ").append(buckets.size()).append(" buckets\n");
        sb.append("Stored    ").append(info.storedRecords()).append(" records, ")
                .append(info.storedProviderKeys()).append(" provider keys\n");
        buckets.forEach((i, ps) -> {
            sb.append(String.format("bucket %3d (%d)%n", i, ps.size()));
            ps.forEach(p -> sb.append("  ").append(p).append('\n'));
        });
        return sb.toString();
    }
}

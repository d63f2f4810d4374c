package io.hivemesh.rest.internal.ui;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.api.workload.MachinePlane;
import io.hivemesh.rest.internal.http.Json;

import java.util.Comparator;
import java.util.List;

/**
 * What the dashboard shows, as one JSON object: this node, its connected peers, the mesh's nodes with
 * their capacity, the workloads with their replicas, and the transfers (none: there is no content
 * exchange yet). Lists are sorted so that the same state always gives the same bytes; times that
 * change with every heartbeat ({@code atMillis}, {@code lastReportMillis}) are left out, so that a
 * new snapshot means something the page shows changed.
 */
public final class Snapshot {
    /** The text the page shows for transfers until the node exchanges content. */
    public static final String NO_TRANSFERS = "none (no content exchange in this node yet)";

    /** This node: {@code peerId} and {@code agent} null when the identity service is not running. */
    public record Self(String peerId, String agent, List<String> addresses) {
        public Self {
            addresses = List.copyOf(addresses);
        }
    }

    /** One open connection to a peer. */
    public record Peer(String peerId, String address, boolean outbound) {
    }

    private Snapshot() {
    }

    /**
     * The snapshot of the given state. {@code nodes} or {@code tasks} null means the machine plane is
     * not running; {@code peers} null means the transport is not running; each such absence is named
     * in {@code problems}.
     */
    public static ObjectNode of(Self self, List<Peer> peers, List<MachinePlane.MeshNode> nodes,
                                List<MachinePlane.Task> tasks) {
        ObjectNode s = Json.object();
        ArrayNode problems = Json.MAPPER.createArrayNode();
        ObjectNode node = s.putObject("node");
        node.put("peerId", self.peerId()).put("agent", self.agent());
        ArrayNode addresses = node.putArray("addresses");
        self.addresses().stream().sorted().forEach(addresses::add);
        if (self.peerId() == null) {
            problems.add("the node's identity service is not running");
        }

        ArrayNode ps = s.putArray("peers");
        if (peers == null) {
            problems.add("the transport (Host) is not running: no peers known");
        } else {
            peers.stream().sorted(Comparator.comparing(Peer::peerId).thenComparing(Peer::address)
                    .thenComparing(Peer::outbound)).forEach(p -> ps.addObject().put("peerId", p.peerId())
                    .put("address", p.address()).put("direction", p.outbound() ? "outbound" : "inbound"));
        }

        ArrayNode ns = s.putArray("nodes");
        ArrayNode ws = s.putArray("workloads");
        if (nodes == null || tasks == null) {
            problems.add("the machine plane is not running: no mesh nodes or workloads known");
        } else {
            for (MachinePlane.MeshNode n : nodes.stream().sorted(Comparator.comparing(
                    (MachinePlane.MeshNode n) -> !n.peer().equals(self.peerId())).thenComparing(MachinePlane.MeshNode::peer))
                    .toList()) {
                ns.addObject().put("peer", n.peer()).put("self", n.peer().equals(self.peerId()))
                        .put("cpuMillis", n.cpuMillis()).put("memoryBytes", n.memoryBytes())
                        .put("freeCpuMillis", n.freeCpuMillis()).put("freeMemoryBytes", n.freeMemoryBytes())
                        .put("replicas", n.replicas());
            }
            for (MachinePlane.Task t : tasks.stream().sorted(Comparator.comparing(MachinePlane.Task::tenant)
                    .thenComparing(MachinePlane.Task::name).thenComparing(MachinePlane.Task::taskId)).toList()) {
                ObjectNode w = ws.addObject().put("tenant", t.tenant()).put("name", t.name())
                        .put("taskId", t.taskId()).put("generation", t.generation()).put("replicas", t.replicas())
                        .put("running", t.running()).put("cpuMillis", t.cpuMillis())
                        .put("memoryBytes", t.memoryBytes());
                ArrayNode rs = w.putArray("assignments");
                for (MachinePlane.Replica r : t.assignments().stream().sorted(Comparator
                        .comparingInt(MachinePlane.Replica::index).thenComparingLong(MachinePlane.Replica::generation)
                        .thenComparing(MachinePlane.Replica::node)).toList()) {
                    ObjectNode rn = rs.addObject().put("index", r.index()).put("node", r.node())
                            .put("generation", r.generation()).put("state", r.state()).put("reason", r.reason());
                    ArrayNode ports = rn.putArray("ports");
                    r.ports().stream().map(Snapshot::port).sorted().forEach(ports::add);
                }
            }
        }
        s.putObject("transfers").put("supported", false).put("text", NO_TRANSFERS).putArray("active");
        s.set("problems", problems);
        return s;
    }

    /** {@code 127.0.0.1:32768->8080/tcp}, as podman prints a published port. */
    static String port(MachinePlane.HostPort p) {
        String ip = p.hostIp() == null || p.hostIp().isEmpty() ? "0.0.0.0" : p.hostIp();
        return ip + ":" + p.hostPort() + "->" + p.containerPort() + "/" + p.protocol();
    }
}

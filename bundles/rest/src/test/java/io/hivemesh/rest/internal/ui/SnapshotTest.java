package io.hivemesh.rest.internal.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.api.workload.MachinePlane;
import io.hivemesh.rest.internal.http.Json;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class SnapshotTest {
    static final String SELF = "12D3KooWSelf";
    static final String OTHER = "12D3KooWOther";

    static MachinePlane.Replica replica(int index, String node, String state, long at) {
        return new MachinePlane.Replica(index, node, 1, state, "", List.of(
                new MachinePlane.HostPort("web", 8080, "tcp", "127.0.0.1", 32768 + index)), at);
    }

    static MachinePlane.Task task(String tenant, String name, List<MachinePlane.Replica> rs) {
        return new MachinePlane.Task("0123456789abcdef0123456789abcdef", tenant, name, 1, rs.size(), 100,
                32 << 20, rs, 1000, 2000);
    }

    static ObjectNode snapshot(List<MachinePlane.MeshNode> nodes, List<MachinePlane.Task> tasks) {
        return Snapshot.of(new Snapshot.Self(SELF, "hivemesh/0.1.0", List.of("/ip4/127.0.0.1/tcp/4001/p2p/" + SELF)),
                List.of(new Snapshot.Peer(OTHER, "/ip4/127.0.0.1/tcp/4002", true)), nodes, tasks);
    }

    @Test
    void theSnapshotHoldsNodePeersMeshNodesWorkloadsAndNoTransfers() {
        ObjectNode s = snapshot(List.of(new MachinePlane.MeshNode(OTHER, 2000, 1L << 30, 1500, 1L << 29, 1, 5),
                        new MachinePlane.MeshNode(SELF, 4000, 2L << 30, 4000, 2L << 30, 0, 5)),
                List.of(task("default", "web", List.of(replica(0, OTHER, "Running", 7)))));
        assertEquals(SELF, s.at("/node/peerId").asText());
        assertEquals("hivemesh/0.1.0", s.at("/node/agent").asText());
        assertEquals("/ip4/127.0.0.1/tcp/4001/p2p/" + SELF, s.at("/node/addresses/0").asText());
        assertEquals(OTHER, s.at("/peers/0/peerId").asText());
        assertEquals("outbound", s.at("/peers/0/direction").asText());
        assertEquals(SELF, s.at("/nodes/0/peer").asText(), "this node first");
        assertTrue(s.at("/nodes/0/self").asBoolean());
        assertEquals(1500, s.at("/nodes/1/freeCpuMillis").asLong());
        assertEquals(1L << 30, s.at("/nodes/1/memoryBytes").asLong());
        JsonNode w = s.at("/workloads/0");
        assertEquals("web", w.get("name").asText());
        assertEquals(1, w.get("running").asInt());
        assertEquals("Running", w.at("/assignments/0/state").asText());
        assertEquals("127.0.0.1:32768->8080/tcp", w.at("/assignments/0/ports/0").asText());
        assertFalse(s.at("/transfers/supported").asBoolean());
        assertEquals(Snapshot.NO_TRANSFERS, s.at("/transfers/text").asText());
        assertEquals(0, s.get("problems").size());
    }

    @Test
    void absentServicesAreNamedAsProblemsNotHidden() {
        ObjectNode s = Snapshot.of(new Snapshot.Self(null, null, List.of()), null, null, null);
        assertTrue(s.at("/node/peerId").isNull());
        assertEquals(3, s.get("problems").size(), s.toString());
        assertTrue(s.get("problems").toString().contains("machine plane is not running"), s.toString());
        assertEquals(0, s.get("workloads").size());
    }

    @Test
    void heartbeatTimesAreLeftOutSoThatAFreshHeartbeatIsNoChange() {
        byte[] a = Json.bytes(snapshot(List.of(new MachinePlane.MeshNode(SELF, 1, 1, 1, 1, 0, 100)),
                List.of(task("t", "a", List.of(replica(0, SELF, "Running", 100))))));
        byte[] b = Json.bytes(snapshot(List.of(new MachinePlane.MeshNode(SELF, 1, 1, 1, 1, 0, 999)),
                List.of(task("t", "a", List.of(replica(0, SELF, "Running", 999))))));
        assertEquals(new String(a, StandardCharsets.UTF_8), new String(b, StandardCharsets.UTF_8));
    }

    @Test
    void theSameStateInAnotherOrderGivesTheSameBytes() {
        List<MachinePlane.Task> tasks = new ArrayList<>(List.of(
                task("b", "x", List.of(replica(1, OTHER, "Running", 1), replica(0, SELF, "Pending", 1))),
                task("a", "y", List.of()), task("a", "x", List.of())));
        List<MachinePlane.MeshNode> nodes = new ArrayList<>(List.of(new MachinePlane.MeshNode(OTHER, 1, 1, 1, 1, 0, 1),
                new MachinePlane.MeshNode(SELF, 1, 1, 1, 1, 0, 1), new MachinePlane.MeshNode("12D3KooWAaa", 1, 1, 1, 1, 0, 1)));
        String first = new String(Json.bytes(snapshot(nodes, tasks)), StandardCharsets.UTF_8);
        Collections.reverse(tasks);
        Collections.reverse(nodes);
        assertEquals(first, new String(Json.bytes(snapshot(nodes, tasks)), StandardCharsets.UTF_8));
        ObjectNode s = snapshot(nodes, tasks);
        assertEquals("a/x a/y b/x", s.get("workloads").get(0).get("tenant").asText() + "/"
                + s.get("workloads").get(0).get("name").asText() + " " + s.at("/workloads/1/tenant").asText() + "/"
                + s.at("/workloads/1/name").asText() + " " + s.at("/workloads/2/tenant").asText() + "/"
                + s.at("/workloads/2/name").asText());
        assertEquals(0, s.at("/workloads/2/assignments/0/index").asInt());
        assertEquals(SELF, s.at("/nodes/0/peer").asText());
        assertEquals("12D3KooWAaa", s.at("/nodes/1/peer").asText());
    }

    @Test
    void hostileTextStaysDataAndTheFrameStaysOneDataLine() {
        String hostile = "<img src=x onerror=alert(1)>\n\ndata: {\"forged\":true}\r\nevent: x\u2028";
        MachinePlane.Replica r = new MachinePlane.Replica(0, SELF, 1, "Failed", hostile, List.of(), 1);
        ObjectNode s = snapshot(List.of(), List.of(task("t", "web", List.of(r))));
        Frame f = Frame.snapshot(Json.bytes(s));
        String text = f.text();
        assertTrue(text.startsWith("retry: 3000\nevent: snapshot\ndata: {"), text);
        assertTrue(text.endsWith("}\n\n"), text);
        assertEquals(5, text.split("\n", -1).length, "retry, event, data, the blank line, the end: " + text);
        JsonNode back = Json.parseObject(text.substring(text.indexOf("data: ") + 6, text.length() - 2)
                .getBytes(StandardCharsets.UTF_8));
        assertEquals(hostile, back.at("/workloads/0/assignments/0/reason").asText());
    }

    @Test
    void aFrameRefusesJsonSpanningLines() {
        org.junit.jupiter.api.Assertions.assertThrows(IllegalArgumentException.class,
                () -> Frame.snapshot("{\n}".getBytes(StandardCharsets.UTF_8)));
    }
}

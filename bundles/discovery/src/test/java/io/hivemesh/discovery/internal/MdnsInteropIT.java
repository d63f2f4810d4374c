package io.hivemesh.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * mDNS interop inside network namespaces this test creates (as root; multicast stays inside them):
 * js-libp2p with {@code @libp2p/mdns} 12.0.32 and the Java {@link MdnsService} (child JVMs running
 * {@link MdnsPeerMain}) must discover each other, and the Java side dials what it found (js never
 * dials mDNS peers), which js must see as a connection. Also Java with Java in one namespace, and
 * Java and js in two namespaces joined by a veth, where js's advertised 127.0.0.1 must be ignored.
 */
class MdnsInteropIT {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Path JS = Path.of(System.getProperty("hivemesh.jsPeer", "src/test/js-peer")).toAbsolutePath();
    private static final String SUFFIX = Long.toString(ProcessHandle.current().pid());
    private static final String NS = "hm-mdns-" + SUFFIX;
    private static final String NS_A = "hm-mdns-a-" + SUFFIX;
    private static final String NS_B = "hm-mdns-b-" + SUFFIX;
    private static final List<String> created = new ArrayList<>();

    @BeforeAll
    static void namespaces() throws Exception {
        assertTrue(Files.isDirectory(JS.resolve("node_modules/@libp2p/mdns")), "npm ci has not run in " + JS);
        for (String ns : List.of(NS, NS_A, NS_B)) {
            NetNs.create(ns);
            created.add(ns);
        }
        NetNs.link(NS_A, NS_B);
    }

    @AfterAll
    static void removeNamespaces() {
        created.forEach(NetNs::delete);
    }

    private static NetNs.Child java(String name, String ns, String listen) throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return new NetNs.Child(name, ns, Path.of("."), List.of(java, "-cp", cp, MdnsPeerMain.class.getName(), listen, "2"));
    }

    private static NetNs.Child js(String ns, String listen) throws Exception {
        return new NetNs.Child("js", ns, JS, List.of("node", "--import", "./polyfill.mjs", "peer.mjs", listen));
    }

    private static String jsEvent(NetNs.Child js, String event, String peer) throws Exception {
        return js.await(event + " " + peer, l -> {
            try {
                JsonNode n = JSON.readTree(l);
                return event.equals(n.path("event").asText()) && (peer == null || peer.equals(n.path("peer").asText()));
            } catch (Exception e) {
                return false;
            }
        }, 60);
    }

    private static String peerOf(String readyLine) {
        return readyLine.split(" ")[1];
    }

    @Test
    void javaAndJsDiscoverEachOtherAndJavaDials() throws Exception {
        try (NetNs.Child js = js(NS, "/ip4/127.0.0.1/tcp/0"); NetNs.Child java = java("java", NS, "/ip4/127.0.0.1/tcp/0")) {
            String jsPeer = JSON.readTree(jsEvent(js, "ready", null)).get("peer").asText();
            String javaPeer = peerOf(java.await("ready", l -> l.startsWith("ready "), 60));
            // js accepted our response (spec layout): peer:discovery names the Java peer with its address
            JsonNode found = JSON.readTree(jsEvent(js, "discovered", javaPeer));
            assertTrue(found.get("addrs").toString().contains("/ip4/127.0.0.1/tcp/"), found.toString());
            // we read js's response layout, kept its 127.0.0.1 (same host), dialed it, and js sees the connection
            java.await("discovered js", l -> l.startsWith("discovered " + jsPeer + " /ip4/127.0.0.1/tcp/"), 60);
            java.await("connected to js", l -> l.startsWith("connected " + jsPeer) && l.endsWith(" out"), 60);
            jsEvent(js, "connected", javaPeer);
        }
    }

    @Test
    void twoJavaNodesFindEachOther() throws Exception {
        try (NetNs.Child a = java("java-a", NS, "/ip4/127.0.0.1/tcp/0"); NetNs.Child b = java("java-b", NS, "/ip4/127.0.0.1/tcp/0")) {
            String pa = peerOf(a.await("ready", l -> l.startsWith("ready "), 60));
            String pb = peerOf(b.await("ready", l -> l.startsWith("ready "), 60));
            a.await("a discovers b", l -> l.startsWith("discovered " + pb), 60);
            b.await("b discovers a", l -> l.startsWith("discovered " + pa), 60);
            a.await("a connected to b", l -> l.startsWith("connected " + pb), 60);
            b.await("b connected to a", l -> l.startsWith("connected " + pa), 60);
        }
    }

    @Test
    void hostileNeighboursAreSurvivedAndResponsesRateLimited() throws Exception {
        try (NetNs.Child java = java("java", NS, "/ip4/127.0.0.1/tcp/0")) {
            String javaPeer = peerOf(java.await("ready", l -> l.startsWith("ready "), 60));
            String java2 = Path.of(System.getProperty("java.home"), "bin", "java").toString();
            String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
            try (NetNs.Child probe = new NetNs.Child("probe", NS, Path.of("."),
                    List.of(java2, "-cp", cp, MdnsProbeMain.class.getName(), javaPeer, "40", "3000"))) {
                String line = probe.await("the probe's count", l -> l.startsWith("responses "), 90);
                String[] f = line.split(" ");
                int responses = Integer.parseInt(f[1]);
                long elapsed = Long.parseLong(f[3]);
                // answered despite the junk; at most one multicast response per second however many queries
                assertTrue(responses >= 1, line);
                assertTrue(responses <= elapsed / MdnsService.MIN_RESPONSE_GAP_MS + 2, line);
            }
            // still alive and answering: a new Java node finds it and connects
            try (NetNs.Child other = java("java-2", NS, "/ip4/127.0.0.1/tcp/0")) {
                other.await("discovers the probed node", l -> l.startsWith("discovered " + javaPeer), 60);
                other.await("connects to it", l -> l.startsWith("connected " + javaPeer), 60);
            }
        }
    }

    @Test
    void acrossAVethJsLoopbackAddressesAreIgnored() throws Exception {
        try (NetNs.Child js = js(NS_B, "/ip4/0.0.0.0/tcp/0"); NetNs.Child java = java("java", NS_A, "/ip4/0.0.0.0/tcp/0")) {
            String jsPeer = JSON.readTree(jsEvent(js, "ready", null)).get("peer").asText();
            String javaPeer = peerOf(java.await("ready", l -> l.startsWith("ready "), 60));
            String line = java.await("discovered js", l -> l.startsWith("discovered " + jsPeer), 60);
            assertTrue(line.contains("/ip4/10.77.0.2/tcp/"), line);
            assertFalse(line.contains("/ip4/127."), "js's loopback address came from another host: " + line);
            java.await("connected to js over the veth", l -> l.startsWith("connected " + jsPeer + " /ip4/10.77.0.2/"), 60);
            JsonNode c = JSON.readTree(jsEvent(js, "connected", javaPeer));
            assertTrue(c.get("addr").asText().startsWith("/ip4/10.77.0.1/"), c.toString());
            JsonNode found = JSON.readTree(jsEvent(js, "discovered", javaPeer));
            assertTrue(found.get("addrs").toString().contains("/ip4/10.77.0.1/tcp/"), found.toString());
        }
    }
}

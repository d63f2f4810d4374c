package io.hivemesh.dht.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemesh.api.multiformats.Cid;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.multiformats.MultiaddrProtocol;
import io.hivemesh.api.multiformats.Multicodec;
import io.hivemesh.api.multiformats.Multihash;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.PeerInfo;
import io.hivemesh.transport.internal.HostConfig;
import io.hivemesh.transport.internal.JsPeer;
import io.hivemesh.transport.internal.Libp2pHost;
import io.hivemesh.transport.internal.TestIdentity;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * A mixed network on loopback: 3 js-libp2p kad-dht 16.4.5 servers and 3 Hivemesh DHT nodes, plus a
 * js client-mode peer. Every wait is bounded (generous limits; the conditions are checked, never
 * slept on).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DhtJsInteropIT {
    private static final String PROTOCOL = "/ipfs/kad/1.0.0";
    private static final long WAIT_S = 90;

    @TempDir
    static Path dir;

    private final List<Libp2pHost> hosts = new ArrayList<>();
    private final List<KadNode> nodes = new ArrayList<>();
    private final List<JsPeer> js = new ArrayList<>();

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT_S, TimeUnit.SECONDS);
    }

    private static void waitFor(String what, BooleanSupplier cond) throws Exception {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(WAIT_S);
        while (!cond.getAsBoolean()) {
            if (System.nanoTime() > end) {
                throw new AssertionError("not within " + WAIT_S + " s: " + what);
            }
            Thread.sleep(200);
        }
    }

    private static PeerInfo jsInfo(JsPeer p) {
        Multiaddr a = Multiaddr.parse(p.address);
        List<Multiaddr.Component> cs = a.components();
        if (cs.get(cs.size() - 1).protocol() == MultiaddrProtocol.P2P) {
            a = Multiaddr.of(cs.subList(0, cs.size() - 1));
        }
        return new PeerInfo(PeerId.parse(p.peerId), List.of(a));
    }

    private static String addrOf(Libp2pHost h) {
        return h.listenAddresses().get(0) + "/p2p/" + h.peerId();
    }

    private Set<String> jsTable(JsPeer p) throws Exception {
        Set<String> out = new HashSet<>();
        p.call("table", Map.of(), 30).get("peers").forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Cid cidOf(String text) {
        return Cid.v1(Multicodec.RAW, Multihash.sha256(text.getBytes(StandardCharsets.UTF_8)));
    }

    @BeforeAll
    void network() throws Exception {
        DhtSettings s = DhtSettings.defaults();
        for (int i = 0; i < 3; i++) {
            Libp2pHost h = new Libp2pHost(new TestIdentity(), HostConfig.defaults(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))));
            h.start();
            Path d = dir.resolve("n" + i);
            KadNode n = new KadNode(new HostKadNetwork(h, h.requestResponse(), PROTOCOL, s.requestTimeout()), s,
                    new RecordStore(d.resolve("records"), Clock.systemUTC(), s.recordTtl(), s.maxRecords()),
                    new ProviderStore(d.resolve("providers"), Clock.systemUTC(), s.providerTtl(), s.maxProviderKeys(), s.maxProvidersPerKey()),
                    new Validators(s.openNamespaces(), s.maxRecordBytes()));
            h.addRequestHandler(PROTOCOL, HostKadNetwork.handler(() -> n), HostKadNetwork.limits());
            hosts.add(h);
            nodes.add(n);
        }
        for (int i = 0; i < 3; i++) {
            js.add(new JsPeer("server"));
        }
        // js peers dial every Java node and each other; Java nodes bootstrap from everyone
        for (JsPeer p : js) {
            for (Libp2pHost h : hosts) {
                p.call("dial", Map.of("addr", addrOf(h)), 30);
            }
        }
        js.get(1).call("dial", Map.of("addr", js.get(0).address), 30);
        js.get(2).call("dial", Map.of("addr", js.get(1).address), 30);
        List<PeerInfo> everyone = new ArrayList<>();
        js.forEach(p -> everyone.add(jsInfo(p)));
        hosts.forEach(h -> everyone.add(new PeerInfo(h.peerId(), h.listenAddresses())));
        for (KadNode n : nodes) {
            await(n.bootstrap(everyone.stream().filter(p -> !p.peer().equals(n.self())).toList()));
        }
    }

    @AfterAll
    void stop() throws Exception {
        for (JsPeer p : js) {
            p.close();
        }
        hosts.forEach(Libp2pHost::stop);
    }

    /** js admits a peer after Identify and a ping, asynchronously: wait (bounded) until it did. */
    private void awaitJsTables() throws Exception {
        for (JsPeer p : js) {
            waitFor("js peer " + p.peerId + " has the 3 Java nodes in its table", () -> {
                try {
                    Set<String> t = jsTable(p);
                    return hosts.stream().allMatch(h -> t.contains(h.peerId().toString()));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
        }
    }

    @Test
    void routingTablesContainTheOtherSide() throws Exception {
        for (KadNode n : nodes) {
            for (JsPeer p : js) {
                PeerId id = PeerId.parse(p.peerId);
                if (!n.inTable(id)) {
                    // a bootstrap request can lose a race with js's own dial to us (two connections, one
                    // closed): what DhtComponent does for every identified DHT server then admits it
                    await(n.admit(id));
                }
                assertTrue(n.inTable(id), n.self() + " lacks js peer " + p.peerId);
            }
        }
        awaitJsTables();
    }

    @Test
    void recordsPutOnOneSideAreReadOnTheOther() throws Exception {
        awaitJsTables();
        assertTrue(await(nodes.get(0).putValue("/mesh/from-java".getBytes(StandardCharsets.UTF_8),
                "hello js".getBytes(StandardCharsets.UTF_8))) >= 3);
        JsonNode got = js.get(2).call("get", Map.of("key", "/mesh/from-java"), WAIT_S);
        assertEquals("hello js", got.get("value").asText());

        JsonNode put = js.get(1).call("put", Map.of("key", "/mesh/from-js", "value", "hello java"), WAIT_S);
        assertTrue(put.get("ok").asInt() >= 1, put.toString());
        assertArrayEquals("hello java".getBytes(StandardCharsets.UTF_8),
                await(nodes.get(2).getValue("/mesh/from-js".getBytes(StandardCharsets.UTF_8), 1)).orElseThrow());
    }

    @Test
    void providersAnnouncedOnOneSideAreFoundOnTheOther() throws Exception {
        awaitJsTables();
        Cid javaCid = cidOf("provided by java");
        assertTrue(await(nodes.get(1).provide(javaCid.multihash().toBytes())) >= 3);
        JsonNode found = js.get(0).call("findProviders", Map.of("cid", javaCid.toString()), WAIT_S);
        List<String> peers = new ArrayList<>();
        found.get("providers").forEach(p -> peers.add(p.get("peer").asText()));
        assertTrue(peers.contains(hosts.get(1).peerId().toString()), "js found " + peers);

        Cid jsCid = cidOf("provided by js");
        js.get(2).call("provide", Map.of("cid", jsCid.toString()), WAIT_S);
        List<PeerInfo> providers = Collections.synchronizedList(new ArrayList<>());
        await(nodes.get(0).findProviders(jsCid.multihash().toBytes(), 5, providers::add));
        assertTrue(providers.stream().anyMatch(p -> p.peer().toString().equals(js.get(2).peerId) && !p.addresses().isEmpty()),
                "Java found " + providers);
    }

    @Test
    void aJsClientQueriesThroughJavaServers() throws Exception {
        try (JsPeer client = new JsPeer("client")) {
            client.call("dial", Map.of("addr", addrOf(hosts.get(0))), 30);
            waitFor("the js client has a Java server in its table", () -> {
                try {
                    return jsTable(client).contains(hosts.get(0).peerId().toString());
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            await(nodes.get(2).putValue("/mesh/for-client".getBytes(StandardCharsets.UTF_8),
                    "via java".getBytes(StandardCharsets.UTF_8)));
            assertEquals("via java", client.call("get", Map.of("key", "/mesh/for-client"), WAIT_S).get("value").asText());
            JsonNode peer = client.call("findPeer", Map.of("peer", hosts.get(2).peerId().toString()), WAIT_S);
            assertEquals(hosts.get(2).peerId().toString(), peer.get("peer").asText());
            assertTrue(nodes.stream().noneMatch(n -> n.inTable(PeerId.parse(client.peerId))),
                    "a client-mode peer never enters a Java routing table");
        }
    }
}

package io.hivemesh.dht.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.Stream;
import io.hivemesh.api.net.StreamResetException;
import io.hivemesh.api.routing.PeerInfo;
import io.hivemesh.transport.internal.HostConfig;
import io.hivemesh.transport.internal.Libp2pHost;
import io.hivemesh.transport.internal.TestIdentity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Three real libp2p hosts on loopback (TCP, Noise, Yamux) running the DHT in one JVM. */
class HostDhtTest {
    private static final String PROTOCOL = "/ipfs/kad/1.0.0";

    @TempDir
    Path dir;

    private final List<Libp2pHost> hosts = new ArrayList<>();
    private final List<KadNode> nodes = new ArrayList<>();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(60, TimeUnit.SECONDS);
    }

    private static PeerInfo infoOf(Libp2pHost h) {
        return new PeerInfo(h.peerId(), h.listenAddresses());
    }

    @BeforeEach
    void start() throws Exception {
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
        await(nodes.get(1).bootstrap(List.of(infoOf(hosts.get(0)))));
        await(nodes.get(2).bootstrap(List.of(infoOf(hosts.get(0)))));
        // what the component does for connected DHT servers once identified: one FIND_NODE whose reply admits them
        assertTrue(await(nodes.get(0).admit(hosts.get(1).peerId())));
        assertTrue(await(nodes.get(0).admit(hosts.get(2).peerId())));
        // a second round (the component's refresh): node 0 now names each to the other
        await(nodes.get(1).bootstrap(List.of(infoOf(hosts.get(0)))));
        await(nodes.get(2).bootstrap(List.of(infoOf(hosts.get(0)))));
    }

    @AfterEach
    void stop() {
        hosts.forEach(Libp2pHost::stop);
    }

    @Test
    void tablesFillAndPutGetProvideFindWorkAcrossHosts() throws Exception {
        for (KadNode n : nodes) {
            assertEquals(2, n.tableSize(), n.self() + " table");
        }
        assertEquals(2, await(nodes.get(0).putValue(b("/mesh/hello"), b("world"))));
        assertArrayEquals(b("world"), await(nodes.get(2).getValue(b("/mesh/hello"), 2)).orElseThrow());

        byte[] key = nodes.get(0).self().toBytes();
        assertEquals(2, await(nodes.get(1).provide(key)));
        List<PeerInfo> found = Collections.synchronizedList(new ArrayList<>());
        assertEquals(1, await(nodes.get(2).findProviders(key, 5, found::add)));
        assertEquals(hosts.get(1).peerId(), found.get(0).peer());
        assertEquals(hosts.get(1).listenAddresses(), found.get(0).addresses());

        PeerInfo peer = await(nodes.get(2).findPeer(hosts.get(1).peerId())).orElseThrow();
        assertEquals(hosts.get(1).listenAddresses(), peer.addresses());
    }

    @Test
    void garbageOnAStreamResetsOnlyThatStream() throws Exception {
        Stream s = await(hosts.get(1).newStream(hosts.get(0).peerId(), List.of(PROTOCOL)));
        await(s.write(ByteBuffer.wrap(new byte[] {5, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF})));
        ExecutionException e = assertThrows(ExecutionException.class, () -> {
            while (await(s.read()).isPresent()) {
                // drain until the reset
            }
            throw new AssertionError("stream ended cleanly instead of being reset");
        });
        assertInstanceOf(StreamResetException.class, e.getCause());
        // an oversized length prefix: reset too
        Stream big = await(hosts.get(1).newStream(hosts.get(0).peerId(), List.of(PROTOCOL)));
        await(big.write(ByteBuffer.wrap(new byte[] {(byte) 0x81, (byte) 0x80, (byte) 0x80, 0x04})));
        assertThrows(ExecutionException.class, () -> {
            while (await(big.read()).isPresent()) {
                // drain until the reset
            }
        });
        // the node still serves
        assertTrue(await(nodes.get(1).closestPeers(b("anything"))).contains(hosts.get(0).peerId()));
    }
}

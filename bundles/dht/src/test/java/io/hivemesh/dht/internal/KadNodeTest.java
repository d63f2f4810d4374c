package io.hivemesh.dht.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.InvalidRecordException;
import io.hivemesh.api.routing.PeerInfo;
import io.hivemesh.dht.internal.proto.DhtProto.Message;
import io.hivemesh.dht.internal.proto.DhtProto.Record;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The DHT logic over an in-memory network of 40 nodes (all messages through the wire codec). */
class KadNodeTest {
    private static final int N = 40;
    private static final long WAIT = 60;

    @TempDir
    Path dir;

    private MemoryHub hub;
    private final List<KadNode> nodes = new ArrayList<>();

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT, TimeUnit.SECONDS);
    }

    @BeforeEach
    void network() throws Exception {
        hub = new MemoryHub();
        for (PeerId id : TestPeers.peers(N, 99)) {
            nodes.add(hub.add(id, DhtSettings.defaults(), dir.resolve(id.toString()), Clock.systemUTC(), true));
        }
        // each node bootstraps from node 0, then once more to learn about later arrivals
        for (int round = 0; round < 2; round++) {
            for (int i = 1; i < N; i++) {
                KadNode seed = nodes.get(i == 0 ? 1 : 0);
                await(nodes.get(i).bootstrap(List.of(new PeerInfo(seed.self(), List.of(MemoryHub.addressOf(seed.self()))))));
            }
        }
    }

    @AfterEach
    void close() {
        hub.close();
    }

    @Test
    void bootstrapFillsRoutingTablesAndLookupsFindTheTrueClosest() throws Exception {
        for (KadNode n : nodes) {
            assertTrue(n.tableSize() >= 10, n.self() + " knows only " + n.tableSize());
        }
        byte[] key = b("/mesh/closest");
        List<PeerId> all = new ArrayList<>();
        nodes.forEach(n -> all.add(n.self()));
        KadNode asker = nodes.get(N - 1);
        all.remove(asker.self());
        KadId target = KadId.of(key);
        all.sort((x, y) -> target.compareDistance(KadId.of(x), KadId.of(y)));
        assertEquals(all.subList(0, 20), await(asker.closestPeers(key)));
    }

    @Test
    void putThenGetFromAnotherNodeAndNewestWins() throws Exception {
        assertTrue(await(nodes.get(3).putValue(b("/mesh/app"), b("v1"))) >= 15);
        assertArrayEquals(b("v1"), await(nodes.get(17).getValue(b("/mesh/app"), 3)).orElseThrow());
        Thread.sleep(5); // a strictly later timeReceived for the newer value
        assertTrue(await(nodes.get(5).putValue(b("/mesh/app"), b("v2"))) >= 15);
        assertArrayEquals(b("v2"), await(nodes.get(30).getValue(b("/mesh/app"), 5)).orElseThrow());
        assertEquals(Optional.empty(), await(nodes.get(30).getValue(b("/mesh/nothing"), 3)));
    }

    @Test
    void recordsThisNodePutAreRepublishedAndRememberedAcrossRestarts() throws Exception {
        KadNode author = nodes.get(4);
        byte[] key = b("/mesh/republished");
        assertTrue(await(author.putValue(key, b("kept"))) >= 15);
        KadNode holder = nodes.get(23);
        Optional<RecordStore.Stored> before = nodes.stream().filter(n -> n != author)
                .map(n -> n.records().get(key)).filter(Optional::isPresent).map(Optional::get).findFirst();
        assertTrue(before.isPresent(), "some peer holds the record");
        Thread.sleep(5); // a strictly later timeReceived for the republished copy

        assertTrue(await(author.republishRecords()) >= 15, "the closest peers accept the record again");

        long refreshed = nodes.stream().filter(n -> n != author).map(n -> n.records().get(key))
                .filter(o -> o.isPresent() && o.get().received().isAfter(before.get().received())).count();
        assertTrue(refreshed >= 15, "peers hold a freshly received copy: " + refreshed);
        assertEquals(0, await(holder.republishRecords()), "a node republishes only what it put itself");
        RecordStore reopened = new RecordStore(dir.resolve(author.self().toString()).resolve("published"),
                Clock.systemUTC(), DhtComponent.PUBLISHED_KEPT, 100);
        assertEquals(1, reopened.all().size(), "the author's published records survive a restart");
        assertArrayEquals(key, reopened.all().get(0).key());
    }

    @Test
    void invalidOrUnknownNamespaceRecordsAreRefusedLocallyAndRemotely() throws Exception {
        ExecutionException e = org.junit.jupiter.api.Assertions.assertThrows(ExecutionException.class,
                () -> await(nodes.get(1).putValue(b("/ipns/x"), b("v"))));
        assertInstanceOf(InvalidRecordException.class, e.getCause());
        Message bad = Message.newBuilder().setKey(ByteString.copyFrom(b("/ipns/x")))
                .setRecord(Record.newBuilder().setKey(ByteString.copyFrom(b("/ipns/x"))).setValue(ByteString.copyFrom(b("v"))))
                .build();
        KadNode.Handled h = nodes.get(2).handle(nodes.get(1).self(), bad);
        assertTrue(h.refusal().contains("namespace"), h.refusal());
        Message mismatched = bad.toBuilder().setKey(ByteString.copyFrom(b("/mesh/x"))).build();
        assertTrue(nodes.get(2).handle(nodes.get(1).self(), mismatched).refusal() != null);
        // the node keeps serving after refusing
        Message find = Message.newBuilder().setType(Message.MessageType.FIND_NODE).setKey(ByteString.copyFrom(b("k"))).build();
        assertEquals(20, nodes.get(2).handle(nodes.get(1).self(), find).reply().orElseThrow().getCloserPeersCount());
    }

    @Test
    void provideThenFindFromAnotherNodeStreamingAndBounded() throws Exception {
        byte[] key = TestPeers.peers(1, 5).get(0).toBytes();
        assertTrue(await(nodes.get(4).provide(key)) >= 15);
        assertTrue(await(nodes.get(9).provide(key)) >= 15);
        List<PeerInfo> found = Collections.synchronizedList(new ArrayList<>());
        assertEquals(2, await(nodes.get(33).findProviders(key, 10, found::add)));
        assertEquals(2, found.size());
        assertTrue(found.stream().anyMatch(p -> p.peer().equals(nodes.get(4).self()) && !p.addresses().isEmpty()));
        List<PeerInfo> one = new ArrayList<>();
        assertEquals(1, await(nodes.get(20).findProviders(key, 1, one::add)));
        assertEquals(1, one.size());
    }

    @Test
    void addProviderForAnotherPeerIsIgnoredAndGetsNoReply() {
        byte[] key = b("some-multihash");
        PeerId sender = nodes.get(1).self();
        PeerId other = nodes.get(2).self();
        Message add = Message.newBuilder().setType(Message.MessageType.ADD_PROVIDER).setKey(ByteString.copyFrom(key))
                .addProviderPeers(DhtCodec.peer(new PeerInfo(other, List.of(MemoryHub.addressOf(other))), Message.ConnectionType.CONNECTED))
                .addProviderPeers(DhtCodec.peer(new PeerInfo(sender, List.of(MemoryHub.addressOf(sender))), Message.ConnectionType.CONNECTED))
                .build();
        KadNode.Handled h = nodes.get(3).handle(sender, add);
        assertTrue(h.reply().isEmpty());
        assertEquals(List.of(new PeerInfo(sender, List.of(MemoryHub.addressOf(sender)))), nodes.get(3).providers().get(key));
    }

    @Test
    void findPeerAndChurn() throws Exception {
        PeerId wanted = nodes.get(25).self();
        Optional<PeerInfo> found = await(nodes.get(2).findPeer(wanted));
        assertEquals(wanted, found.orElseThrow().peer());
        assertEquals(List.of(MemoryHub.addressOf(wanted)), found.get().addresses());
        // kill 10 % of the nodes: a put and a get still succeed and dead peers leave the tables
        for (int i = 30; i < 34; i++) {
            hub.kill(nodes.get(i).self());
        }
        assertTrue(await(nodes.get(1).putValue(b("/mesh/churn"), b("x"))) >= 10);
        assertArrayEquals(b("x"), await(nodes.get(12).getValue(b("/mesh/churn"), 2)).orElseThrow());
    }

    @Test
    void inboundRateLimitRefusesAFloodButServesOthers() {
        KadNode server = nodes.get(0);
        Message find = Message.newBuilder().setType(Message.MessageType.FIND_NODE).setKey(ByteString.copyFrom(b("k"))).build();
        int refused = 0;
        for (int i = 0; i < 500; i++) {
            if (server.handle(nodes.get(1).self(), find).refusal() != null) {
                refused++;
            }
        }
        assertTrue(refused > 0, "a flood of 500 instant requests hits the limit");
        assertFalse(server.handle(nodes.get(2).self(), find).reply().isEmpty(), "other peers are still served");
    }
}

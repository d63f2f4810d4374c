package io.hivemesh.dht.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.hivemesh.api.multiformats.Multihash;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.InvalidRecordException;
import io.hivemesh.api.routing.PeerInfo;
import io.hivemesh.dht.internal.proto.DhtProto.Message;
import io.hivemesh.dht.internal.proto.DhtProto.Record;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The DHT logic over an in-memory network of 40 nodes (all messages through the wire codec), on one
 * hand-moved clock.
 */
class KadNodeTest {
    private static final int N = 40;
    private static final long WAIT = 60;

    @TempDir
    Path dir;

    private MemoryHub hub;
    private final List<KadNode> nodes = new ArrayList<>();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));

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
            nodes.add(hub.add(id, DhtSettings.defaults(), dir.resolve(id.toString()), clock, true));
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
        clock.advance(Duration.ofSeconds(1)); // a strictly later timeReceived for the newer value
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
        clock.advance(Duration.ofSeconds(1)); // a strictly later timeReceived for the republished copy

        assertTrue(await(author.republishRecords()) >= 15, "the closest peers accept the record again");

        long refreshed = nodes.stream().filter(n -> n != author).map(n -> n.records().get(key))
                .filter(o -> o.isPresent() && o.get().received().isAfter(before.get().received())).count();
        assertTrue(refreshed >= 15, "peers hold a freshly received copy: " + refreshed);
        assertEquals(0, await(holder.republishRecords()), "a node republishes only what it put itself");
        RecordStore reopened = new RecordStore(dir.resolve(author.self().toString()).resolve("published"),
                clock, DhtComponent.PUBLISHED_KEPT, 100);
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

    private static Message put(byte[] key, byte[] value) {
        return Message.newBuilder().setType(Message.MessageType.PUT_VALUE).setKey(ByteString.copyFrom(key))
                .setRecord(Record.newBuilder().setKey(ByteString.copyFrom(key)).setValue(ByteString.copyFrom(value)))
                .build();
    }

    /** The nodes other than {@code except}, closest to {@code key} first. */
    private List<KadNode> closestNodes(byte[] key, KadNode except) {
        KadId target = KadId.of(key);
        List<KadNode> out = new ArrayList<>(nodes);
        out.remove(except);
        out.sort((x, y) -> target.compareDistance(KadId.of(x.self()), KadId.of(y.self())));
        return out;
    }

    private static DhtSettings withK(DhtSettings s, int k) {
        return new DhtSettings(k, s.alpha(), s.requestTimeout(), s.queryTimeout(), s.recordTtl(), s.providerTtl(),
                s.republishInterval(), s.openNamespaces(), s.maxRecordBytes(), s.maxRecords(), s.maxProviderKeys(),
                s.maxProvidersPerKey(), s.requestsPerSecond());
    }

    private int receivedByNetwork() {
        return nodes.stream().mapToInt(n -> hub.received(n.self())).sum();
    }

    @Test
    void aPeerOverItsQuotaIsRefusedButThisNodesOwnPutsAreNot() throws Exception {
        KadNode small = hub.add(TestPeers.peers(1, 1234).get(0), DhtSettings.defaults().withPeerQuota(2, 100),
                dir.resolve("small"), clock, true);
        PeerId uploader = nodes.get(1).self();
        assertTrue(small.handle(uploader, put(b("/mesh/q1"), new byte[10])).reply().isPresent());
        assertTrue(small.handle(uploader, put(b("/mesh/q2"), new byte[10])).reply().isPresent());
        KadNode.Handled third = small.handle(uploader, put(b("/mesh/q3"), new byte[10]));
        assertTrue(third.refusal().contains("max_records_per_peer 2"), third.refusal());
        assertTrue(small.records().get(b("/mesh/q3")).isEmpty());
        KadNode.Handled bigger = small.handle(uploader, put(b("/mesh/q2"), new byte[80])); // 17 + 88 > 100
        assertTrue(bigger.refusal().contains("max_bytes_per_peer 100"), bigger.refusal());
        assertEquals(10, small.records().get(b("/mesh/q2")).orElseThrow().value().length, "the refused value is not stored");
        assertTrue(small.handle(uploader, put(b("/mesh/q2"), new byte[60])).reply().isPresent(),
                "replacing its own record counts only the difference");
        assertTrue(small.handle(nodes.get(2).self(), put(b("/mesh/q3"), new byte[10])).reply().isPresent(),
                "another peer has a quota of its own");
        KadNode.Handled oversize = small.handle(nodes.get(2).self(), put(b("/mesh/huge"), new byte[64 * 1024 + 1]));
        assertTrue(oversize.refusal().contains("exceeds the open-namespace limit"), oversize.refusal());
        for (int i = 0; i < 5; i++) {
            await(small.putValue(b("/mesh/own" + i), new byte[100])); // fails if the local store refuses it
            assertTrue(small.records().get(b("/mesh/own" + i)).isPresent(), "this node's own puts have no quota");
        }
    }

    @Test
    void aFarFutureTimeDoesNotBeatTheValueTheHonestMajorityHolds() throws Exception {
        byte[] key = b("/mesh/contested");
        ByteString honest = ByteString.copyFrom(b("honest"));
        assertTrue(await(nodes.get(3).putValue(key, honest.toByteArray())) >= 15);
        KadNode asker = nodes.get(N - 1);
        KadNode liar = closestNodes(key, asker).get(0);
        AtomicInteger corrections = new AtomicInteger();
        hub.impersonate(liar.self(), (from, m) -> {
            KadNode.Handled real = liar.handle(from, m);
            if (m.getType() == Message.MessageType.GET_VALUE) {
                Message lie = real.reply().orElseThrow().toBuilder().setRecord(Record.newBuilder().setKey(m.getKey())
                        .setValue(ByteString.copyFrom(b("lie"))).setTimeReceived("9999-01-01T00:00:00Z")).build();
                return new KadNode.Handled(Optional.of(lie), null);
            }
            if (m.getType() == Message.MessageType.PUT_VALUE && m.getRecord().getValue().equals(honest)) {
                corrections.incrementAndGet();
            }
            return real;
        });
        // the honest copies were received at the query's start (the clock stands still), the lie claims
        // a later time: clamped to the start, it ties with them, and the majority breaks the tie
        assertArrayEquals(honest.toByteArray(), await(asker.getValue(key, N)).orElseThrow());
        hub.awaitIdle();
        assertEquals(1, corrections.get(), "the liar is sent the honest value");
        for (KadNode n : nodes) {
            n.records().get(key).ifPresent(r -> assertArrayEquals(honest.toByteArray(), r.value(), n.self() + " got the lie"));
        }
    }

    @Test
    void everyClosestPeerThatLacksTheBestValueIsSentIt() throws Exception {
        byte[] key = b("/mesh/sparse");
        KadNode asker = nodes.get(N - 1);
        List<KadNode> closest = closestNodes(key, asker).subList(0, 20);
        for (KadNode n : closest.subList(0, 3)) {
            assertTrue(n.handle(asker.self(), put(key, b("v"))).reply().isPresent());
        }
        assertTrue(closest.get(10).records().get(key).isEmpty());
        assertArrayEquals(b("v"), await(asker.getValue(key, N)).orElseThrow());
        hub.awaitIdle();
        for (KadNode n : closest) {
            assertArrayEquals(b("v"), n.records().get(key).orElseThrow().value(), n.self() + " was not sent the value");
        }
    }

    @Test
    void admitAsksOnlyThatPeerAndHoldsRefusalsForTenMinutes() throws Exception {
        KadNode y = nodes.get(1);
        RoutingTable shape = new RoutingTable(y.self(), 20);
        List<PeerId> roomy = TestPeers.peers(60, 4321).stream()
                .filter(p -> y.buckets().getOrDefault(shape.bucketIndex(p), List.of()).size() < 19).limit(2).toList();
        KadNode fresh = hub.add(roomy.get(0), DhtSettings.defaults(), dir.resolve("fresh"), clock, true);
        KadNode gone = hub.add(roomy.get(1), DhtSettings.defaults(), dir.resolve("gone"), clock, true);
        int others = receivedByNetwork();
        assertFalse(y.inTable(fresh.self()));
        assertTrue(await(y.admit(fresh.self())));
        assertTrue(y.inTable(fresh.self()));
        assertEquals(1, hub.received(fresh.self()), "one FIND_NODE to that peer");
        assertEquals(others, receivedByNetwork(), "and to no one else");
        assertTrue(await(y.admit(fresh.self())));
        assertEquals(1, hub.received(fresh.self()), "a peer in the table is not asked again");

        hub.kill(gone.self());
        assertFalse(await(y.admit(gone.self())));
        assertEquals(1, hub.received(gone.self()));
        hub.revive(gone.self());
        clock.advance(Duration.ofMinutes(9));
        assertFalse(await(y.admit(gone.self())), "refused less than 10 minutes ago");
        assertEquals(1, hub.received(gone.self()), "without asking it");
        clock.advance(Duration.ofMinutes(1));
        assertTrue(await(y.admit(gone.self())));
        assertEquals(2, hub.received(gone.self()));
    }

    @Test
    void aPeerTheFullBucketKeepsOutIsRefusedToo() throws Exception {
        KadNode picky = hub.add(TestPeers.peers(1, 999).get(0), withK(DhtSettings.defaults(), 1), dir.resolve("picky"), clock, true);
        RoutingTable shape = new RoutingTable(picky.self(), 1);
        List<KadNode> bucket0 = nodes.stream().filter(n -> shape.bucketIndex(n.self()) == 0).limit(2).toList();
        assertTrue(await(picky.admit(bucket0.get(0).self())));
        assertFalse(await(picky.admit(bucket0.get(1).self())), "the bucket is full and its oldest answered the ping");
        assertTrue(picky.inTable(bucket0.get(0).self()));
        assertFalse(picky.inTable(bucket0.get(1).self()));
        assertTrue(picky.recentlyRefused(bucket0.get(1).self()));
        int asked = hub.received(bucket0.get(1).self());
        assertFalse(await(picky.admit(bucket0.get(1).self())));
        assertEquals(asked, hub.received(bucket0.get(1).self()), "a refused peer is not asked again");
    }

    @Test
    void republishAndReprovideFollowPersistedTimesAndWhatFellDueGoesOutRightAfterARestart() throws Exception {
        KadNode author = nodes.get(4);
        byte[] key = b("/mesh/scheduled");
        byte[] cid = TestPeers.peers(1, 6).get(0).toBytes();
        assertTrue(await(author.putValue(key, b("v"))) >= 15);
        assertTrue(await(author.provide(cid)) >= 15);
        assertEquals(0, await(author.republishDue()), "nothing is due yet");
        clock.advance(Duration.ofHours(21));
        assertEquals(0, await(author.republishDue()));

        // down for 3 hours, then restarted from its data directory: both fell due meanwhile
        clock.advance(Duration.ofHours(3));
        KadNode restarted = hub.add(author.self(), DhtSettings.defaults(), dir.resolve(author.self().toString()), clock, true);
        await(restarted.bootstrap(List.of(new PeerInfo(nodes.get(0).self(), List.of(MemoryHub.addressOf(nodes.get(0).self()))))));
        Instant restart = clock.instant();
        assertEquals(2, await(restarted.republishDue()), "the record and the provided key, right after the start");
        assertEquals(0, await(restarted.republishDue()), "and not again before the next interval");
        long fresh = nodes.stream().filter(n -> n != author).map(n -> n.records().get(key))
                .filter(o -> o.isPresent() && o.get().received().equals(restart)).count();
        assertTrue(fresh >= 15, "peers hold the record as received at the restart: " + fresh);
        assertEquals(restart, new RecordStore(dir.resolve(author.self().toString()).resolve("provided"), clock,
                DhtComponent.PUBLISHED_KEPT, 10).meta(cid).orElseThrow().received(), "the reprovide time is persisted");

        // 54 h after the first provide the original provider entries are gone; the reprovided ones live
        clock.advance(Duration.ofHours(30));
        List<PeerInfo> found = Collections.synchronizedList(new ArrayList<>());
        assertEquals(1, await(nodes.get(33).findProviders(cid, 10, found::add)));
        assertEquals(author.self(), found.get(0).peer());
    }

    @Test
    void aWithdrawnKeyLeavesTheLocalStoreIsNotReprovidedAndAgesOutOnThePeers() throws Exception {
        KadNode a = nodes.get(7);
        KadNode b = nodes.get(31);
        byte[] task = Multihash.sha256(b("task-a")).toBytes();
        byte[] kept = Multihash.sha256(b("task-b")).toBytes();
        assertTrue(await(a.provide(task)) >= 15);
        assertTrue(await(a.provide(kept)) >= 15);
        assertEquals(List.of(a.self()), providersSeenBy(b, task), "B finds A");

        assertTrue(a.withdraw(task));
        assertFalse(a.withdraw(task), "a second withdraw finds nothing to withdraw");
        assertTrue(a.providers().get(task).stream().noneMatch(p -> p.peer().equals(a.self())),
                "A's own provider store no longer lists A");
        assertEquals(1, a.providers().keysProvidedBy(a.self()).size(), "only the kept key is listed for A");

        clock.advance(Duration.ofHours(22));
        assertEquals(1, await(a.republishDue()), "at the republish interval only the kept key is reprovided");
        KadNode restarted = hub.add(a.self(), DhtSettings.defaults(), dir.resolve(a.self().toString()), clock, true);
        await(restarted.bootstrap(List.of(new PeerInfo(nodes.get(0).self(), List.of(MemoryHub.addressOf(nodes.get(0).self()))))));
        assertEquals(0, restarted.adoptProvides(), "the withdrawal survives a restart: nothing to adopt");
        assertEquals(0, await(restarted.republishDue()), "and nothing to reprovide");

        // no remote delete: the entries the peers got at the provide live out their 48 h
        assertEquals(List.of(a.self()), providersSeenBy(b, task), "still found before the provider TTL");
        clock.advance(Duration.ofHours(26));
        assertEquals(List.of(), providersSeenBy(b, task), "gone 48 h after the last announcement");
        assertEquals(List.of(a.self()), providersSeenBy(b, kept), "the reprovided key is still found");
    }

    private static List<PeerId> providersSeenBy(KadNode asker, byte[] key) throws Exception {
        List<PeerInfo> found = Collections.synchronizedList(new ArrayList<>());
        await(asker.findProviders(key, 10, found::add));
        return found.stream().map(PeerInfo::peer).toList();
    }

    @Test
    void providesMadeBeforeTheProvidedStoreExistedAreAdoptedOnce() throws Exception {
        KadNode author = nodes.get(6);
        byte[] cid = TestPeers.peers(1, 8).get(0).toBytes();
        assertTrue(await(author.provide(cid)) >= 15);
        Path providedDir = dir.resolve(author.self().toString()).resolve("provided");
        try (java.util.stream.Stream<Path> files = java.nio.file.Files.list(providedDir)) {
            for (Path f : files.toList()) {
                java.nio.file.Files.delete(f); // as a node of the previous version left it
            }
        }
        KadNode restarted = hub.add(author.self(), DhtSettings.defaults(), dir.resolve(author.self().toString()), clock, true);
        assertEquals(1, restarted.adoptProvides());
        assertTrue(new RecordStore(providedDir, clock, DhtComponent.PUBLISHED_KEPT, 10).meta(cid).isPresent(),
                "the adopted key is kept in provided/ from now on");
        assertEquals(0, restarted.adoptProvides(), "and adopted only once");
    }
}

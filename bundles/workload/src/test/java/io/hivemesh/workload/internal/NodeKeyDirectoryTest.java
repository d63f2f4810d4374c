package io.hivemesh.workload.internal;

import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.crypto.SealContext;
import io.hivemesh.crypto.internal.Standalone;
import io.hivemesh.protocol.MachineMessage.NodeKeysRecord;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeKeyDirectoryTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    private final MutableClockForTests clock = new MutableClockForTests(Instant.parse("2025-01-01T00:00:00Z"));
    private final InMemoryValueStoreForTests dht = new InMemoryValueStoreForTests(new NodeKeysValidator(clock));
    private final ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(2);
    private final List<NodeKeyDirectory> directories = new ArrayList<>();

    private final NodeIdentity a = Standalone.identity();
    private final NodeKeysForTests aKeys = new NodeKeysForTests(a, null);
    private final NodeIdentity b = Standalone.identity();
    private final NodeKeysForTests bKeys = new NodeKeysForTests(b, new byte[1952]);

    @AfterEach
    void stop() throws InterruptedException {
        directories.forEach(NodeKeyDirectory::close);
        executor.shutdownNow();
        assertTrue(executor.awaitTermination(5, TimeUnit.SECONDS));
    }

    private NodeKeyDirectory directory(NodeIdentity id, NodeKeysForTests keys, NodeKeyDirectory.Settings settings) {
        NodeKeyDirectory d = new NodeKeyDirectory(dht, id, keys, clock, executor, settings);
        directories.add(d);
        return d;
    }

    private NodeKeyDirectory directory(NodeIdentity id, NodeKeysForTests keys) {
        return directory(id, keys, NodeKeyDirectory.Settings.DEFAULTS);
    }

    private static NodeKeyDirectory.Settings settings(Duration ttl, Duration poll, Duration retryMin) {
        return new NodeKeyDirectory.Settings(ttl, poll, Duration.ofMinutes(10), retryMin, retryMin.multipliedBy(4), 100);
    }

    private static <T> T await(CompletableFuture<T> f) throws Exception {
        return f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS);
    }

    private static Throwable failure(CompletableFuture<?> f) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> f.get(WAIT.toMillis(), TimeUnit.MILLISECONDS));
        return e.getCause();
    }

    private static void eventually(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("not within " + WAIT + ": " + what);
            }
            Thread.sleep(5);
        }
    }

    @Test
    void publishedKeysAreFoundByAnotherNodeAndSealTo() throws Exception {
        NodeKeyDirectory da = directory(a, aKeys);
        da.start();
        NodeKeyDirectory db = directory(b, bKeys);
        db.start();

        NodeKeysRecord seen = await(db.lookup(a.peerId()));
        assertEquals(a.peerId(), seen.node());
        assertArrayEquals(aKeys.sealer().kemPublicKey(), seen.kemPublicKey());
        assertEquals(0, seen.mlDsaPublicKey().length);
        assertEquals(clock.millis() + Duration.ofHours(24).toMillis(), seen.expiresMillis());

        SealContext ctx = new SealContext(b.peerId(), a.peerId(), "test", "node keys");
        byte[] sealed = bKeys.sealer().seal(seen.kemPublicKey(), ctx, "hello".getBytes(StandardCharsets.UTF_8));
        assertEquals("hello", new String(aKeys.sealer().open(ctx, sealed), StandardCharsets.UTF_8));

        NodeKeysRecord bSeen = await(da.lookup(b.peerId()));
        assertArrayEquals(new byte[1952], bSeen.mlDsaPublicKey());
        assertSame(db.current(), await(db.lookup(b.peerId())), "a node's own record comes from itself");
    }

    @Test
    void aLookupOfAnUnknownPeerNamesThePeer() {
        NodeKeyDirectory db = directory(b, bKeys);
        Throwable e = failure(db.lookup(a.peerId()));
        assertInstanceOf(WorkloadException.class, e);
        assertTrue(e.getMessage().contains(a.peerId().toString()), e.getMessage());
        assertTrue(e.getMessage().contains("no valid key record"), e.getMessage());
    }

    @Test
    void aFailedDhtLookupNamesThePeerAndTheReason() {
        dht.failGets(true);
        Throwable e = failure(directory(b, bKeys).lookup(a.peerId()));
        assertTrue(e.getMessage().contains(a.peerId().toString()) && e.getMessage().contains("DHT lookup failed")
                && e.getMessage().contains("simulated lookup timeout"), e.getMessage());
    }

    @Test
    void forgedRecordsAreRefusedByTheDhtAndByTheLookup() throws Exception {
        NodeIdentity mallory = Standalone.identity();
        byte[] key = NodeKeysRecords.key(a.peerId());
        long now = clock.millis();
        NodeKeysRecord claim = KeyRecordsForTests.record(a.peerId(), Standalone.sealer().kemPublicKey(), now, now, now + 60_000);
        byte[] forged = KeyRecordsForTests.signedBy(claim, mallory);
        Throwable put = failure(dht.put(key, forged));
        assertTrue(put.getMessage().contains("signature does not verify"), put.getMessage());

        dht.plant(key, forged);
        assertTrue(failure(directory(b, bKeys).lookup(a.peerId())).getMessage().contains("no valid key record"));

        dht.serveRaw(forged);
        Throwable e = failure(directory(b, bKeys).lookup(a.peerId()));
        assertTrue(e.getMessage().contains(a.peerId().toString()) && e.getMessage().contains("signature does not verify"),
                e.getMessage());

        byte[] mallorys = NodeKeysRecords.sign(KeyRecordsForTests.record(mallory.peerId(), claim.kemPublicKey(), now, now,
                now + 60_000), mallory);
        dht.serveRaw(mallorys);
        e = failure(directory(b, bKeys).lookup(a.peerId()));
        assertTrue(e.getMessage().contains("stored under the key of " + a.peerId()), e.getMessage());

        byte[] tampered = NodeKeysRecords.sign(claim, a);
        tampered[tampered.length - 70] ^= 0x40;
        dht.serveRaw(tampered);
        assertTrue(failure(directory(b, bKeys).lookup(a.peerId())).getMessage().contains("record refused"));
    }

    @Test
    void anOlderRecordAnotherPeerStillHoldsIsNotSelected() throws Exception {
        NodeKeyDirectory da = directory(a, aKeys);
        da.start();
        long now = clock.millis();
        byte[] older = NodeKeysRecords.sign(KeyRecordsForTests.record(a.peerId(), Standalone.sealer().kemPublicKey(),
                now - 1000, now - 1000, now + 60_000), a);
        dht.plant(NodeKeysRecords.key(a.peerId()), older);
        NodeKeysRecord seen = await(directory(b, bKeys).lookup(a.peerId()));
        assertEquals(da.current().sequence(), seen.sequence());
        assertArrayEquals(aKeys.sealer().kemPublicKey(), seen.kemPublicKey());
    }

    @Test
    void aKemRotationIsRepublishedWithAHigherSequence() throws Exception {
        NodeKeyDirectory da = directory(a, aKeys);
        da.start();
        NodeKeysRecord first = da.current();
        assertFalse(da.refresh(), "nothing changed");
        assertEquals(1, dht.stored());

        aKeys.rotateKem();
        assertTrue(da.refresh());
        NodeKeysRecord second = da.current();
        assertTrue(second.sequence() > first.sequence(), second.sequence() + " after " + first.sequence());
        assertArrayEquals(aKeys.sealer().kemPublicKey(), second.kemPublicKey());
        assertFalse(java.util.Arrays.equals(first.kemPublicKey(), second.kemPublicKey()));
        eventually("rotated record stored", () -> dht.stored() == 2);

        NodeKeysRecord seen = await(directory(b, bKeys).lookup(a.peerId()));
        assertEquals(second.sequence(), seen.sequence());
        assertArrayEquals(second.kemPublicKey(), seen.kemPublicKey());
    }

    @Test
    void thePollNoticesARotationByItself() throws Exception {
        NodeKeyDirectory da = directory(a, aKeys, settings(Duration.ofHours(24), Duration.ofMillis(10), Duration.ofSeconds(1)));
        da.start();
        long first = da.current().sequence();
        aKeys.rotateKem();
        eventually("poll republished", () -> da.current().sequence() > first && dht.stored() == 2);
        assertArrayEquals(aKeys.sealer().kemPublicKey(), da.current().kemPublicKey());
    }

    @Test
    void republishesAtHalfTheTtl() throws Exception {
        NodeKeyDirectory da = directory(a, aKeys, settings(Duration.ofMillis(100), Duration.ofHours(1), Duration.ofSeconds(1)));
        da.start();
        long first = da.current().sequence();
        eventually("republished twice", () -> dht.stored() >= 3);
        assertTrue(da.current().sequence() >= first + 2);
        assertArrayEquals(aKeys.sealer().kemPublicKey(), da.current().kemPublicKey());
    }

    @Test
    void aFailedPutIsRetriedAndNeverFailsStart() throws Exception {
        dht.failNextPuts(3);
        NodeKeyDirectory da = directory(a, aKeys, settings(Duration.ofHours(24), Duration.ofHours(1), Duration.ofMillis(5)));
        da.start();
        eventually("stored after three failures", () -> dht.stored() == 1);
        assertEquals(4, dht.putCalls());
        assertEquals(a.peerId(), await(directory(b, bKeys).lookup(a.peerId())).node());
    }

    @Test
    void aPutNoPeerTookIsRetriedUntilOneDoes() throws Exception {
        dht.acceptingPeers(0);
        NodeKeyDirectory da = directory(a, aKeys, settings(Duration.ofHours(24), Duration.ofHours(1), Duration.ofMillis(5)));
        da.start();
        eventually("retried while alone", () -> dht.putCalls() >= 3);
        assertEquals(0, dht.taken());
        dht.acceptingPeers(1);
        eventually("a peer took it", () -> dht.taken() == 1);
        int settled = dht.putCalls();
        Thread.sleep(50);
        assertEquals(settled, dht.putCalls(), "no more retries once a peer took it");
        assertEquals(1, dht.taken());
    }

    @Test
    void concurrentLookupsShareOneDhtQuery() throws Exception {
        directory(a, aKeys).start();
        NodeKeyDirectory db = directory(b, bKeys);
        CompletableFuture<Void> gate = new CompletableFuture<>();
        dht.holdGets(gate);
        CompletableFuture<NodeKeysRecord> one = db.lookup(a.peerId());
        CompletableFuture<NodeKeysRecord> two = db.lookup(a.peerId());
        assertEquals(1, dht.getCalls());
        one.cancel(false);
        gate.complete(null);
        assertEquals(a.peerId(), await(two).node());
        assertEquals(1, dht.getCalls());
    }

    @Test
    void cachedRecordsExpireAfterTenMinutes() throws Exception {
        NodeKeyDirectory da = directory(a, aKeys);
        da.start();
        NodeKeyDirectory db = directory(b, bKeys);
        NodeKeysRecord first = await(db.lookup(a.peerId()));
        assertEquals(1, dht.getCalls());

        aKeys.rotateKem();
        da.refresh();
        eventually("rotated record stored", () -> dht.stored() == 2);
        clock.advance(Duration.ofMinutes(10).minusMillis(1));
        assertArrayEquals(first.kemPublicKey(), await(db.lookup(a.peerId())).kemPublicKey(), "still cached");
        assertEquals(1, dht.getCalls());

        clock.advance(Duration.ofMillis(1));
        NodeKeysRecord second = await(db.lookup(a.peerId()));
        assertEquals(2, dht.getCalls());
        assertArrayEquals(aKeys.sealer().kemPublicKey(), second.kemPublicKey());
    }

    @Test
    void cachedRecordsExpireWithTheRecord() throws Exception {
        NodeKeyDirectory da = directory(a, aKeys, settings(Duration.ofMinutes(2), Duration.ofHours(1), Duration.ofSeconds(1)));
        da.start();
        NodeKeyDirectory db = directory(b, bKeys);
        await(db.lookup(a.peerId()));
        clock.advance(Duration.ofMinutes(2).minusMillis(1));
        await(db.lookup(a.peerId()));
        assertEquals(1, dht.getCalls());
        clock.advance(Duration.ofMillis(1));
        Throwable e = failure(db.lookup(a.peerId()));
        assertEquals(2, dht.getCalls());
        assertTrue(e.getMessage().contains("no valid key record"), e.getMessage());
    }

    @Test
    void closeStopsRepublishingAndFailsPendingLookups() throws Exception {
        NodeKeyDirectory da = directory(a, aKeys, settings(Duration.ofMillis(40), Duration.ofMillis(10), Duration.ofMillis(5)));
        da.start();
        CompletableFuture<Void> gate = new CompletableFuture<>();
        dht.holdGets(gate);
        CompletableFuture<NodeKeysRecord> pending = da.lookup(b.peerId());
        da.close();
        assertTrue(failure(pending).getMessage().contains("closed"));
        int stored = dht.stored();
        Thread.sleep(100);
        assertEquals(stored, dht.stored(), "no republish after close");
        assertThrows(IllegalStateException.class, da::start);
    }
}

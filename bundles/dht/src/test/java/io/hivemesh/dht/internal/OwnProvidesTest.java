package io.hivemesh.dht.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.multiformats.Cid;
import io.hivemesh.api.multiformats.Multicodec;
import io.hivemesh.api.multiformats.Multihash;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.PeerInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link OwnProvides} over real stores on one hand-moved clock. */
class OwnProvidesTest {
    private static final Duration TTL = Duration.ofHours(48);
    private static final Duration EVERY = Duration.ofHours(22);
    private static final List<PeerId> PEERS = TestPeers.peers(2, 55);
    private static final PeerInfo SELF = new PeerInfo(PEERS.get(0), List.of(MemoryHub.addressOf(PEERS.get(0))));
    private static final PeerInfo OTHER = new PeerInfo(PEERS.get(1), List.of(MemoryHub.addressOf(PEERS.get(1))));

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));

    private static Cid cid(String s, long codec) {
        return Cid.v1(codec, Multihash.sha256(s.getBytes(StandardCharsets.UTF_8)));
    }

    private ProviderStore providers() {
        return new ProviderStore(dir.resolve("providers"), clock, TTL, 100, 10);
    }

    private RecordStore provided() {
        return new RecordStore(dir.resolve("provided"), clock, DhtComponent.PUBLISHED_KEPT, 100);
    }

    @Test
    void aWithdrawnKeyIsNotReannouncedAndStaysWithdrawnAfterReopening() {
        ProviderStore providers = providers();
        OwnProvides own = new OwnProvides(providers, provided());
        Cid task = cid("task", Multicodec.DAG_CBOR);
        byte[] key = task.multihash().toBytes();
        own.announce(key, task.toBytes(), SELF);
        providers.add(key, OTHER);
        assertEquals(Set.of(task), own.cids(), "the CID as provided, codec included");

        assertTrue(own.withdraw(key, SELF.peer()));
        assertEquals(List.of(OTHER), providers.get(key), "only this node's entry leaves the provider store");
        assertEquals(Set.of(), own.cids());
        assertFalse(own.reannounce(key, SELF), "a reprovide after the withdrawal sends nothing");
        assertEquals(List.of(OTHER), providers.get(key), "and does not add the entry back");
        assertFalse(own.withdraw(key, SELF.peer()), "nothing left to withdraw");

        OwnProvides reopened = new OwnProvides(providers(), provided());
        assertEquals(List.of(), reopened.adopt(SELF.peer()), "the withdrawal is on disk: nothing to adopt");
        clock.advance(EVERY);
        assertEquals(List.of(), reopened.due(clock.instant(), EVERY));
    }

    @Test
    void reannouncingKeepsTheCidAndRestartsTheSchedule() {
        OwnProvides own = new OwnProvides(providers(), provided());
        Cid task = cid("task", Multicodec.RAW);
        byte[] key = task.multihash().toBytes();
        own.announce(key, task.toBytes(), SELF);
        clock.advance(EVERY.minusSeconds(1));
        assertEquals(List.of(), own.due(clock.instant(), EVERY));
        clock.advance(Duration.ofSeconds(1));
        List<byte[]> due = own.due(clock.instant(), EVERY);
        assertEquals(1, due.size());
        assertArrayEquals(key, due.get(0));
        assertTrue(own.reannounce(key, SELF));
        assertEquals(List.of(), own.due(clock.instant(), EVERY), "due again only one interval later");
        assertEquals(Set.of(task), own.cids());
    }

    @Test
    void adoptedKeysShowAsRawCidsAndKeysThatAreNoMultihashAreLeftOut() {
        ProviderStore providers = providers();
        Cid legacy = cid("legacy", Multicodec.DAG_PB);
        providers.add(legacy.multihash().toBytes(), SELF); // provided before provided/ existed
        OwnProvides own = new OwnProvides(providers, provided());
        assertEquals(1, own.adopt(SELF.peer()).size());
        assertEquals(List.of(), own.adopt(SELF.peer()), "adopted once");
        own.announce("not a multihash".getBytes(StandardCharsets.UTF_8), new byte[0], SELF);
        assertEquals(Set.of(Cid.v1(Multicodec.RAW, legacy.multihash())), own.cids());
    }

    @Test
    void withoutAStoreOfOwnProvidesOnlyTheProviderEntryIsKept() {
        ProviderStore providers = providers();
        OwnProvides own = new OwnProvides(providers, null);
        byte[] key = cid("x", Multicodec.RAW).multihash().toBytes();
        own.announce(key, new byte[0], SELF);
        assertEquals(List.of(SELF), providers.get(key));
        assertEquals(Set.of(), own.cids());
        clock.advance(EVERY);
        assertEquals(List.of(), own.due(clock.instant(), EVERY));
        assertTrue(own.withdraw(key, SELF.peer()));
        assertEquals(List.of(), providers.get(key));
    }
}

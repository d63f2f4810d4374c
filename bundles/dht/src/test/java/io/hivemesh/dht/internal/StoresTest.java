package io.hivemesh.dht.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.PeerInfo;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StoresTest {
    private static final Duration RECORD_TTL = Duration.ofHours(36);
    private static final Duration PROVIDER_TTL = Duration.ofHours(48);
    private static final List<PeerId> PEERS = TestPeers.peers(5, 77);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));

    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private long files(Path d) throws Exception {
        try (Stream<Path> s = Files.list(d)) {
            return s.count();
        }
    }

    @Test
    void recordsSurviveARestartAndVanishAfterTheirTtl() throws Exception {
        Path rd = dir.resolve("records");
        RecordStore s = new RecordStore(rd, clock, RECORD_TTL, 100);
        s.put(b("/mesh/a"), b("one"));
        s.put(b("/mesh/a"), b("two"));
        s.put(b("/mesh/b"), b("bee"));
        assertEquals(2, files(rd));

        clock.advance(Duration.ofHours(10));
        RecordStore reopened = new RecordStore(rd, clock, RECORD_TTL, 100);
        assertArrayEquals(b("two"), reopened.get(b("/mesh/a")).orElseThrow().value());
        assertEquals(Instant.parse("2026-11-22T00:00:00Z"), reopened.get(b("/mesh/a")).orElseThrow().received());
        reopened.put(b("/mesh/b"), b("bee again"));

        clock.advance(Duration.ofHours(26)); // /mesh/a is 36 h old, /mesh/b 26 h
        assertTrue(reopened.get(b("/mesh/a")).isEmpty());
        assertArrayEquals(b("bee again"), reopened.get(b("/mesh/b")).orElseThrow().value());
        assertEquals(1, reopened.expire());
        assertEquals(1, files(rd));
        RecordStore third = new RecordStore(rd, clock, RECORD_TTL, 100);
        assertEquals(1, third.size());
        assertTrue(third.get(b("/mesh/a")).isEmpty());
    }

    @Test
    void recordStoreIsBoundedAndSkipsCorruptFiles() throws Exception {
        Path rd = dir.resolve("records");
        RecordStore s = new RecordStore(rd, clock, RECORD_TTL, 2);
        s.put(b("/mesh/1"), b("x"));
        s.put(b("/mesh/2"), b("x"));
        s.put(b("/mesh/2"), b("y")); // replacing is fine
        IllegalStateException full = assertThrows(IllegalStateException.class, () -> s.put(b("/mesh/3"), b("x")));
        assertTrue(full.getMessage().contains("full"), full.getMessage());
        Files.write(rd.resolve(KadId.of(b("/mesh/9")) + ".rec"), new byte[] {(byte) 0xFF, 1, 2});
        Files.write(rd.resolve("leftover.rec.tmp"), new byte[] {1});
        RecordStore reopened = new RecordStore(rd, clock, RECORD_TTL, 10);
        assertEquals(2, reopened.size());
        assertFalse(Files.exists(rd.resolve("leftover.rec.tmp")), "a torn temp file is cleaned up");
    }

    @Test
    void providersSurviveARestartExpireAndAreBounded() throws Exception {
        Path pd = dir.resolve("providers");
        byte[] key = PEERS.get(0).toBytes();
        Multiaddr a = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001");
        ProviderStore s = new ProviderStore(pd, clock, PROVIDER_TTL, 10, 3);
        s.add(key, new PeerInfo(PEERS.get(1), List.of(a)));
        clock.advance(Duration.ofHours(24));
        s.add(key, new PeerInfo(PEERS.get(2), List.of()));
        ProviderStore reopened = new ProviderStore(pd, clock, PROVIDER_TTL, 10, 3);
        assertEquals(List.of(new PeerInfo(PEERS.get(1), List.of(a)), new PeerInfo(PEERS.get(2), List.of())), reopened.get(key));

        clock.advance(Duration.ofHours(24)); // the first entry is 48 h old
        assertEquals(List.of(new PeerInfo(PEERS.get(2), List.of())), reopened.get(key));
        assertEquals(1, reopened.expire());
        clock.advance(Duration.ofHours(24));
        assertEquals(1, reopened.expire());
        assertEquals(0, reopened.keys());
        assertEquals(0, files(pd), "a key left without providers has no file");

        for (int i = 1; i < 5; i++) {
            reopened.add(key, new PeerInfo(PEERS.get(i), List.of()));
        }
        assertEquals(3, reopened.get(key).size(), "at most maxPerKey providers, oldest dropped");
        assertEquals(PEERS.get(2), reopened.get(key).get(0).peer());
        ProviderStore small = new ProviderStore(dir.resolve("p2"), clock, PROVIDER_TTL, 1, 3);
        small.add(b("k1"), new PeerInfo(PEERS.get(1), List.of()));
        assertThrows(IllegalStateException.class, () -> small.add(b("k2"), new PeerInfo(PEERS.get(1), List.of())));
    }

    @Test
    void recordStoreHasAByteBudgetAndReadsValuesFromDisk() throws Exception {
        Path rd = dir.resolve("records");
        byte[] a = b("/mesh/a"); // 7-byte keys
        byte[] bKey = b("/mesh/b");
        RecordStore s = new RecordStore(rd, clock, RECORD_TTL, 100, 100);
        s.put(a, new byte[50]);
        assertEquals(57, s.bytes());
        IllegalStateException full = assertThrows(IllegalStateException.class, () -> s.put(bKey, new byte[50]));
        assertTrue(full.getMessage().contains("max_record_store_bytes 100"), full.getMessage());
        assertTrue(s.get(bKey).isEmpty(), "a refused put changes nothing");
        IllegalStateException grown = assertThrows(IllegalStateException.class, () -> s.put(a, new byte[94]));
        assertTrue(grown.getMessage().contains("max_record_store_bytes"), "a replacement may not cross the budget either");
        s.put(a, new byte[10]); // shrinking makes room
        s.put(bKey, new byte[50]);
        assertEquals(17 + 57, s.bytes());
        assertEquals(50, s.meta(bKey).orElseThrow().valueLength());

        // the index keeps no value: get reads the file (here replaced behind the store's back)
        RecordStore other = new RecordStore(dir.resolve("other"), clock, RECORD_TTL, 10);
        other.put(bKey, b("from disk"));
        Files.copy(dir.resolve("other").resolve(KadId.of(bKey) + ".rec"), rd.resolve(KadId.of(bKey) + ".rec"),
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        assertArrayEquals(b("from disk"), s.get(bKey).orElseThrow().value());
        Files.delete(rd.resolve(KadId.of(a) + ".rec"));
        assertTrue(s.get(a).isEmpty(), "a record whose file vanished is absent");
    }

    @Test
    void perPeerQuotaCountsRecordsAndBytesAndReplacementsAccountTheDifference() throws Exception {
        Path rd = dir.resolve("records");
        RecordStore s = new RecordStore(rd, clock, RECORD_TTL, 100);
        RecordStore.Quota quota = new RecordStore.Quota(2, 40);
        PeerId a = PEERS.get(1);
        PeerId bPeer = PEERS.get(2);
        s.put(b("/mesh/1"), new byte[10], a, quota); // 7 + 10 bytes
        s.put(b("/mesh/2"), new byte[10], a, quota);
        assertEquals(new RecordStore.Usage(2, 34), s.usage(a));
        IllegalStateException records = assertThrows(IllegalStateException.class, () -> s.put(b("/mesh/3"), new byte[1], a, quota));
        assertTrue(records.getMessage().contains("max_records_per_peer 2"), records.getMessage());
        IllegalStateException bytes = assertThrows(IllegalStateException.class, () -> s.put(b("/mesh/2"), new byte[17], a, quota));
        assertTrue(bytes.getMessage().contains("max_bytes_per_peer 40"), bytes.getMessage());
        s.put(b("/mesh/2"), new byte[16], a, quota); // replacing its own record: only the difference counts
        assertEquals(new RecordStore.Usage(2, 40), s.usage(a));

        s.put(b("/mesh/3"), new byte[20], bPeer, quota); // another peer has its own quota
        s.put(b("/mesh/1"), new byte[1], bPeer, quota); // taking over a's record moves it to b
        assertEquals(new RecordStore.Usage(1, 23), s.usage(a));
        assertEquals(new RecordStore.Usage(2, 35), s.usage(bPeer));
        s.put(b("/mesh/4"), new byte[1000]); // this node's own puts have no quota
        assertEquals(PEERS.get(2), s.get(b("/mesh/1")).orElseThrow().from());

        RecordStore reopened = new RecordStore(rd, clock, RECORD_TTL, 100);
        assertEquals(new RecordStore.Usage(1, 23), reopened.usage(a), "the uploader is persisted with the record");
        assertEquals(new RecordStore.Usage(2, 35), reopened.usage(bPeer));
        assertEquals(null, reopened.get(b("/mesh/4")).orElseThrow().from());
    }

    @Test
    void filesOfTheOlderFormatStillLoad() throws Exception {
        Path rd = dir.resolve("records");
        Files.createDirectories(rd);
        byte[] key = b("/mesh/old");
        byte[] plain = io.hivemesh.dht.internal.proto.DhtProto.Record.newBuilder()
                .setKey(com.google.protobuf.ByteString.copyFrom(key)).setValue(com.google.protobuf.ByteString.copyFrom(b("v")))
                .setTimeReceived(clock.instant().toString()).build().toByteArray();
        Files.write(rd.resolve(KadId.of(key) + ".rec"), plain);
        RecordStore s = new RecordStore(rd, clock, RECORD_TTL, 10);
        RecordStore.Stored got = s.get(key).orElseThrow();
        assertArrayEquals(b("v"), got.value());
        assertEquals(clock.instant(), got.received());
        assertEquals(null, got.from());
        s.put(key, b("w"), PEERS.get(3), null);
        assertEquals(PEERS.get(3), new RecordStore(rd, clock, RECORD_TTL, 10).get(key).orElseThrow().from());
    }

    @Test
    void expiryFreesTheBoundsAndQuotasAndAPutAfterExpiryStays() throws Exception {
        Path rd = dir.resolve("records");
        RecordStore s = new RecordStore(rd, clock, RECORD_TTL, 1, 1000);
        RecordStore.Quota quota = new RecordStore.Quota(1, 1000);
        s.put(b("/mesh/a"), b("old"), PEERS.get(1), quota);
        clock.advance(RECORD_TTL);
        // full by count and by the peer's quota, but the expired record makes room
        s.put(b("/mesh/b"), b("new"), PEERS.get(1), quota);
        assertEquals(1, s.size());
        assertEquals(1, files(rd));
        assertEquals(new RecordStore.Usage(1, 10), s.usage(PEERS.get(1)), "the expired record left the peer's usage");
        assertTrue(s.get(b("/mesh/a")).isEmpty());

        clock.advance(RECORD_TTL);
        assertEquals(1, s.expire());
        assertEquals(0, files(rd));
        assertEquals(new RecordStore.Usage(0, 0), s.usage(PEERS.get(1)));
        s.put(b("/mesh/b"), b("again"), PEERS.get(1), quota); // the same key, put after its expiry, stays
        assertEquals(0, s.expire());
        assertArrayEquals(b("again"), new RecordStore(rd, clock, RECORD_TTL, 1).get(b("/mesh/b")).orElseThrow().value());
    }
}

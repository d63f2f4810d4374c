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
}

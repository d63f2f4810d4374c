package io.hivemesh.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.crypto.CryptoException;
import io.hivemesh.api.peer.PeerId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplayWindowTest {
    private final SecureRandom random = new SecureRandom();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
    private final PeerId peer = Ed25519Identity.generate(random, "p").peerId();
    private final Duration skew = Duration.ofSeconds(30);
    private final Duration window = Duration.ofMinutes(5);

    private byte[] nonce() {
        byte[] n = new byte[16];
        random.nextBytes(n);
        return n;
    }

    @Test
    void seenNoncesSurviveARestart(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("replay.log");
        byte[] n1 = nonce();
        byte[] n2 = nonce();
        try (ReplayWindow g = new ReplayWindow(clock, skew, window, 100, log, true)) {
            g.check(peer, n1, clock.instant());
            g.check(peer, n2, clock.instant());
        }
        // A torn write at the end (crash mid-append) is ignored.
        Files.write(log, new byte[7], StandardOpenOption.APPEND);
        try (ReplayWindow g = new ReplayWindow(clock, skew, window, 100, log, false)) {
            assertEquals(2, g.size());
            CryptoException e = assertThrows(CryptoException.class, () -> g.check(peer, n1, clock.instant()));
            assertTrue(e.getMessage().startsWith("replayed nonce"), e.getMessage());
            assertEquals(2 * ReplayWindow.RECORD, Files.size(log), "compacted on load");
        }
        clock.advance(window.plusSeconds(1));
        try (ReplayWindow g = new ReplayWindow(clock, skew, window, 100, log, false)) {
            assertEquals(0, g.size(), "expired nonces are dropped");
        }
    }

    @Test
    void sameNonceFromAnotherOriginIsIndependent() {
        ReplayWindow g = new ReplayWindow(clock, skew, window, 100);
        byte[] n = nonce();
        g.check(peer, n, clock.instant());
        g.check(Ed25519Identity.generate(random, "q").peerId(), n, clock.instant());
        assertEquals(2, g.size());
    }

    @Test
    void fullGuardFailsClosedAndRecoversAfterTheWindow() {
        ReplayWindow g = new ReplayWindow(clock, skew, window, 3);
        for (int i = 0; i < 3; i++) {
            g.check(peer, nonce(), clock.instant());
        }
        CryptoException e = assertThrows(CryptoException.class, () -> g.check(peer, nonce(), clock.instant()));
        assertTrue(e.getMessage().startsWith("replay guard full"), e.getMessage());
        clock.advance(window);
        g.check(peer, nonce(), clock.instant());
        assertEquals(1, g.size());
    }

    @Test
    void windowShorterThanTwiceTheSkewIsRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> new ReplayWindow(clock, Duration.ofSeconds(30), Duration.ofSeconds(59), 10));
    }

    @Test
    void compactionKeepsTheLogBounded(@TempDir Path dir) throws Exception {
        Path log = dir.resolve("replay.log");
        try (ReplayWindow g = new ReplayWindow(clock, skew, window, 10_000, log, false)) {
            for (int i = 0; i < 3000; i++) {
                g.check(peer, nonce(), clock.instant());
                clock.advance(Duration.ofMillis(500));
            }
            // Live entries: those within the last 5 minutes (600); the log holds at most 2 × live + 1024 + 1.
            assertTrue(Files.size(log) / ReplayWindow.RECORD <= 2L * g.size() + 1025, "log " + Files.size(log));
        }
    }
}

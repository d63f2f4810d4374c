package io.hivemesh.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.crypto.CryptoException;
import io.hivemesh.api.crypto.SealContext;
import io.hivemesh.api.peer.PeerId;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HybridSealerTest {
    private final SecureRandom random = new SecureRandom();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
    private final PeerId alice = Ed25519Identity.generate(random, "a").peerId();
    private final PeerId bob = Ed25519Identity.generate(random, "b").peerId();
    private final PeerId carol = Ed25519Identity.generate(random, "c").peerId();
    private final SealContext ctx = new SealContext(alice, bob, "hivemesh/manifest", "deploy");
    /** Small chunks (1 KiB) so that multi-chunk cases stay small. */
    private final HybridSealer bobSealer = new HybridSealer(KemKeyRing.inMemory(2, random, clock), random, 10);
    private final HybridSealer aliceSealer = new HybridSealer(KemKeyRing.inMemory(2, random, clock), random, 10);

    private byte[] bytes(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void roundTripsAtChunkBoundaries() {
        for (int n : new int[] {0, 1, 1023, 1024, 1025, 3 * 1024, 3 * 1024 + 7}) {
            byte[] plain = bytes(n);
            byte[] sealed = aliceSealer.seal(bobSealer.kemPublicKey(), ctx, plain);
            int chunks = Math.max(1, (n + 1023) / 1024);
            assertEquals(HybridSealer.HEADER + n + 16 * chunks, sealed.length, "size for " + n);
            assertArrayEquals(plain, bobSealer.open(ctx, sealed), "size " + n);
        }
    }

    @Test
    void defaultChunkSizeRoundTripsOneMebibyte() {
        HybridSealer bigBob = new HybridSealer(KemKeyRing.inMemory(2, random, clock), random);
        byte[] plain = bytes(1 << 20);
        assertArrayEquals(plain, bigBob.open(ctx, aliceSealer.seal(bigBob.kemPublicKey(), ctx, plain)));
    }

    @Test
    void wrongRecipientIsNamed() {
        byte[] sealed = aliceSealer.seal(bobSealer.kemPublicKey(), ctx, bytes(10));
        CryptoException e = assertThrows(CryptoException.class, () -> aliceSealer.open(ctx, sealed));
        assertTrue(e.getMessage().contains("wrong recipient"), e.getMessage());
    }

    @Test
    void swappedAssociatedDataFails() {
        byte[] sealed = aliceSealer.seal(bobSealer.kemPublicKey(), ctx, bytes(2000));
        for (SealContext other : new SealContext[] {
                new SealContext(carol, bob, "hivemesh/manifest", "deploy"),
                new SealContext(alice, carol, "hivemesh/manifest", "deploy"),
                new SealContext(bob, alice, "hivemesh/manifest", "deploy"),
                new SealContext(alice, bob, "hivemesh/share", "deploy"),
                new SealContext(alice, bob, "hivemesh/manifest", "delete")}) {
            CryptoException e = assertThrows(CryptoException.class, () -> bobSealer.open(other, sealed));
            assertTrue(e.getMessage().contains("authentication failed at chunk 0"), e.getMessage());
        }
    }

    @Test
    void everyTamperedByteFailsAndNothingLeaks() {
        byte[] sealed = aliceSealer.seal(bobSealer.kemPublicKey(), ctx, bytes(2500));
        for (int i = 0; i < sealed.length; i++) {
            byte[] t = sealed.clone();
            t[i] ^= 0x01;
            assertThrows(CryptoException.class, () -> bobSealer.open(ctx, t), "byte " + i);
        }
    }

    @Test
    void truncationAtAChunkBoundaryIsNamed() {
        byte[] sealed = aliceSealer.seal(bobSealer.kemPublicKey(), ctx, bytes(3000));
        byte[] cut = Arrays.copyOf(sealed, HybridSealer.HEADER + 2 * (1024 + 16));
        CryptoException e = assertThrows(CryptoException.class, () -> bobSealer.open(ctx, cut));
        assertTrue(e.getMessage().contains("truncated: chunk 1 is not the final chunk"), e.getMessage());
    }

    @Test
    void everyTruncationFails() {
        byte[] sealed = aliceSealer.seal(bobSealer.kemPublicKey(), ctx, bytes(1500));
        for (int n = 0; n < sealed.length; n += 7) {
            byte[] cut = Arrays.copyOf(sealed, n);
            assertThrows(CryptoException.class, () -> bobSealer.open(ctx, cut), "length " + n);
        }
    }

    @Test
    void malformedRecipientKeyIsRefused() {
        byte[] pub = bobSealer.kemPublicKey();
        assertThrows(CryptoException.class, () -> aliceSealer.seal(Arrays.copyOf(pub, 100), ctx, bytes(1)));
        pub[0] = 2;
        assertThrows(CryptoException.class, () -> aliceSealer.seal(pub, ctx, bytes(1)));
        // FIPS 203 section 7.2 modulus check: coefficients of 0xfff exceed q = 3329.
        byte[] badMlKem = bobSealer.kemPublicKey();
        Arrays.fill(badMlKem, 33, 33 + 384, (byte) 0xff);
        CryptoException e = assertThrows(CryptoException.class, () -> aliceSealer.seal(badMlKem, ctx, bytes(1)));
        assertTrue(e.getMessage().contains("not a valid ML-KEM-768 encapsulation key"), e.getMessage());
    }

    @Test
    void rotationKeepsOldKeysAbleToOpenUpToTheRetainedCount(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("crypto").resolve("kem.keys");
        KemKeyRing ring = KemKeyRing.loadOrCreate(file, 1, random, clock);
        HybridSealer sealer = new HybridSealer(ring, random, 10);
        byte[] plain = bytes(100);
        byte[] toFirst = aliceSealer.seal(sealer.kemPublicKey(), ctx, plain);
        ring.rotate();
        byte[] toSecond = aliceSealer.seal(sealer.kemPublicKey(), ctx, plain);
        assertArrayEquals(plain, sealer.open(ctx, toFirst));

        // After a restart the ring is the same.
        KemKeyRing reloaded = KemKeyRing.loadOrCreate(file, 1, random, clock);
        HybridSealer again = new HybridSealer(reloaded, random, 10);
        assertArrayEquals(sealer.kemPublicKey(), again.kemPublicKey());
        assertArrayEquals(plain, again.open(ctx, toFirst));
        assertArrayEquals(plain, again.open(ctx, toSecond));
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));

        // One retained key: a second rotation drops the first.
        reloaded.rotate();
        assertArrayEquals(plain, again.open(ctx, toSecond));
        CryptoException e = assertThrows(CryptoException.class, () -> again.open(ctx, toFirst));
        assertTrue(e.getMessage().contains("wrong recipient"), e.getMessage());
    }

    @Test
    void corruptKeyRingIsReportedAndLeftAlone(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("kem.keys");
        KemKeyRing.loadOrCreate(file, 1, random, clock);
        byte[] good = Files.readAllBytes(file);
        byte[] bad = good.clone();
        bad[20] ^= 1;
        Files.write(file, bad);
        KeyFileException e = assertThrows(KeyFileException.class, () -> KemKeyRing.loadOrCreate(file, 1, random, clock));
        assertTrue(e.getMessage().contains("checksum mismatch"), e.getMessage());
        assertArrayEquals(bad, Files.readAllBytes(file));
    }
}

package io.hivemesh.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.crypto.CryptoException;
import io.hivemesh.api.crypto.VerifiedEnvelope;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class EnvelopeSignerTest {
    private final SecureRandom random = new SecureRandom();
    private final MutableClock clock = new MutableClock(Instant.parse("2026-11-22T00:00:00Z"));
    private final Ed25519Identity alice = Ed25519Identity.generate(random, "a");
    private final Ed25519Identity bob = Ed25519Identity.generate(random, "b");
    private final byte[] payload = "deploy manifest 42".getBytes(StandardCharsets.UTF_8);

    private ReplayWindow guard() {
        return new ReplayWindow(clock, Duration.ofSeconds(30), Duration.ofMinutes(5), 10_000);
    }

    private EnvelopeSigner signer(Ed25519Identity id, MlDsaKey mldsa) {
        return new EnvelopeSigner(id, mldsa, guard(), clock, random, 1 << 20);
    }

    @Test
    void roundTripBindsSignerToPeerId() {
        byte[] env = signer(alice, null).sign("hivemesh/manifest", payload);
        VerifiedEnvelope v = signer(bob, null).verify(env, Optional.of(alice.peerId()));
        assertEquals("hivemesh/manifest", v.payloadType());
        assertArrayEquals(payload, v.payload());
        assertEquals(alice.peerId(), v.signer());
        assertEquals(clock.instant(), v.timestamp());
    }

    @Test
    void signerOtherThanExpectedIsRefused() {
        byte[] env = signer(alice, null).sign("t", payload);
        CryptoException e = assertThrows(CryptoException.class,
                () -> signer(bob, null).verify(env, Optional.of(bob.peerId())));
        assertTrue(e.getMessage().contains("expected " + bob.peerId()), e.getMessage());
    }

    @Test
    void everyTamperedByteIsRefused() {
        byte[] env = signer(alice, null).sign("t", payload);
        EnvelopeSigner verifier = signer(bob, null);
        for (int i = 0; i < env.length; i++) {
            byte[] t = env.clone();
            t[i] ^= 0x01;
            assertThrows(CryptoException.class, () -> verifier.verify(t, Optional.empty()), "byte " + i);
        }
        // None of the forgeries burnt the nonce: the original still verifies once.
        verifier.verify(env, Optional.empty());
    }

    @Test
    void everyTruncationIsRefusedWithTruncated() {
        byte[] env = signer(alice, null).sign("t", payload);
        EnvelopeSigner verifier = signer(bob, null);
        for (int n = 0; n < env.length; n++) {
            byte[] t = Arrays.copyOf(env, n);
            CryptoException e = assertThrows(CryptoException.class, () -> verifier.verify(t, Optional.empty()));
            assertTrue(e.getMessage().contains("truncated") || e.getMessage().contains("not an envelope"),
                    n + ": " + e.getMessage());
        }
        byte[] longer = Arrays.copyOf(env, env.length + 1);
        CryptoException e = assertThrows(CryptoException.class, () -> verifier.verify(longer, Optional.empty()));
        assertTrue(e.getMessage().contains("trailing"), e.getMessage());
    }

    @Test
    void replayedNonceIsRefused() {
        byte[] env = signer(alice, null).sign("t", payload);
        EnvelopeSigner verifier = signer(bob, null);
        verifier.verify(env, Optional.empty());
        CryptoException e = assertThrows(CryptoException.class, () -> verifier.verify(env, Optional.empty()));
        assertTrue(e.getMessage().startsWith("replayed nonce"), e.getMessage());
    }

    @Test
    void staleAndFutureTimestampsAreRefused() {
        byte[] env = signer(alice, null).sign("t", payload);
        EnvelopeSigner verifier = signer(bob, null);
        clock.advance(Duration.ofSeconds(31));
        CryptoException stale = assertThrows(CryptoException.class, () -> verifier.verify(env, Optional.empty()));
        assertTrue(stale.getMessage().startsWith("stale timestamp"), stale.getMessage());
        clock.advance(Duration.ofSeconds(-62));
        CryptoException future = assertThrows(CryptoException.class, () -> verifier.verify(env, Optional.empty()));
        assertTrue(future.getMessage().startsWith("future timestamp"), future.getMessage());
        clock.advance(Duration.ofSeconds(31));
        verifier.verify(env, Optional.empty());
    }

    @Test
    void forgedSignatureDoesNotBurnTheNonce() {
        byte[] env = signer(alice, null).sign("t", payload);
        EnvelopeSigner verifier = signer(bob, null);
        byte[] forged = env.clone();
        forged[forged.length - 1] ^= 1;
        CryptoException e = assertThrows(CryptoException.class, () -> verifier.verify(forged, Optional.empty()));
        assertTrue(e.getMessage().contains("bad Ed25519 signature"), e.getMessage());
        verifier.verify(env, Optional.empty());
    }

    @Test
    void mldsaSecondSignatureRoundTripsAndCannotBeStripped() {
        MlDsaKey mldsa = MlDsaKey.generate(random);
        byte[] env = signer(alice, mldsa).sign("t", payload);
        EnvelopeSigner verifier = signer(bob, null);
        assertArrayEquals(payload, verifier.verify(env, Optional.of(alice.peerId())).payload());
        // Strip it: clear the flag, drop the key and the ML-DSA signature.
        EnvelopeSigner.Decoded d = EnvelopeSigner.decode(env, 1 << 20);
        int keyStart = d.signedLength() - 2 - Signatures.MLDSA65_PUBLIC;
        byte[] stripped = new byte[keyStart + 64];
        System.arraycopy(env, 0, stripped, 0, keyStart);
        System.arraycopy(env, d.signedLength(), stripped, keyStart, 64);
        stripped[2] = 0;
        CryptoException e = assertThrows(CryptoException.class, () -> signer(bob, null).verify(stripped, Optional.empty()));
        assertTrue(e.getMessage().contains("bad Ed25519 signature"), e.getMessage());
        // A flipped bit in the ML-DSA signature is caught by it.
        byte[] t = env.clone();
        t[t.length - 10] ^= 1;
        CryptoException e2 = assertThrows(CryptoException.class, () -> signer(bob, null).verify(t, Optional.empty()));
        assertTrue(e2.getMessage().contains("bad ML-DSA-65 signature"), e2.getMessage());
    }

    @Test
    void oversizePayloadLengthIsRefusedBeforeAllocation() {
        byte[] env = signer(alice, null).sign("t", payload);
        byte[] t = env.clone();
        int lengthAt = 3 + 2 + 1;
        t[lengthAt] = (byte) 0x7f;
        CryptoException e = assertThrows(CryptoException.class, () -> signer(bob, null).verify(t, Optional.empty()));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
    }
}

package io.hivemesh.transport.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The Noise AEAD implementations: the RFC 8439 vector, JDK and Conscrypt agreeing byte for byte, interop. */
class CipherTest {
    /** On linux-x86_64 (these machines) Conscrypt's native library must load: a fallback here is a packaging bug. */
    @Test
    void conscryptIsChosenHere() {
        NoiseCiphers.Choice c = NoiseCiphers.chosen();
        assertEquals("conscrypt", c.factory().id(), c.reason());
        assertTrue(c.summary().startsWith("ChaCha20-Poly1305: Conscrypt 2.5.2"), c.summary());
    }

    @Test
    void bothPassTheRfc8439KnownAnswerTest() {
        assertNull(NoiseCiphers.selfTest(NoiseCiphers.JDK));
        assertNull(NoiseCiphers.selfTest(NoiseCiphers.conscrypt()));
    }

    @Test
    void forcingTheJdkIsHonoured() {
        NoiseCiphers.Choice c = NoiseCiphers.choose("jdk");
        assertEquals("jdk", c.factory().id());
        assertEquals("conscrypt", NoiseCiphers.choose("auto").factory().id());
    }

    @Test
    void chosenAndJdkGiveIdenticalOutputForRandomInputs() {
        Random r = new Random(8439);
        NoiseCipher.Factory chosen = NoiseCiphers.chosen().factory();
        for (int i = 0; i < 200; i++) {
            byte[] key = bytes(r, 32);
            byte[] nonce = bytes(r, 12);
            byte[] ad = r.nextBoolean() ? null : bytes(r, r.nextInt(64));
            int len = i < 5 ? new int[] {0, 1, 15, 16, NoiseTransportCodec.MAX_PLAINTEXT}[i] : r.nextInt(70_000);
            byte[] plain = bytes(r, len);
            assertArrayEquals(seal(NoiseCiphers.JDK, key, nonce, ad, plain), seal(chosen, key, nonce, ad, plain),
                    "message " + i + " of " + len + " bytes");
        }
    }

    @Test
    void jdkAndConscryptInteroperateThroughCipherState() {
        NoiseCipher.Factory[] impls = {NoiseCiphers.JDK, NoiseCiphers.conscrypt()};
        Random r = new Random(17);
        for (NoiseCipher.Factory enc : impls) {
            for (NoiseCipher.Factory dec : impls) {
                byte[] key = bytes(r, 32);
                CipherState sender = new CipherState(key, enc);
                CipherState receiver = new CipherState(key, dec);
                for (int i = 0; i < 50; i++) {
                    byte[] ad = i % 2 == 0 ? null : bytes(r, 32);
                    byte[] plain = bytes(r, r.nextInt(NoiseTransportCodec.MAX_PLAINTEXT + 1));
                    byte[] wire = new byte[plain.length + CipherState.TAG_LENGTH];
                    assertEquals(wire.length, sender.encrypt(ad, plain, 0, plain.length, wire, 0));
                    byte[] out = new byte[plain.length];
                    assertEquals(plain.length, receiver.decrypt(ad, wire, 0, wire.length, out, 0));
                    assertArrayEquals(plain, out, enc.id() + " -> " + dec.id() + " message " + i);
                }
            }
        }
    }

    @Test
    void tamperingIsAProtocolViolationWithEither() {
        for (NoiseCipher.Factory f : new NoiseCipher.Factory[] {NoiseCiphers.JDK, NoiseCiphers.conscrypt()}) {
            byte[] key = new byte[32];
            CipherState sender = new CipherState(key, f);
            CipherState receiver = new CipherState(key, f);
            byte[] plain = "hello".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
            byte[] wire = new byte[plain.length + CipherState.TAG_LENGTH];
            sender.encrypt(null, plain, 0, plain.length, wire, 0);
            wire[2] ^= 0x40;
            byte[] out = new byte[plain.length];
            assertThrows(ProtocolViolationException.class,
                    () -> receiver.decrypt(null, wire, 0, wire.length, out, 0), f.id());
            // a wrong associated data (the handshake hash) fails too
            CipherState s2 = new CipherState(key, f);
            CipherState r2 = new CipherState(key, f);
            byte[] w2 = new byte[plain.length + CipherState.TAG_LENGTH];
            s2.encrypt(new byte[] {1}, plain, 0, plain.length, w2, 0);
            assertThrows(ProtocolViolationException.class, () -> r2.decrypt(new byte[] {2}, w2, 0, w2.length, out, 0));
        }
    }

    /** Offsets inside big arrays (as Netty's pooled chunks are) give the same bytes as exact arrays, both ways. */
    @Test
    void messagesInsideLargeArraysAreHandledByBoth() throws Exception {
        Random r = new Random(5);
        byte[] key = bytes(r, 32);
        byte[] nonce = bytes(r, 12);
        byte[] plain = bytes(r, 100);
        byte[] expected = seal(NoiseCiphers.JDK, key, nonce, null, plain);
        for (NoiseCipher.Factory f : new NoiseCipher.Factory[] {NoiseCiphers.JDK, NoiseCiphers.conscrypt()}) {
            byte[] bigIn = new byte[1 << 20];
            System.arraycopy(plain, 0, bigIn, 7000, plain.length);
            byte[] bigOut = new byte[1 << 20];
            assertEquals(expected.length, f.create(key).seal(nonce, null, bigIn, 7000, plain.length, bigOut, 9000));
            assertArrayEquals(expected, Arrays.copyOfRange(bigOut, 9000, 9000 + expected.length), f.id());
            byte[] back = new byte[1 << 20];
            assertEquals(plain.length, f.create(key).open(nonce, null, bigOut, 9000, expected.length, back, 123));
            assertArrayEquals(plain, Arrays.copyOfRange(back, 123, 123 + plain.length), f.id());
        }
    }

    private static byte[] seal(NoiseCipher.Factory f, byte[] key, byte[] nonce, byte[] ad, byte[] plain) {
        try {
            byte[] out = new byte[plain.length + NoiseCipher.TAG_LENGTH];
            int n = f.create(key).seal(nonce, ad, plain, 0, plain.length, out, 0);
            return Arrays.copyOf(out, n);
        } catch (java.security.GeneralSecurityException e) {
            throw new AssertionError(e);
        }
    }

    private static byte[] bytes(Random r, int n) {
        byte[] b = new byte[n];
        r.nextBytes(b);
        return b;
    }
}

package io.hivemesh.crypto.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.crypto.CryptoException;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;

class ShamirSharingTest {
    private final SecureRandom random = new SecureRandom();
    private final ShamirSharing sharing = new ShamirSharing(random);

    private byte[] secret(int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    @Test
    void anyThresholdSubsetRebuildsTheSecret() {
        int[][] cases = {{2, 2}, {2, 3}, {3, 5}, {5, 20}, {2, 255}, {255, 255}};
        for (int[] c : cases) {
            byte[] s = secret(32);
            List<byte[]> shares = new ArrayList<>(sharing.split(s, c[0], c[1]));
            for (int round = 0; round < 3; round++) {
                Collections.shuffle(shares, random);
                assertArrayEquals(s, sharing.combine(shares.subList(0, c[0])), c[0] + " of " + c[1]);
            }
            assertArrayEquals(s, sharing.combine(shares), "all " + c[1]);
        }
        for (int len : new int[] {1, 16, 64}) {
            byte[] s = secret(len);
            assertArrayEquals(s, sharing.combine(sharing.split(s, 3, 4).subList(1, 4)));
        }
    }

    @Test
    void badParametersAreRefused() {
        assertThrows(IllegalArgumentException.class, () -> sharing.split(secret(65), 2, 3));
        assertThrows(IllegalArgumentException.class, () -> sharing.split(new byte[0], 2, 3));
        assertThrows(IllegalArgumentException.class, () -> sharing.split(secret(32), 1, 3));
        assertThrows(IllegalArgumentException.class, () -> sharing.split(secret(32), 4, 3));
        assertThrows(IllegalArgumentException.class, () -> sharing.split(secret(32), 2, 256));
    }

    @Test
    void fewerThanThresholdIsAClearError() {
        List<byte[]> shares = sharing.split(secret(32), 3, 5);
        CryptoException e = assertThrows(CryptoException.class, () -> sharing.combine(shares.subList(0, 2)));
        assertTrue(e.getMessage().startsWith("not enough shares: 2 distinct of the 3 needed"), e.getMessage());
        // The same share twice does not count twice.
        CryptoException dup = assertThrows(CryptoException.class,
                () -> sharing.combine(List.of(shares.get(0), shares.get(0), shares.get(1))));
        assertTrue(dup.getMessage().startsWith("not enough shares"), dup.getMessage());
    }

    @Test
    void randomlyCorruptedShareIsNamedByItsChecksum() {
        List<byte[]> shares = sharing.split(secret(32), 2, 3);
        byte[] bad = shares.get(1).clone();
        bad[25] ^= 4;
        CryptoException e = assertThrows(CryptoException.class, () -> sharing.combine(List.of(shares.get(0), bad)));
        assertTrue(e.getMessage().contains("share index 2 is corrupted (checksum mismatch)"), e.getMessage());
    }

    /** A forged value with a recomputed checksum: only the keyed tag can catch it. */
    private static byte[] forge(byte[] share) {
        ShamirSharing.Share s = ShamirSharing.decode(share);
        byte[] value = s.value().clone();
        value[0] ^= 1;
        byte[] body = new WireWriter(200).u8(ShamirSharing.TAG).u8(1).bytes(s.splitId()).u8(s.threshold())
                .u8(s.index()).u8(value.length).bytes(value).bytes(s.tag()).toByteArray();
        return EnvelopeSigner.concat(body, Arrays.copyOf(Hashes.sha256(body), ShamirSharing.CHECKSUM));
    }

    @Test
    void forgedShareNeverYieldsAWrongSecret() {
        List<byte[]> shares = sharing.split(secret(32), 2, 4);
        byte[] forged = forge(shares.get(2));
        CryptoException exact = assertThrows(CryptoException.class,
                () -> sharing.combine(List.of(shares.get(0), forged)));
        assertTrue(exact.getMessage().startsWith("the shares do not rebuild a consistent secret"), exact.getMessage());
        CryptoException named = assertThrows(CryptoException.class,
                () -> sharing.combine(List.of(shares.get(0), shares.get(1), forged, shares.get(3))));
        assertTrue(named.getMessage().startsWith("share index [3] failed the integrity tag"), named.getMessage());
    }

    @Test
    void foreignShareIsNamed() {
        List<byte[]> mine = sharing.split(secret(32), 2, 3);
        List<byte[]> other = sharing.split(secret(32), 2, 3);
        CryptoException e = assertThrows(CryptoException.class,
                () -> sharing.combine(List.of(mine.get(0), mine.get(1), other.get(2))));
        assertTrue(e.getMessage().startsWith("foreign share(s): index [3]"), e.getMessage());
    }

    @Test
    void malformedSharesAreRefused() {
        byte[] share = sharing.split(secret(32), 2, 3).get(0);
        for (int n = 0; n < share.length; n++) {
            byte[] cut = Arrays.copyOf(share, n);
            assertThrows(CryptoException.class, () -> sharing.combine(List.of(cut)), "length " + n);
        }
        assertThrows(CryptoException.class, () -> sharing.combine(List.of()));
        assertThrows(CryptoException.class, () -> sharing.combine(List.of(new byte[1000])));
    }

    /** With k - 1 shares every secret stays possible: for k = 2 one share value fits every secret byte. */
    @Test
    void oneShareOfTwoFitsEverySecret() {
        byte[] share = sharing.split(secret(1), 2, 2).get(0);
        ShamirSharing.Share s = ShamirSharing.decode(share);
        int y = s.value()[0] & 0xff;
        boolean[] possible = new boolean[256];
        for (int secretByte = 0; secretByte < 256; secretByte++) {
            for (int a1 = 0; a1 < 256; a1++) {
                if ((secretByte ^ Gf256.mul(a1, s.index())) == y) {
                    possible[secretByte] = true;
                }
            }
        }
        for (boolean p : possible) {
            assertTrue(p);
        }
    }
}

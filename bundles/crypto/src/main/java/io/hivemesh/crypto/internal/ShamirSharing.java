package io.hivemesh.crypto.internal;

import io.hivemesh.api.crypto.CryptoException;
import io.hivemesh.api.crypto.SecretSharing;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Shamir secret sharing over GF(256), share format v1 (docs/crypto.md, "Secret share"):
 * <pre>
 * u8 0x48 'H' | u8 version 1 | 16-byte split id | u8 threshold k (2..255) | u8 index x (1..255)
 * | u8 secret length L (1..64) | L-byte share value | 16-byte tag | 8-byte checksum
 * </pre>
 * checksum = SHA-256(all bytes before it)[0..8] catches accidental corruption of one share and names
 * it. tag = HMAC-SHA256(HKDF-SHA256(secret, salt = split id, info = "hivemesh/shamir/v1 tag"), bytes
 * before the tag)[0..16]: after interpolation every share is checked against the rebuilt secret, so a
 * forged or foreign share (valid checksum, wrong value) is reported instead of yielding a wrong key.
 * The tag is a function of the secret: it hides it only computationally, which holds for the
 * high-entropy keys this is meant for (see docs/crypto.md). Thread-safe.
 */
final class ShamirSharing implements SecretSharing {
    static final String FORMAT = "secret share";
    static final int TAG = 0x48;
    static final int VERSION = 1;
    static final int SPLIT_ID = 16;
    static final int MAX_SECRET = 64;
    static final int MAC = 16;
    static final int CHECKSUM = 8;
    static final int MAX_SHARE = 6 + SPLIT_ID + MAX_SECRET + MAC + CHECKSUM;
    /** How many k-subsets combine() tries to find which of more than k shares are bad. */
    static final int MAX_SUBSETS = 4096;
    private static final byte[] TAG_INFO = Hashes.ascii("hivemesh/shamir/v1 tag");

    private final SecureRandom random;

    ShamirSharing(SecureRandom random) {
        this.random = random;
    }

    record Share(byte[] splitId, int threshold, int index, byte[] value, byte[] tag, byte[] encoded) {
    }

    @Override
    public List<byte[]> split(byte[] secret, int threshold, int shares) {
        if (secret.length < 1 || secret.length > MAX_SECRET) {
            throw new IllegalArgumentException("secret must be 1.." + MAX_SECRET + " bytes, was " + secret.length);
        }
        if (threshold < 2 || threshold > shares || shares > 255) {
            throw new IllegalArgumentException("need 2 <= threshold <= shares <= 255, got threshold " + threshold
                    + ", shares " + shares);
        }
        byte[] splitId = new byte[SPLIT_ID];
        random.nextBytes(splitId);
        byte[][] coeffs = new byte[secret.length][threshold];
        for (int j = 0; j < secret.length; j++) {
            coeffs[j][0] = secret[j];
            byte[] rest = new byte[threshold - 1];
            random.nextBytes(rest);
            System.arraycopy(rest, 0, coeffs[j], 1, threshold - 1);
        }
        byte[] macKey = macKey(secret, splitId);
        List<byte[]> out = new ArrayList<>(shares);
        for (int x = 1; x <= shares; x++) {
            byte[] value = new byte[secret.length];
            for (int j = 0; j < secret.length; j++) {
                int y = 0;
                for (int c = threshold - 1; c >= 0; c--) {
                    y = Gf256.mul(y, x) ^ (coeffs[j][c] & 0xff);
                }
                value[j] = (byte) y;
            }
            out.add(encode(splitId, threshold, x, value, macKey));
        }
        for (byte[] row : coeffs) {
            Arrays.fill(row, (byte) 0);
        }
        Arrays.fill(macKey, (byte) 0);
        return out;
    }

    @Override
    public byte[] combine(Collection<byte[]> encodedShares) {
        if (encodedShares.isEmpty()) {
            throw new CryptoException("no shares given");
        }
        List<Share> parsed = new ArrayList<>();
        int n = 0;
        for (byte[] e : encodedShares) {
            try {
                parsed.add(decode(e));
            } catch (CryptoException ex) {
                throw new CryptoException("share #" + n + " of the given ones: " + ex.getMessage(), ex);
            }
            n++;
        }
        // Foreign shares: the split id of the largest group wins; any other is named.
        Map<String, Integer> groups = new LinkedHashMap<>();
        for (Share s : parsed) {
            groups.merge(HexFormat.of().formatHex(s.splitId), 1, Integer::sum);
        }
        if (groups.size() > 1) {
            String main = groups.entrySet().stream().max(Map.Entry.comparingByValue()).orElseThrow().getKey();
            List<Integer> foreign = parsed.stream().filter(s -> !HexFormat.of().formatHex(s.splitId).equals(main))
                    .map(Share::index).toList();
            throw new CryptoException("foreign share(s): index " + foreign + " belong to another split than the"
                    + " others (split " + main + "); remove them");
        }
        Share first = parsed.get(0);
        TreeMap<Integer, Share> byIndex = new TreeMap<>();
        for (Share s : parsed) {
            if (s.threshold != first.threshold || s.value.length != first.value.length) {
                throw new CryptoException("share index " + s.index + " disagrees with share index " + first.index
                        + " on the threshold or secret length (corrupted or forged)");
            }
            Share prev = byIndex.putIfAbsent(s.index, s);
            if (prev != null && !Arrays.equals(prev.encoded, s.encoded)) {
                throw new CryptoException("two different shares carry index " + s.index + " (one is corrupted or forged)");
            }
        }
        int k = first.threshold;
        if (byIndex.size() < k) {
            throw new CryptoException("not enough shares: " + byIndex.size() + " distinct of the " + k
                    + " needed; fewer than " + k + " shares reveal nothing about the secret");
        }
        List<Share> distinct = new ArrayList<>(byIndex.values());
        int[] pick = new int[k];
        for (int i = 0; i < k; i++) {
            pick[i] = i;
        }
        int tries = 0;
        do {
            List<Share> subset = new ArrayList<>(k);
            for (int i : pick) {
                subset.add(distinct.get(i));
            }
            byte[] secret = interpolate(subset);
            byte[] key = macKey(secret, first.splitId);
            List<Integer> bad = new ArrayList<>();
            boolean subsetGood = true;
            for (Share s : distinct) {
                if (!tagValid(s, key)) {
                    bad.add(s.index);
                    if (subset.contains(s)) {
                        subsetGood = false;
                    }
                }
            }
            Arrays.fill(key, (byte) 0);
            if (subsetGood) {
                if (bad.isEmpty()) {
                    return secret;
                }
                Arrays.fill(secret, (byte) 0);
                throw new CryptoException("share index " + bad + " failed the integrity tag (corrupted or forged);"
                        + " combine without them");
            }
            Arrays.fill(secret, (byte) 0);
            tries++;
        } while (tries < MAX_SUBSETS && nextCombination(pick, distinct.size()));
        throw new CryptoException("the shares do not rebuild a consistent secret: at least one of index "
                + byIndex.keySet() + " is corrupted or forged" + (distinct.size() > k
                ? "" : " (with exactly " + k + " shares the bad one cannot be named)"));
    }

    private static boolean nextCombination(int[] pick, int n) {
        int k = pick.length;
        int i = k - 1;
        while (i >= 0 && pick[i] == n - k + i) {
            i--;
        }
        if (i < 0) {
            return false;
        }
        pick[i]++;
        for (int j = i + 1; j < k; j++) {
            pick[j] = pick[j - 1] + 1;
        }
        return true;
    }

    /** Lagrange interpolation at x = 0. */
    static byte[] interpolate(List<Share> shares) {
        int len = shares.get(0).value.length;
        byte[] secret = new byte[len];
        for (int i = 0; i < shares.size(); i++) {
            int xi = shares.get(i).index;
            int num = 1;
            int den = 1;
            for (int m = 0; m < shares.size(); m++) {
                if (m != i) {
                    int xm = shares.get(m).index;
                    num = Gf256.mul(num, xm);
                    den = Gf256.mul(den, xm ^ xi);
                }
            }
            int basis = Gf256.mul(num, Gf256.inv(den));
            byte[] v = shares.get(i).value;
            for (int j = 0; j < len; j++) {
                secret[j] ^= (byte) Gf256.mul(v[j] & 0xff, basis);
            }
        }
        return secret;
    }

    static byte[] encode(byte[] splitId, int threshold, int index, byte[] value, byte[] macKey) {
        byte[] body = new WireWriter(MAX_SHARE).u8(TAG).u8(VERSION).bytes(splitId).u8(threshold).u8(index)
                .u8(value.length).bytes(value).toByteArray();
        byte[] withTag = EnvelopeSigner.concat(body, Arrays.copyOf(hmac(macKey, body), MAC));
        return EnvelopeSigner.concat(withTag, Arrays.copyOf(Hashes.sha256(withTag), CHECKSUM));
    }

    /** Bounded decoding and checksum check; throws {@link CryptoException} naming the problem. */
    static Share decode(byte[] encoded) {
        if (encoded.length > MAX_SHARE) {
            throw new CryptoException(FORMAT + ": " + encoded.length + " bytes, at most " + MAX_SHARE);
        }
        WireReader r = new WireReader(FORMAT, encoded);
        if (r.u8("tag") != TAG) {
            throw r.error("not a secret share (tag byte)");
        }
        int version = r.u8("version");
        if (version != VERSION) {
            throw r.error("unsupported version " + version);
        }
        byte[] splitId = r.bytes(SPLIT_ID, "split id");
        int threshold = r.u8("threshold");
        int index = r.u8("index");
        int len = r.u8("secret length");
        byte[] value = r.bytes(len, "share value");
        byte[] tag = r.bytes(MAC, "integrity tag");
        int checked = r.position();
        byte[] checksum = r.bytes(CHECKSUM, "checksum");
        r.expectEnd();
        if (!MessageDigest.isEqual(checksum, Arrays.copyOf(Hashes.sha256(Arrays.copyOf(encoded, checked)), CHECKSUM))) {
            throw new CryptoException("share index " + index + " is corrupted (checksum mismatch)");
        }
        if (threshold < 2 || index < 1 || len < 1 || len > MAX_SECRET) {
            throw r.error("share index " + index + " has an invalid threshold " + threshold + " or length " + len);
        }
        return new Share(splitId, threshold, index, value, tag, encoded.clone());
    }

    private static boolean tagValid(Share s, byte[] key) {
        byte[] body = Arrays.copyOf(s.encoded, s.encoded.length - MAC - CHECKSUM);
        return MessageDigest.isEqual(s.tag, Arrays.copyOf(hmac(key, body), MAC));
    }

    static byte[] macKey(byte[] secret, byte[] splitId) {
        return Hashes.hkdf(secret, splitId, TAG_INFO, 32);
    }

    static byte[] hmac(byte[] key, byte[] data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            return mac.doFinal(data);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 missing from the JDK", e);
        }
    }
}

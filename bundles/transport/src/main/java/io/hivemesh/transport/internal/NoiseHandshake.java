package io.hivemesh.transport.internal;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.math.ec.rfc7748.X25519;

/**
 * Sans-IO Noise_XX_25519_ChaChaPoly_SHA256 handshake (Noise spec revision 34, sections 5 and 7.5;
 * libp2p/specs noise/README.md): empty prologue, three messages
 * {@code -> e}, {@code <- e, ee, s, es}, {@code -> s, se}. Payloads are opaque here; the libp2p
 * payload is built and checked by {@link NoisePayloads}. Not thread-safe.
 */
final class NoiseHandshake {
    static final String PROTOCOL_NAME = "Noise_XX_25519_ChaChaPoly_SHA256";
    static final int DH_LEN = 32;

    private final boolean initiator;
    private final byte[] s = new byte[DH_LEN];
    private final byte[] sPub = new byte[DH_LEN];
    private final byte[] e = new byte[DH_LEN];
    private final byte[] ePub = new byte[DH_LEN];
    private byte[] rs;
    private byte[] re;
    private byte[] ck;
    private byte[] h;
    private CipherState k;
    private int step;

    NoiseHandshake(boolean initiator, SecureRandom random) {
        this.initiator = initiator;
        X25519.generatePrivateKey(random, s);
        X25519.generatePublicKey(s, 0, sPub, 0);
        X25519.generatePrivateKey(random, e);
        X25519.generatePublicKey(e, 0, ePub, 0);
        byte[] name = PROTOCOL_NAME.getBytes(StandardCharsets.US_ASCII);
        h = name.length <= 32 ? Arrays.copyOf(name, 32) : sha256(name);
        ck = h.clone();
        mixHash(new byte[0]);
    }

    /** This side's static X25519 public key (signed in the libp2p payload). */
    byte[] localStatic() {
        return sPub.clone();
    }

    /** The remote's static X25519 public key, known after message 2 (initiator) or 3 (responder). */
    byte[] remoteStatic() {
        return rs == null ? null : rs.clone();
    }

    boolean initiator() {
        return initiator;
    }

    /** Writes the next handshake message of this side carrying {@code payload}. */
    byte[] writeMessage(byte[] payload) {
        Buf out = new Buf(DH_LEN * 2 + payload.length + 2 * CipherState.TAG_LENGTH);
        switch (step) {
            case 0 -> {
                require(initiator, 0);
                out.put(ePub);
                mixHash(ePub);
            }
            case 1 -> {
                require(!initiator, 1);
                out.put(ePub);
                mixHash(ePub);
                mixKey(dh(e, re));
                out.put(encryptAndHash(sPub));
                mixKey(dh(s, re));
            }
            case 2 -> {
                require(initiator, 2);
                out.put(encryptAndHash(sPub));
                mixKey(dh(s, re));
            }
            default -> throw new IllegalStateException("noise: handshake already complete");
        }
        out.put(encryptAndHash(payload));
        step++;
        return out.bytes();
    }

    /**
     * Reads the remote's next handshake message and returns its payload.
     *
     * @throws ProtocolViolationException if the message is malformed or fails decryption
     */
    byte[] readMessage(byte[] message) {
        int pos = 0;
        switch (step) {
            case 0 -> {
                require(!initiator, 0);
                re = slice(message, pos, DH_LEN, "ephemeral key");
                pos += DH_LEN;
                mixHash(re);
            }
            case 1 -> {
                require(initiator, 1);
                re = slice(message, pos, DH_LEN, "ephemeral key");
                pos += DH_LEN;
                mixHash(re);
                mixKey(dh(e, re));
                rs = decryptAndHash(slice(message, pos, DH_LEN + CipherState.TAG_LENGTH, "static key"));
                pos += DH_LEN + CipherState.TAG_LENGTH;
                mixKey(dh(e, rs));
            }
            case 2 -> {
                require(!initiator, 2);
                rs = decryptAndHash(slice(message, pos, DH_LEN + CipherState.TAG_LENGTH, "static key"));
                pos += DH_LEN + CipherState.TAG_LENGTH;
                mixKey(dh(e, rs));
            }
            default -> throw new IllegalStateException("noise: handshake already complete");
        }
        byte[] payload = decryptAndHash(Arrays.copyOfRange(message, pos, message.length));
        step++;
        return payload;
    }

    boolean complete() {
        return step == 3;
    }

    /** The two transport cipher states: [0] for sending, [1] for receiving. */
    CipherState[] split() {
        if (!complete()) {
            throw new IllegalStateException("noise: split before the handshake completed");
        }
        byte[][] keys = hkdf(ck, new byte[0]);
        CipherState c1 = new CipherState(keys[0]);
        CipherState c2 = new CipherState(keys[1]);
        Arrays.fill(s, (byte) 0);
        Arrays.fill(e, (byte) 0);
        return initiator ? new CipherState[] {c1, c2} : new CipherState[] {c2, c1};
    }

    private void require(boolean ok, int at) {
        if (!ok) {
            throw new IllegalStateException("noise: message " + (at + 1) + " is not this side's to "
                    + (initiator ? "read" : "write"));
        }
    }

    private static byte[] slice(byte[] m, int pos, int len, String what) {
        if (m.length < pos + len) {
            throw new ProtocolViolationException("noise: handshake message of " + m.length + " bytes too short for "
                    + what);
        }
        return Arrays.copyOfRange(m, pos, pos + len);
    }

    private static byte[] dh(byte[] priv, byte[] pub) {
        byte[] out = new byte[DH_LEN];
        if (!X25519.calculateAgreement(priv, 0, pub, 0, out, 0)) {
            throw new ProtocolViolationException("noise: remote X25519 key gives an all-zero shared secret");
        }
        return out;
    }

    private void mixHash(byte[] data) {
        h = sha256(h, data);
    }

    private void mixKey(byte[] ikm) {
        byte[][] out = hkdf(ck, ikm);
        ck = out[0];
        k = new CipherState(out[1]);
    }

    private byte[] encryptAndHash(byte[] plain) {
        byte[] c;
        if (k == null) {
            c = plain.clone();
        } else {
            c = new byte[plain.length + CipherState.TAG_LENGTH];
            k.encrypt(h, plain, 0, plain.length, c, 0);
        }
        mixHash(c);
        return c;
    }

    private byte[] decryptAndHash(byte[] c) {
        byte[] plain;
        if (k == null) {
            plain = c.clone();
        } else {
            if (c.length < CipherState.TAG_LENGTH) {
                throw new ProtocolViolationException("noise: encrypted handshake field shorter than its tag");
            }
            plain = new byte[c.length - CipherState.TAG_LENGTH];
            k.decrypt(h, c, 0, c.length, plain, 0);
        }
        mixHash(c);
        return plain;
    }

    static byte[] sha256(byte[]... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            for (byte[] p : parts) {
                md.update(p);
            }
            return md.digest();
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    private static byte[] hmac(byte[] key, byte[]... data) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            for (byte[] d : data) {
                mac.update(d);
            }
            return mac.doFinal();
        } catch (GeneralSecurityException ex) {
            throw new IllegalStateException(ex);
        }
    }

    /** HKDF of the Noise spec (section 4.3) with two outputs. */
    private static byte[][] hkdf(byte[] chainingKey, byte[] ikm) {
        byte[] temp = hmac(chainingKey, ikm);
        byte[] o1 = hmac(temp, new byte[] {1});
        byte[] o2 = hmac(temp, o1, new byte[] {2});
        return new byte[][] {o1, o2};
    }

    private static final class Buf {
        private byte[] b;
        private int n;

        Buf(int cap) {
            b = new byte[cap];
        }

        void put(byte[] x) {
            if (n + x.length > b.length) {
                b = Arrays.copyOf(b, Math.max(b.length * 2, n + x.length));
            }
            System.arraycopy(x, 0, b, n, x.length);
            n += x.length;
        }

        byte[] bytes() {
            return Arrays.copyOf(b, n);
        }
    }
}

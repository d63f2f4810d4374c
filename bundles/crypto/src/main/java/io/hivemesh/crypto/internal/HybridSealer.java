package io.hivemesh.crypto.internal;

import io.hivemesh.api.crypto.CryptoException;
import io.hivemesh.api.crypto.SealContext;
import io.hivemesh.api.crypto.Sealer;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Objects;
import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.SecretWithEncapsulation;
import org.bouncycastle.crypto.params.X25519PrivateKeyParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMGenerator;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMParameters;
import org.bouncycastle.pqc.crypto.mlkem.MLKEMPublicKeyParameters;

/**
 * Sealed messages, format v1 (docs/crypto.md, "Sealed message"):
 * <pre>
 * header: u8 0x53 'S' | u8 version 1 | u8 suite 1 | 8-byte recipient key id
 *         | 32-byte ephemeral X25519 public key | 1088-byte ML-KEM-768 ciphertext | u8 log2(chunk size)
 * body:   chunks of AES-256-GCM ciphertext ‖ 16-byte tag; every chunk but the last holds exactly
 *         2^log2 plaintext bytes, the last holds 0..2^log2 bytes.
 * </pre>
 * key = HKDF-SHA256(ikm = ML-KEM secret ‖ X25519 secret, salt = "hivemesh/seal/v1",
 * info = SHA-256(header) ‖ SHA-256(recipient public key)); chunk i uses nonce = i (11 bytes,
 * big-endian) ‖ final flag (1 byte) and AAD = SHA-256(header ‖ context), where context encodes
 * sender, recipient, payload type and purpose. {@link #open} returns the whole plaintext or throws;
 * nothing decrypted is handed out before every chunk has authenticated. Thread-safe.
 */
final class HybridSealer implements Sealer {
    static final String FORMAT = "sealed message";
    static final int TAG = 0x53;
    static final int VERSION = 1;
    static final int KEY_ID = 8;
    static final int GCM_TAG = 16;
    static final int HEADER = 3 + KEY_ID + KemKeyPair.X25519_LENGTH + KemKeyPair.MLKEM_CIPHERTEXT_LENGTH + 1;
    static final int DEFAULT_CHUNK_LOG2 = 16;
    static final int MIN_CHUNK_LOG2 = 10;
    static final int MAX_CHUNK_LOG2 = 20;
    private static final byte[] SALT = Hashes.ascii("hivemesh/seal/v1");

    private final KemKeyRing keys;
    private final SecureRandom random;
    private final int chunkLog2;

    HybridSealer(KemKeyRing keys, SecureRandom random) {
        this(keys, random, DEFAULT_CHUNK_LOG2);
    }

    HybridSealer(KemKeyRing keys, SecureRandom random, int chunkLog2) {
        if (chunkLog2 < MIN_CHUNK_LOG2 || chunkLog2 > MAX_CHUNK_LOG2) {
            throw new IllegalArgumentException("chunk size must be 2^" + MIN_CHUNK_LOG2 + "..2^" + MAX_CHUNK_LOG2);
        }
        this.keys = Objects.requireNonNull(keys, "keys");
        this.random = random;
        this.chunkLog2 = chunkLog2;
    }

    @Override
    public byte[] kemPublicKey() {
        return keys.current().publicKey();
    }

    @Override
    public byte[] seal(byte[] recipientKemPublicKey, SealContext context, byte[] plaintext) {
        if (recipientKemPublicKey.length != KemKeyPair.PUBLIC_LENGTH || recipientKemPublicKey[0] != KemKeyPair.SUITE) {
            throw new CryptoException("recipient KEM public key: expected " + KemKeyPair.PUBLIC_LENGTH
                    + " bytes of suite 1 (X25519 + ML-KEM-768), got " + recipientKemPublicKey.length + " bytes");
        }
        byte[] recipientX = Arrays.copyOfRange(recipientKemPublicKey, 1, 1 + KemKeyPair.X25519_LENGTH);
        byte[] recipientK = Arrays.copyOfRange(recipientKemPublicKey, 1 + KemKeyPair.X25519_LENGTH,
                KemKeyPair.PUBLIC_LENGTH);

        X25519PrivateKeyParameters ephemeral = new X25519PrivateKeyParameters(random);
        byte[] ssX = KemKeyPair.agree(ephemeral, recipientX);
        SecretWithEncapsulation enc;
        try {
            enc = new MLKEMGenerator(random)
                    .generateEncapsulated(new MLKEMPublicKeyParameters(MLKEMParameters.ml_kem_768, recipientK));
        } catch (RuntimeException e) {
            throw new CryptoException("recipient KEM public key: not a valid ML-KEM-768 encapsulation key ("
                    + e.getMessage() + ")", e);
        }
        byte[] ssK = enc.getSecret();

        int chunk = 1 << chunkLog2;
        int chunks = Math.max(1, (plaintext.length + chunk - 1) / chunk);
        long total = (long) HEADER + (long) chunks * GCM_TAG + plaintext.length;
        if (total > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("plaintext too large to seal in one array: " + plaintext.length);
        }
        byte[] out = new byte[(int) total];
        out[0] = TAG;
        out[1] = VERSION;
        out[2] = KemKeyPair.SUITE;
        System.arraycopy(Hashes.sha256(recipientKemPublicKey), 0, out, 3, KEY_ID);
        ephemeral.generatePublicKey().encode(out, 3 + KEY_ID);
        System.arraycopy(enc.getEncapsulation(), 0, out, 3 + KEY_ID + KemKeyPair.X25519_LENGTH,
                KemKeyPair.MLKEM_CIPHERTEXT_LENGTH);
        out[HEADER - 1] = (byte) chunkLog2;
        byte[] header = Arrays.copyOf(out, HEADER);

        byte[] key = deriveKey(ssK, ssX, header, recipientKemPublicKey);
        byte[] aad = Hashes.sha256(header, encodeContext(context));
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            SecretKeySpec spec = new SecretKeySpec(key, "AES");
            int in = 0;
            int o = HEADER;
            for (int i = 0; i < chunks; i++) {
                int len = Math.min(chunk, plaintext.length - in);
                cipher.init(Cipher.ENCRYPT_MODE, spec, new GCMParameterSpec(128, nonce(i, i == chunks - 1)));
                cipher.updateAAD(aad);
                o += cipher.doFinal(plaintext, in, len, out, o);
                in += len;
            }
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-256-GCM unavailable in this JDK", e);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(ssK, (byte) 0);
            Arrays.fill(ssX, (byte) 0);
        }
        return out;
    }

    @Override
    public byte[] open(SealContext context, byte[] sealed) {
        WireReader r = new WireReader(FORMAT, sealed);
        if (r.u8("tag") != TAG) {
            throw r.error("not a sealed message (tag byte)");
        }
        int version = r.u8("version");
        if (version != VERSION) {
            throw r.error("unsupported version " + version);
        }
        int suite = r.u8("suite");
        if (suite != KemKeyPair.SUITE) {
            throw r.error("unsupported suite " + suite);
        }
        byte[] keyId = r.bytes(KEY_ID, "recipient key id");
        byte[] ephX = r.bytes(KemKeyPair.X25519_LENGTH, "ephemeral X25519 key");
        byte[] ct = r.bytes(KemKeyPair.MLKEM_CIPHERTEXT_LENGTH, "ML-KEM ciphertext");
        int log2 = r.u8("chunk size");
        if (log2 < MIN_CHUNK_LOG2 || log2 > MAX_CHUNK_LOG2) {
            throw r.error("chunk size 2^" + log2 + " outside 2^" + MIN_CHUNK_LOG2 + "..2^" + MAX_CHUNK_LOG2);
        }
        int body = r.remaining();
        if (body < GCM_TAG) {
            throw r.error("truncated: no ciphertext after the header");
        }
        KemKeyPair pair = keys.find(keyId).orElseThrow(() -> new CryptoException(FORMAT
                + ": wrong recipient: sealed to KEM key " + java.util.HexFormat.of().formatHex(keyId)
                + ", which this node does not hold (or no longer retains)"));
        int stride = (1 << log2) + GCM_TAG;
        int chunks = (body + stride - 1) / stride;
        int lastLength = body - (chunks - 1) * stride;
        if (lastLength < GCM_TAG) {
            throw r.error("truncated: the last chunk is shorter than its tag");
        }
        byte[] header = Arrays.copyOf(sealed, HEADER);
        byte[] ssX = pair.x25519Agree(ephX);
        byte[] ssK = pair.mlkemDecapsulate(ct);
        byte[] key = deriveKey(ssK, ssX, header, pair.publicKey());
        byte[] aad = Hashes.sha256(header, encodeContext(context));
        byte[] plain = new byte[body - chunks * GCM_TAG];
        try {
            Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
            SecretKeySpec spec = new SecretKeySpec(key, "AES");
            int in = HEADER;
            int o = 0;
            for (int i = 0; i < chunks; i++) {
                boolean last = i == chunks - 1;
                int len = last ? lastLength : stride;
                try {
                    cipher.init(Cipher.DECRYPT_MODE, spec, new GCMParameterSpec(128, nonce(i, last)));
                    cipher.updateAAD(aad);
                    o += cipher.doFinal(sealed, in, len, plain, o);
                } catch (AEADBadTagException e) {
                    Arrays.fill(plain, (byte) 0);
                    if (last && len == stride && authenticates(cipher, spec, aad, sealed, in, len, i)) {
                        throw new CryptoException(FORMAT + ": truncated: chunk " + i
                                + " is not the final chunk, the rest of the message is missing");
                    }
                    throw new CryptoException(FORMAT + ": authentication failed at chunk " + i + " of " + chunks
                            + ": tampered, or sealed under another sender, recipient, payload type or purpose");
                }
                in += len;
            }
            return plain;
        } catch (GeneralSecurityException e) {
            Arrays.fill(plain, (byte) 0);
            throw new IllegalStateException("AES-256-GCM unavailable in this JDK", e);
        } finally {
            Arrays.fill(key, (byte) 0);
            Arrays.fill(ssK, (byte) 0);
            Arrays.fill(ssX, (byte) 0);
        }
    }

    private static boolean authenticates(Cipher cipher, SecretKeySpec spec, byte[] aad, byte[] sealed, int in,
                                         int len, int index) throws GeneralSecurityException {
        byte[] scratch = new byte[len];
        try {
            cipher.init(Cipher.DECRYPT_MODE, spec, new GCMParameterSpec(128, nonce(index, false)));
            cipher.updateAAD(aad);
            cipher.doFinal(sealed, in, len, scratch, 0);
            return true;
        } catch (AEADBadTagException e) {
            return false;
        } finally {
            Arrays.fill(scratch, (byte) 0);
        }
    }

    static byte[] deriveKey(byte[] ssK, byte[] ssX, byte[] header, byte[] recipientPublic) {
        byte[] ikm = EnvelopeSigner.concat(ssK, ssX);
        try {
            return Hashes.hkdf(ikm, SALT, EnvelopeSigner.concat(Hashes.sha256(header), Hashes.sha256(recipientPublic)),
                    32);
        } finally {
            Arrays.fill(ikm, (byte) 0);
        }
    }

    static byte[] nonce(long index, boolean last) {
        byte[] n = new byte[12];
        for (int i = 0; i < 8; i++) {
            n[10 - i] = (byte) (index >>> (8 * i));
        }
        n[11] = (byte) (last ? 1 : 0);
        return n;
    }

    static byte[] encodeContext(SealContext c) {
        return new WireWriter(128).bytes16(c.sender().toBytes()).bytes16(c.recipient().toBytes())
                .utf8(c.payloadType()).utf8(c.purpose()).toByteArray();
    }
}

package io.hivemesh.crypto.internal;

import io.hivemesh.api.crypto.CryptoException;
import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.crypto.ReplayGuard;
import io.hivemesh.api.crypto.Signer;
import io.hivemesh.api.crypto.VerifiedEnvelope;
import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * Signed envelopes, format v1 (docs/crypto.md, "Signed envelope"):
 * <pre>
 * u8 0x45 'E' | u8 version 1 | u8 flags (bit 0: ML-DSA-65 second signature)
 * u16 len + payload type (UTF-8, 1..255) | u32 len + payload (≤ maxPayload)
 * u16 len + signer key (libp2p PublicKey protobuf, Ed25519) | i64 timestamp (Unix ms) | 16-byte nonce
 * [flag] u16 len + ML-DSA-65 public key (1952)
 * 64-byte Ed25519 signature | [flag] u16 len + ML-DSA-65 signature (3309)
 * </pre>
 * Both signatures cover {@code "hivemesh/envelope/v1\0"} followed by every byte before the Ed25519
 * signature. Verification order: decode (bounded) → signatures → signer/PeerId binding → timestamp
 * and nonce via the {@link ReplayGuard}, so a forged envelope never burns a nonce. Thread-safe.
 */
final class EnvelopeSigner implements Signer {
    static final String FORMAT = "envelope";
    static final int TAG = 0x45;
    static final int VERSION = 1;
    static final int FLAG_MLDSA = 1;
    static final int NONCE = 16;
    static final int MAX_TYPE = 255;
    static final int MAX_KEY = 64;
    private static final byte[] DOMAIN = Hashes.ascii("hivemesh/envelope/v1\0");

    private final NodeIdentity identity;
    private final MlDsaKey mldsa;
    private final ReplayGuard replay;
    private final Clock clock;
    private final SecureRandom random;
    private final int maxPayload;

    /** {@code mldsa} null: Ed25519 only. */
    EnvelopeSigner(NodeIdentity identity, MlDsaKey mldsa, ReplayGuard replay, Clock clock, SecureRandom random,
                   int maxPayload) {
        this.identity = Objects.requireNonNull(identity, "identity");
        this.mldsa = mldsa;
        this.replay = Objects.requireNonNull(replay, "replay");
        this.clock = clock;
        this.random = random;
        this.maxPayload = maxPayload;
    }

    @Override
    public byte[] sign(String payloadType, byte[] payload) {
        byte[] type = payloadType.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        if (type.length < 1 || type.length > MAX_TYPE) {
            throw new IllegalArgumentException("payload type must be 1.." + MAX_TYPE + " bytes of UTF-8");
        }
        if (payload.length > maxPayload) {
            throw new IllegalArgumentException("payload of " + payload.length + " bytes exceeds " + maxPayload);
        }
        byte[] nonce = new byte[NONCE];
        random.nextBytes(nonce);
        WireWriter w = new WireWriter(payload.length + 200 + (mldsa == null ? 0 : 5300));
        w.u8(TAG).u8(VERSION).u8(mldsa == null ? 0 : FLAG_MLDSA)
                .bytes16(type).u32(payload.length).bytes(payload)
                .bytes16(identity.publicKey().toProtobuf()).i64(clock.millis()).bytes(nonce);
        if (mldsa != null) {
            w.bytes16(mldsa.publicKey());
        }
        byte[] body = w.toByteArray();
        byte[] tbs = concat(DOMAIN, body);
        w.bytes(identity.sign(tbs));
        if (mldsa != null) {
            w.bytes16(mldsa.sign(tbs));
        }
        return w.toByteArray();
    }

    @Override
    public VerifiedEnvelope verify(byte[] envelope, Optional<PeerId> expectedSigner) {
        Decoded d = decode(envelope, maxPayload);
        byte[] tbs = concat(DOMAIN, Arrays.copyOfRange(envelope, 0, d.signedLength));
        if (!Signatures.ed25519(d.signerKey, tbs, d.ed25519Signature)) {
            throw new CryptoException("envelope: bad Ed25519 signature (forged or tampered)");
        }
        if (d.mldsaKey != null && !Signatures.mldsa65(d.mldsaKey, tbs, d.mldsaSignature)) {
            throw new CryptoException("envelope: bad ML-DSA-65 signature (forged or tampered)");
        }
        PeerId signer = PeerId.fromPublicKey(d.signerKey);
        if (expectedSigner.isPresent() && !expectedSigner.get().equals(signer)) {
            throw new CryptoException("envelope: signed by " + signer + ", expected " + expectedSigner.get());
        }
        replay.check(signer, d.nonce, d.timestamp);
        return new VerifiedEnvelope(d.payloadType, d.payload, signer, d.timestamp);
    }

    @Override
    public boolean verifySignature(PublicKey key, byte[] message, byte[] signature) {
        return Signatures.ed25519(key, message, signature);
    }

    /** The parsed fields of an envelope; nothing in it is verified yet. */
    record Decoded(String payloadType, byte[] payload, PublicKey signerKey, Instant timestamp, byte[] nonce,
                   byte[] mldsaKey, int signedLength, byte[] ed25519Signature, byte[] mldsaSignature) {
    }

    /** Bounded decoding; throws {@link CryptoException} naming the malformed field. */
    static Decoded decode(byte[] envelope, int maxPayload) {
        WireReader r = new WireReader(FORMAT, envelope);
        if (r.u8("tag") != TAG) {
            throw r.error("not an envelope (tag byte)");
        }
        int version = r.u8("version");
        if (version != VERSION) {
            throw r.error("unsupported version " + version);
        }
        int flags = r.u8("flags");
        if ((flags & ~FLAG_MLDSA) != 0) {
            throw r.error("unknown flags 0x" + Integer.toHexString(flags));
        }
        String type = r.utf8(1, MAX_TYPE, "payload type");
        long len = r.u32("payload length");
        if (len > maxPayload) {
            throw r.error("payload length " + len + " exceeds " + maxPayload);
        }
        byte[] payload = r.bytes((int) len, "payload");
        byte[] keyBytes = r.bytes16(1, MAX_KEY, "signer key");
        PublicKey key;
        try {
            key = PublicKey.fromProtobuf(keyBytes);
        } catch (RuntimeException e) {
            throw r.error("signer key is not a libp2p public key: " + e.getMessage());
        }
        if (key.type() != KeyType.ED25519) {
            throw r.error("signer key type " + key.type() + " is not Ed25519");
        }
        long ts = r.i64("timestamp");
        byte[] nonce = r.bytes(NONCE, "nonce");
        byte[] mldsaKey = null;
        if ((flags & FLAG_MLDSA) != 0) {
            mldsaKey = r.bytes16(Signatures.MLDSA65_PUBLIC, Signatures.MLDSA65_PUBLIC, "ML-DSA-65 public key");
        }
        int signedLength = r.position();
        byte[] sig = r.bytes(Signatures.ED25519_SIGNATURE, "Ed25519 signature");
        byte[] mldsaSig = null;
        if (mldsaKey != null) {
            mldsaSig = r.bytes16(Signatures.MLDSA65_SIGNATURE, Signatures.MLDSA65_SIGNATURE, "ML-DSA-65 signature");
        }
        r.expectEnd();
        Instant timestamp;
        try {
            timestamp = Instant.ofEpochMilli(ts);
        } catch (java.time.DateTimeException e) {
            throw r.error("timestamp out of range");
        }
        return new Decoded(type, payload, key, timestamp, nonce, mldsaKey, signedLength, sig, mldsaSig);
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

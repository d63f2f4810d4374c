package io.hivemesh.api.peer;

import io.hivemesh.api.multiformats.Cid;
import io.hivemesh.api.multiformats.Multibase;
import io.hivemesh.api.multiformats.Multicodec;
import io.hivemesh.api.multiformats.MultiformatException;
import io.hivemesh.api.multiformats.Multihash;
import java.util.Arrays;
import java.util.Objects;
import java.util.Optional;

/**
 * A libp2p peer identity: the multihash of the peer's {@link PublicKey} protobuf, per the libp2p
 * peer-ids spec. Keys whose protobuf is at most {@value #MAX_INLINE_KEY_LENGTH} bytes (Ed25519,
 * secp256k1) are inlined with the identity multihash, so the key can be recovered with
 * {@link #publicKey()}; larger keys (RSA, ECDSA) are hashed with sha2-256.
 *
 * <p>Accepted multihashes: sha2-256, or identity whose content is a valid, canonical
 * {@code PublicKey} protobuf of at most {@value #MAX_INLINE_KEY_LENGTH} bytes. Text forms: the legacy
 * unprefixed base58btc multihash ({@code 12D3KooW...}, {@code Qm...}; the canonical
 * {@link #toString()}) and a CIDv1 with codec {@code libp2p-key} in any multibase
 * ({@link #toCidString()}: base32, {@code bafz...}).
 *
 * <p>Immutable and thread-safe; equality and ordering are by multihash bytes (unsigned
 * lexicographic).
 */
public final class PeerId implements Comparable<PeerId> {
    /** The longest public-key protobuf that is inlined with the identity multihash. */
    public static final int MAX_INLINE_KEY_LENGTH = 42;

    private final Multihash multihash;
    private final byte[] bytes;
    private final PublicKey inlineKey;

    private PeerId(Multihash multihash, PublicKey inlineKey) {
        this.multihash = multihash;
        this.bytes = multihash.toBytes();
        this.inlineKey = inlineKey;
    }

    /** The PeerId of {@code key}: identity multihash of its protobuf if at most 42 bytes, else sha2-256. */
    public static PeerId fromPublicKey(PublicKey key) {
        byte[] protobuf = Objects.requireNonNull(key, "key").toProtobuf();
        return protobuf.length <= MAX_INLINE_KEY_LENGTH
                ? new PeerId(Multihash.identity(protobuf), key)
                : new PeerId(Multihash.sha256(protobuf), null);
    }

    /**
     * The PeerId with {@code multihash}.
     *
     * @throws MultiformatException if the multihash is neither sha2-256 nor an identity multihash of
     *     a valid public-key protobuf of at most 42 bytes
     */
    public static PeerId fromMultihash(Multihash multihash) {
        Objects.requireNonNull(multihash, "multihash");
        return switch (multihash.code()) {
            case Multihash.SHA2_256 -> new PeerId(multihash, null);
            case Multihash.IDENTITY -> {
                if (multihash.digestLength() > MAX_INLINE_KEY_LENGTH) {
                    throw new MultiformatException("peer id: identity multihash of " + multihash.digestLength()
                            + " bytes; keys over " + MAX_INLINE_KEY_LENGTH + " bytes must be sha2-256 hashed");
                }
                PublicKey key;
                try {
                    key = PublicKey.fromProtobuf(multihash.digest());
                } catch (MultiformatException e) {
                    throw new MultiformatException("peer id: identity multihash does not hold a public key: "
                            + e.getMessage(), e);
                }
                yield new PeerId(multihash, key);
            }
            default -> throw new MultiformatException("peer id: multihash " + multihash.name()
                    + " not allowed (only identity or sha2-256)");
        };
    }

    /**
     * The PeerId whose binary form (a multihash) is {@code bytes}.
     *
     * @throws MultiformatException if the bytes are not a multihash acceptable as a PeerId
     */
    public static PeerId fromBytes(byte[] bytes) {
        Multihash mh;
        try {
            mh = Multihash.decode(Objects.requireNonNull(bytes, "bytes"));
        } catch (MultiformatException e) {
            throw new MultiformatException("peer id: " + e.getMessage(), e);
        }
        return fromMultihash(mh);
    }

    /**
     * Parses a PeerId: text starting {@code 1} or {@code Qm} is a bare base58btc multihash;
     * anything else must be a multibase-encoded CIDv1 with codec {@code libp2p-key}.
     *
     * @throws MultiformatException if the text is neither, a CID has another codec, or the
     *     multihash is not acceptable as a PeerId
     */
    public static PeerId parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new MultiformatException("peer id: empty string");
        }
        if (text.startsWith("1") || text.startsWith("Qm")) {
            byte[] raw;
            try {
                raw = Multibase.Encoding.BASE58BTC.decodeRaw(text);
            } catch (MultiformatException e) {
                throw new MultiformatException("peer id: " + e.getMessage(), e);
            }
            return fromBytes(raw);
        }
        Cid cid;
        try {
            cid = Cid.decode(Multibase.decode(text));
        } catch (MultiformatException e) {
            throw new MultiformatException("peer id: not a base58btc multihash (1..., Qm...) nor a CID: "
                    + e.getMessage(), e);
        }
        if (cid.codec() != Multicodec.LIBP2P_KEY) {
            throw new MultiformatException("peer id: CID codec " + Multicodec.name(cid.codec())
                    + " is not libp2p-key");
        }
        return fromMultihash(cid.multihash());
    }

    /** The multihash. */
    public Multihash multihash() {
        return multihash;
    }

    /** A copy of the binary form (the multihash bytes). */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The public key inlined in an identity-multihash PeerId; empty for sha2-256 PeerIds. */
    public Optional<PublicKey> publicKey() {
        return Optional.ofNullable(inlineKey);
    }

    /** This PeerId as a CIDv1 with codec {@code libp2p-key}. */
    public Cid toCid() {
        return Cid.v1(Multicodec.LIBP2P_KEY, multihash);
    }

    /** This PeerId as base32 CIDv1 text ({@code bafz...}). */
    public String toCidString() {
        return toCid().toString();
    }

    @Override
    public int compareTo(PeerId other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PeerId other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The canonical text: the multihash in base58btc without prefix ({@code 12D3KooW...}, {@code Qm...}). */
    @Override
    public String toString() {
        return multihash.toString();
    }
}

package io.hivemesh.api.multiformats;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Objects;

/**
 * A content identifier, per the multiformats CID spec.
 * <ul>
 *   <li>CIDv0 is a bare sha2-256 multihash (34 bytes, {@code 0x12 0x20 ...}); its codec is
 *       implicitly {@code dag-pb} and its only text form is unprefixed base58btc ({@code Qm...}).</li>
 *   <li>CIDv1 is {@code <varint 1><varint codec><multihash>}, written as multibase text,
 *       base32 ({@code b...}) by default.</li>
 * </ul>
 * Only the codecs of {@link Multicodec} and the hash functions of {@link Multihash} are accepted;
 * versions other than 0 and 1, unknown codecs and trailing bytes are rejected.
 *
 * <p>Immutable and thread-safe; equality is by version and encoded bytes, so a CIDv0 and the CIDv1
 * it converts to are not equal.
 */
public final class Cid {
    private static final int V0_LENGTH = 34;
    private static final int V0_TEXT_LENGTH = 46;

    private final int version;
    private final long codec;
    private final Multihash multihash;
    private final byte[] bytes;

    private Cid(int version, long codec, Multihash multihash) {
        this.version = version;
        this.codec = codec;
        this.multihash = multihash;
        if (version == 0) {
            this.bytes = multihash.toBytes();
        } else {
            byte[] mh = multihash.toBytes();
            ByteBuffer out = ByteBuffer.allocate(1 + Varint.size(codec) + mh.length);
            Varint.write(1, out);
            Varint.write(codec, out);
            out.put(mh);
            this.bytes = out.array();
        }
    }

    /**
     * A CIDv0 of {@code multihash}.
     *
     * @throws MultiformatException if the multihash is not sha2-256
     */
    public static Cid v0(Multihash multihash) {
        Objects.requireNonNull(multihash, "multihash");
        if (multihash.code() != Multihash.SHA2_256) {
            throw new MultiformatException("cid v0: multihash must be sha2-256, not " + multihash.name());
        }
        return new Cid(0, Multicodec.DAG_PB, multihash);
    }

    /**
     * A CIDv1 of {@code multihash} with content type {@code codec}.
     *
     * @throws MultiformatException if {@code codec} is not a known CID codec
     */
    public static Cid v1(long codec, Multihash multihash) {
        Objects.requireNonNull(multihash, "multihash");
        if (!Multicodec.isKnownCidCodec(codec)) {
            throw new MultiformatException("cid: unknown codec " + Text.hex(codec));
        }
        return new Cid(1, codec, multihash);
    }

    /**
     * Decodes a binary CID: 34 bytes starting {@code 0x12 0x20} are a CIDv0, anything else must be
     * a complete CIDv1.
     *
     * @throws MultiformatException if the version, codec or multihash is invalid, or bytes trail
     */
    public static Cid decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length > 0 && bytes[0] == Multihash.SHA2_256) {
            if (bytes.length != V0_LENGTH || bytes[1] != 0x20) {
                throw new MultiformatException("cid v0: a CID starting 0x12 must be a 34-byte sha2-256 multihash, got "
                        + bytes.length + " bytes");
            }
            return new Cid(0, Multicodec.DAG_PB, Multihash.decode(bytes));
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        long version = readVarint(in, "version");
        if (version == 0) {
            throw new MultiformatException("cid: version 0 must be a bare sha2-256 multihash, not prefixed");
        }
        if (version != 1) {
            throw new MultiformatException("cid: unsupported version " + version);
        }
        int codecAt = in.position();
        long codec = readVarint(in, "codec");
        if (!Multicodec.isKnownCidCodec(codec)) {
            throw new MultiformatException("cid: unknown codec " + Text.hex(codec) + " at byte " + codecAt);
        }
        Multihash mh;
        try {
            mh = Multihash.read(in);
        } catch (MultiformatException e) {
            throw new MultiformatException("cid: " + e.getMessage(), e);
        }
        if (in.hasRemaining()) {
            throw new MultiformatException("cid: " + in.remaining() + " trailing bytes after the multihash");
        }
        return new Cid(1, codec, mh);
    }

    /**
     * Parses CID text: 46 characters starting {@code Qm} are an unprefixed base58btc CIDv0;
     * anything else must be a multibase-encoded CIDv1.
     *
     * @throws MultiformatException if the text is not a valid CID, including multibase-encoded CIDv0
     */
    public static Cid parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.isEmpty()) {
            throw new MultiformatException("cid: empty string");
        }
        boolean v0Text = text.length() == V0_TEXT_LENGTH && text.startsWith("Qm");
        byte[] raw;
        try {
            raw = v0Text ? Multibase.Encoding.BASE58BTC.decodeRaw(text) : Multibase.decode(text);
        } catch (MultiformatException e) {
            throw new MultiformatException("cid: " + e.getMessage(), e);
        }
        if (v0Text) {
            Cid cid = decode(raw);
            if (cid.version != 0) {
                throw new MultiformatException("cid v0: text starting Qm does not decode to a sha2-256 multihash");
            }
            return cid;
        }
        if (raw.length > 0 && raw[0] == Multihash.SHA2_256) {
            throw new MultiformatException("cid: a CIDv0 must not be multibase-encoded (decoded text starts 0x12)");
        }
        return decode(raw);
    }

    private static long readVarint(ByteBuffer in, String what) {
        try {
            return Varint.read(in);
        } catch (MultiformatException e) {
            throw new MultiformatException("cid: " + what + ": " + e.getMessage(), e);
        }
    }

    /** 0 or 1. */
    public int version() {
        return version;
    }

    /** The content type's multicodec code; {@link Multicodec#DAG_PB} for CIDv0. */
    public long codec() {
        return codec;
    }

    /** The content's multihash. */
    public Multihash multihash() {
        return multihash;
    }

    /** A copy of the binary CID. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** This CID as CIDv1: a CIDv0 becomes a {@code dag-pb} CIDv1 of the same multihash; a CIDv1 is returned as is. */
    public Cid toV1() {
        return version == 1 ? this : new Cid(1, Multicodec.DAG_PB, multihash);
    }

    /** The canonical text: unprefixed base58btc for CIDv0, base32 multibase ({@code b...}) for CIDv1. */
    @Override
    public String toString() {
        return version == 0
                ? Multibase.Encoding.BASE58BTC.encodeRaw(bytes)
                : Multibase.encode(Multibase.Encoding.BASE32, bytes);
    }

    /**
     * This CID as text in {@code encoding}: multibase text for CIDv1; for CIDv0 only base58btc is
     * possible, and the result is the unprefixed CIDv0 text.
     *
     * @throws MultiformatException for a CIDv0 and any encoding other than base58btc (convert with
     *     {@link #toV1()} first)
     */
    public String toString(Multibase.Encoding encoding) {
        Objects.requireNonNull(encoding, "encoding");
        if (version == 0) {
            if (encoding != Multibase.Encoding.BASE58BTC) {
                throw new MultiformatException("cid v0 can only be written in base58btc, not "
                        + encoding.multibaseName() + "; convert it with toV1() first");
            }
            return toString();
        }
        return Multibase.encode(encoding, bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Cid other && version == other.version && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return 31 * version + Arrays.hashCode(bytes);
    }
}

package io.hivemesh.api.multiformats;

import java.nio.ByteBuffer;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.Objects;

/**
 * A multihash: {@code <varint hash code><varint digest length><digest>}. Only the hash functions
 * Hivemesh uses are accepted, each with its digest length checked:
 * <ul>
 *   <li>{@code identity} (0x00): the "digest" is the data itself, 0 to {@value #MAX_IDENTITY_LENGTH} bytes;</li>
 *   <li>{@code sha2-256} (0x12): exactly 32 bytes;</li>
 *   <li>{@code sha2-512} (0x13): exactly 64 bytes;</li>
 *   <li>{@code blake3} (0x1e): 1 to {@value #MAX_BLAKE3_LENGTH} bytes.</li>
 * </ul>
 * This class computes sha2-256, sha2-512 and identity with the JDK alone. It parses, prints and
 * validates blake3 multihashes but does not compute them: bundles that ship a BLAKE3
 * implementation (e.g. BouncyCastle) hash the data and call {@link #of(int, byte[])}.
 *
 * <p>Immutable and thread-safe; equality is by encoded bytes; {@link #toString()} is base58btc.
 */
public final class Multihash {
    /** The identity "hash": the digest is the input itself. */
    public static final int IDENTITY = 0x00;
    /** SHA-256 (FIPS 180-4), 32-byte digest. */
    public static final int SHA2_256 = 0x12;
    /** SHA-512 (FIPS 180-4), 64-byte digest. */
    public static final int SHA2_512 = 0x13;
    /** BLAKE3, variable-length digest. */
    public static final int BLAKE3 = 0x1e;
    /** The longest identity multihash digest accepted. */
    public static final int MAX_IDENTITY_LENGTH = 1024;
    /** The longest blake3 digest accepted. */
    public static final int MAX_BLAKE3_LENGTH = 128;

    private final int code;
    private final byte[] bytes;
    private final int digestOffset;

    private Multihash(int code, byte[] digest) {
        this.code = code;
        int header = Varint.size(code) + Varint.size(digest.length);
        this.bytes = new byte[header + digest.length];
        ByteBuffer out = ByteBuffer.wrap(bytes);
        Varint.write(code, out);
        Varint.write(digest.length, out);
        out.put(digest);
        this.digestOffset = header;
    }

    /**
     * A multihash of an already computed digest.
     *
     * @throws MultiformatException if {@code code} is not one of the supported hash codes or the
     *     digest length does not fit it
     */
    public static Multihash of(int code, byte[] digest) {
        Objects.requireNonNull(digest, "digest");
        checkDigestLength(code, digest.length);
        return new Multihash(code, digest.clone());
    }

    /** The sha2-256 multihash of {@code data}. */
    public static Multihash sha256(byte[] data) {
        return new Multihash(SHA2_256, digest("SHA-256", data));
    }

    /** The sha2-512 multihash of {@code data}. */
    public static Multihash sha512(byte[] data) {
        return new Multihash(SHA2_512, digest("SHA-512", data));
    }

    /**
     * The identity multihash of {@code data}.
     *
     * @throws MultiformatException if {@code data} is longer than {@value #MAX_IDENTITY_LENGTH} bytes
     */
    public static Multihash identity(byte[] data) {
        return of(IDENTITY, data);
    }

    /**
     * Decodes {@code bytes}, which must hold exactly one multihash.
     *
     * @throws MultiformatException if the multihash is malformed or followed by trailing bytes
     */
    public static Multihash decode(byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        Multihash mh = read(in);
        if (in.hasRemaining()) {
            throw new MultiformatException("multihash " + mh.name() + ": " + in.remaining()
                    + " trailing bytes after the digest");
        }
        return mh;
    }

    /**
     * Reads one multihash at the buffer's position and advances past it; on failure the position is
     * left where it was.
     *
     * @throws MultiformatException if the code is unknown, the length wrong for the code, or the
     *     input truncated
     */
    public static Multihash read(ByteBuffer in) {
        int start = in.position();
        try {
            long code = readVarint(in, "multihash: hash code");
            if (!isKnown(code)) {
                throw new MultiformatException("multihash: unknown hash code " + Text.hex(code)
                        + " at byte " + start);
            }
            String name = name((int) code);
            long length = readVarint(in, "multihash " + name + ": digest length");
            checkDigestLength((int) code, length);
            if (length > in.remaining()) {
                throw new MultiformatException("multihash " + name + ": digest length " + length
                        + " exceeds the " + in.remaining() + " remaining bytes");
            }
            byte[] digest = new byte[(int) length];
            in.get(digest);
            return new Multihash((int) code, digest);
        } catch (MultiformatException e) {
            in.position(start);
            throw e;
        }
    }

    private static long readVarint(ByteBuffer in, String what) {
        try {
            return Varint.read(in);
        } catch (MultiformatException e) {
            throw new MultiformatException(what + ": " + e.getMessage(), e);
        }
    }

    private static boolean isKnown(long code) {
        return code == IDENTITY || code == SHA2_256 || code == SHA2_512 || code == BLAKE3;
    }

    private static void checkDigestLength(int code, long length) {
        switch (code) {
            case IDENTITY -> checkRange(code, length, 0, MAX_IDENTITY_LENGTH);
            case SHA2_256 -> checkExact(code, length, 32);
            case SHA2_512 -> checkExact(code, length, 64);
            case BLAKE3 -> checkRange(code, length, 1, MAX_BLAKE3_LENGTH);
            default -> throw new MultiformatException("multihash: unknown hash code " + Text.hex(code));
        }
    }

    private static void checkExact(int code, long length, int expected) {
        if (length != expected) {
            throw new MultiformatException("multihash " + name(code) + ": digest length " + length
                    + ", expected " + expected);
        }
    }

    private static void checkRange(int code, long length, int min, int max) {
        if (length < min || length > max) {
            throw new MultiformatException("multihash " + name(code) + ": digest length " + length
                    + ", expected " + min + " to " + max);
        }
    }

    private static byte[] digest(String algorithm, byte[] data) {
        Objects.requireNonNull(data, "data");
        try {
            return MessageDigest.getInstance(algorithm).digest(data);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(algorithm + " is required of every Java platform", e);
        }
    }

    private static String name(int code) {
        return switch (code) {
            case IDENTITY -> "identity";
            case SHA2_256 -> "sha2-256";
            case SHA2_512 -> "sha2-512";
            case BLAKE3 -> "blake3";
            default -> Text.hex(code);
        };
    }

    /** The hash function's multicodec code. */
    public int code() {
        return code;
    }

    /** The hash function's multicodec name: {@code identity}, {@code sha2-256}, {@code sha2-512}, {@code blake3}. */
    public String name() {
        return name(code);
    }

    /** A copy of the digest. */
    public byte[] digest() {
        return Arrays.copyOfRange(bytes, digestOffset, bytes.length);
    }

    /** The digest length in bytes. */
    public int digestLength() {
        return bytes.length - digestOffset;
    }

    /** A copy of the encoded multihash. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The encoded length in bytes. */
    public int encodedLength() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multihash other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The encoded multihash in base58btc, without a multibase prefix (e.g. {@code Qm...}). */
    @Override
    public String toString() {
        return Multibase.Encoding.BASE58BTC.encodeRaw(bytes);
    }
}

package io.hivemesh.api.peer;

import io.hivemesh.api.multiformats.MultiformatException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Objects;

/**
 * A libp2p public key: its type and its type-specific encoding ({@code Data} in the libp2p
 * {@code PublicKey} protobuf). The data is checked only for shape, not for being a valid point or
 * key: Ed25519 data is 32 bytes, secp256k1 data is a 33-byte compressed or 65-byte uncompressed SEC 1
 * point, RSA and ECDSA data (DER) is non-empty; the whole protobuf is at most
 * {@value #MAX_ENCODED_LENGTH} bytes.
 *
 * <p>Immutable and thread-safe: the data is copied in and out; equality is by type and data.
 *
 * @param type the key type
 * @param data the key in its libp2p encoding for {@code type}
 */
public record PublicKey(KeyType type, byte[] data) {
    /** The longest {@code PublicKey} protobuf accepted. */
    public static final int MAX_ENCODED_LENGTH = 8192;
    private static final String WHAT = "public key protobuf";

    /**
     * @throws MultiformatException if {@code data} has the wrong shape for {@code type} or the
     *     encoded key would exceed {@value #MAX_ENCODED_LENGTH} bytes
     */
    public PublicKey {
        Objects.requireNonNull(type, "type");
        data = Objects.requireNonNull(data, "data").clone();
        checkShape(type, data);
    }

    private static void checkShape(KeyType type, byte[] data) {
        if (data.length > MAX_ENCODED_LENGTH || KeyProtobuf.encodedLength(type, data.length) > MAX_ENCODED_LENGTH) {
            throw new MultiformatException("public key " + type + ": encoded key exceeds " + MAX_ENCODED_LENGTH + " bytes");
        }
        switch (type) {
            case ED25519 -> {
                if (data.length != 32) {
                    throw new MultiformatException("public key ED25519: data length " + data.length + ", expected 32");
                }
            }
            case SECP256K1 -> {
                boolean compressed = data.length == 33 && (data[0] == 2 || data[0] == 3);
                boolean uncompressed = data.length == 65 && data[0] == 4;
                if (!compressed && !uncompressed) {
                    throw new MultiformatException("public key SECP256K1: data must be a 33-byte compressed or"
                            + " 65-byte uncompressed SEC 1 point, got " + data.length + " bytes");
                }
            }
            case RSA, ECDSA -> {
                if (data.length == 0) {
                    throw new MultiformatException("public key " + type + ": empty data");
                }
            }
        }
    }

    /**
     * Decodes a libp2p {@code PublicKey} protobuf strictly: both fields required, in tag order, once
     * each, minimal varints, no unknown fields, no trailing bytes, at most
     * {@value #MAX_ENCODED_LENGTH} bytes. A key accepted here re-encodes to exactly {@code bytes}.
     *
     * @throws MultiformatException naming the problem
     */
    public static PublicKey fromProtobuf(byte[] bytes) {
        KeyProtobuf.Fields f = KeyProtobuf.decode(Objects.requireNonNull(bytes, "bytes"), MAX_ENCODED_LENGTH, WHAT);
        return new PublicKey(f.type(), f.data());
    }

    /** The deterministic libp2p {@code PublicKey} protobuf: field 1 then field 2, minimal varints. */
    public byte[] toProtobuf() {
        return KeyProtobuf.encode(type, data);
    }

    /** A copy of the key data. */
    @Override
    public byte[] data() {
        return data.clone();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof PublicKey k && type == k.type && Arrays.equals(data, k.data);
    }

    @Override
    public int hashCode() {
        return 31 * type.hashCode() + Arrays.hashCode(data);
    }

    @Override
    public String toString() {
        return "PublicKey[" + type + ", " + HexFormat.of().formatHex(data) + "]";
    }
}

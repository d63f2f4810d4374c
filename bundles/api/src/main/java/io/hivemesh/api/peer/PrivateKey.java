package io.hivemesh.api.peer;

import io.hivemesh.api.multiformats.MultiformatException;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.Objects;

/**
 * A libp2p private key: its type and its type-specific encoding ({@code Data} in the libp2p
 * {@code PrivateKey} protobuf). Shapes checked: Ed25519 data is 64 bytes (32-byte seed followed by
 * the 32-byte public key; the legacy 96-byte form with the public key repeated is accepted when both
 * copies agree and is normalised to 64 bytes), secp256k1 data is 32 bytes, RSA and ECDSA data (DER) is
 * non-empty; the whole protobuf is at most {@value #MAX_ENCODED_LENGTH} bytes. Whether an Ed25519
 * public half matches its seed is for the crypto bundle to verify.
 *
 * <p>Immutable and thread-safe: the data is copied in and out. {@link #toString()} never shows key
 * material; {@link #equals(Object)} compares in constant time and {@link #hashCode()} depends on the
 * type only.
 *
 * @param type the key type
 * @param data the key in its libp2p encoding for {@code type}
 */
public record PrivateKey(KeyType type, byte[] data) {
    /** The longest {@code PrivateKey} protobuf accepted. */
    public static final int MAX_ENCODED_LENGTH = 16384;
    private static final String WHAT = "private key protobuf";

    /**
     * @throws MultiformatException if {@code data} has the wrong shape for {@code type}
     */
    public PrivateKey {
        Objects.requireNonNull(type, "type");
        data = normalise(type, Objects.requireNonNull(data, "data").clone());
    }

    private static byte[] normalise(KeyType type, byte[] data) {
        if (data.length > MAX_ENCODED_LENGTH || KeyProtobuf.encodedLength(type, data.length) > MAX_ENCODED_LENGTH) {
            throw new MultiformatException("private key " + type + ": encoded key exceeds " + MAX_ENCODED_LENGTH + " bytes");
        }
        switch (type) {
            case ED25519 -> {
                if (data.length == 96) {
                    if (!MessageDigest.isEqual(Arrays.copyOfRange(data, 32, 64), Arrays.copyOfRange(data, 64, 96))) {
                        throw new MultiformatException("private key ED25519: legacy 96-byte form with two different public keys");
                    }
                    return Arrays.copyOf(data, 64);
                }
                if (data.length != 64) {
                    throw new MultiformatException("private key ED25519: data length " + data.length
                            + ", expected 64 (seed and public key)");
                }
            }
            case SECP256K1 -> {
                if (data.length != 32) {
                    throw new MultiformatException("private key SECP256K1: data length " + data.length + ", expected 32");
                }
            }
            case RSA, ECDSA -> {
                if (data.length == 0) {
                    throw new MultiformatException("private key " + type + ": empty data");
                }
            }
        }
        return data;
    }

    /**
     * Decodes a libp2p {@code PrivateKey} protobuf, as strictly as {@link PublicKey#fromProtobuf(byte[])}.
     *
     * @throws MultiformatException naming the problem (never the key bytes)
     */
    public static PrivateKey fromProtobuf(byte[] bytes) {
        KeyProtobuf.Fields f = KeyProtobuf.decode(Objects.requireNonNull(bytes, "bytes"), MAX_ENCODED_LENGTH, WHAT);
        return new PrivateKey(f.type(), f.data());
    }

    /** The deterministic libp2p {@code PrivateKey} protobuf: field 1 then field 2, minimal varints. */
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
        return o instanceof PrivateKey k && type == k.type && MessageDigest.isEqual(data, k.data);
    }

    @Override
    public int hashCode() {
        return type.hashCode();
    }

    /** The type only; key material is never shown. */
    @Override
    public String toString() {
        return "PrivateKey[" + type + ", redacted]";
    }
}

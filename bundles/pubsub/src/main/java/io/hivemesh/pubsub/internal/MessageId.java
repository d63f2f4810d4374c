package io.hivemesh.pubsub.internal;

import com.google.protobuf.ByteString;
import java.util.Arrays;
import java.util.HexFormat;

/** A message id as a map key: immutable bytes with value equality. */
final class MessageId {
    private final byte[] bytes;
    private final int hash;

    private MessageId(byte[] bytes) {
        this.bytes = bytes;
        this.hash = Arrays.hashCode(bytes);
    }

    static MessageId of(byte[] bytes) {
        return new MessageId(bytes.clone());
    }

    static MessageId of(ByteString bytes) {
        return new MessageId(bytes.toByteArray());
    }

    byte[] toBytes() {
        return bytes.clone();
    }

    ByteString toByteString() {
        return ByteString.copyFrom(bytes);
    }

    int length() {
        return bytes.length;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof MessageId m && Arrays.equals(bytes, m.bytes);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    @Override
    public String toString() {
        return HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 64)) + (bytes.length > 64 ? "…" : "");
    }
}

package io.hivemesh.api.peer;

import io.hivemesh.api.multiformats.MultiformatException;
import io.hivemesh.api.multiformats.Varint;
import java.nio.ByteBuffer;

/**
 * The libp2p key message {@code { required KeyType Type = 1; required bytes Data = 2; }}, written
 * deterministically and read strictly per the peer-ids spec: both fields present, in tag order,
 * once each, minimal varints, no other fields, nothing trailing. Messages never include key bytes.
 */
final class KeyProtobuf {
    private static final int TYPE_TAG = (1 << 3);
    private static final int DATA_TAG = (2 << 3) | 2;

    private KeyProtobuf() {
    }

    /** The decoded fields. */
    record Fields(KeyType type, byte[] data) {
    }

    static int encodedLength(KeyType type, int dataLength) {
        return 1 + Varint.size(type.number()) + 1 + Varint.size(dataLength) + dataLength;
    }

    static byte[] encode(KeyType type, byte[] data) {
        ByteBuffer out = ByteBuffer.allocate(encodedLength(type, data.length));
        out.put((byte) TYPE_TAG);
        Varint.write(type.number(), out);
        out.put((byte) DATA_TAG);
        Varint.write(data.length, out);
        out.put(data);
        return out.array();
    }

    /**
     * @param what names the message in errors, e.g. {@code "public key protobuf"}
     */
    static Fields decode(byte[] bytes, int maxLength, String what) {
        if (bytes.length > maxLength) {
            throw new MultiformatException(what + ": " + bytes.length + " bytes exceeds maximum " + maxLength);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        KeyType type = null;
        byte[] data = null;
        while (in.hasRemaining()) {
            int at = in.position();
            long tag = varint(in, what, "field tag at byte " + at);
            long field = tag >>> 3;
            int wireType = (int) (tag & 7);
            if (field == 1) {
                if (type != null) {
                    throw new MultiformatException(what + ": duplicate field 1 (Type) at byte " + at);
                }
                if (data != null) {
                    throw new MultiformatException(what + ": field 1 (Type) after field 2 (Data) at byte " + at);
                }
                requireWireType(what, 1, "Type", wireType, 0);
                long number = varint(in, what, "Type value at byte " + in.position());
                type = keyType(number, what);
            } else if (field == 2) {
                if (data != null) {
                    throw new MultiformatException(what + ": duplicate field 2 (Data) at byte " + at);
                }
                requireWireType(what, 2, "Data", wireType, 2);
                long length = varint(in, what, "Data length at byte " + in.position());
                if (length > in.remaining()) {
                    throw new MultiformatException(what + ": Data length " + length + " exceeds the "
                            + in.remaining() + " remaining bytes");
                }
                data = new byte[(int) length];
                in.get(data);
            } else {
                throw new MultiformatException(what + ": unknown field " + field + " (wire type " + wireType
                        + ") at byte " + at);
            }
        }
        if (type == null) {
            throw new MultiformatException(what + ": missing required field 1 (Type)");
        }
        if (data == null) {
            throw new MultiformatException(what + ": missing required field 2 (Data)");
        }
        return new Fields(type, data);
    }

    private static KeyType keyType(long number, String what) {
        for (KeyType t : KeyType.values()) {
            if (t.number() == number) {
                return t;
            }
        }
        throw new MultiformatException(what + ": unknown key type " + number);
    }

    private static void requireWireType(String what, int field, String name, int actual, int expected) {
        if (actual != expected) {
            throw new MultiformatException(what + ": field " + field + " (" + name + ") has wire type " + actual
                    + ", expected " + expected);
        }
    }

    private static long varint(ByteBuffer in, String what, String which) {
        try {
            return Varint.read(in);
        } catch (MultiformatException e) {
            throw new MultiformatException(what + ": " + which + ": " + e.getMessage(), e);
        }
    }
}

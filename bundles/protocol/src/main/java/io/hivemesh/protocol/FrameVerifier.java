package io.hivemesh.protocol;

import io.hivemesh.protocol.TableShape.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The FlatBuffers verifier for machine frames (flatbuffers-java 2.0.8 has none): walks the raw
 * bytes along {@link WireShapes} before any generated accessor reads them, as the C++
 * {@code flatbuffers::Verifier} does. Checks that the root offset, every vtable, table, field,
 * string and vector lies inside the frame and is aligned; offsets are non-zero and below 2^31;
 * strings are NUL-terminated and strict UTF-8 (no overlong forms, surrogates or code points past
 * U+10FFFF); required fields are present; union tags are known; strings, byte
 * vectors and lists are within their limits; tables nest at most {@link MachineCodec#MAX_DEPTH}
 * deep and at most {@link MachineCodec#MAX_TABLES} are visited. Unknown trailing vtable slots
 * (fields a newer schema appended) are ignored. One instance per frame; not thread-safe.
 */
final class FrameVerifier {
    /** {@code root_type} offset plus the {@code file_identifier}. */
    private static final int HEADER_BYTES = 8;
    private static final byte[] IDENTIFIER = {'H', 'M', 'M', '1'};

    private final ByteBuffer bb;
    private final int size;
    private final CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
            .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
    private int tables;

    private FrameVerifier(byte[] frame) {
        this.bb = ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN);
        this.size = frame.length;
    }

    /** Verifies {@code frame}; throws {@link MalformedMessageException} naming the first problem. */
    static void verify(byte[] frame) {
        verify(frame, WireShapes.FRAME);
    }

    /** Verifies {@code frame} against another root shape (the tests' deep and wide shapes). */
    static void verify(byte[] frame, TableShape root) {
        new FrameVerifier(frame).verifyFrame(root);
    }

    private void verifyFrame(TableShape root) {
        if (size < HEADER_BYTES) {
            throw fail("frame", size + " bytes is shorter than a frame header (" + HEADER_BYTES + ")");
        }
        for (int i = 0; i < IDENTIFIER.length; i++) {
            if (bb.get(4 + i) != IDENTIFIER[i]) {
                throw fail("frame", "file identifier is not HMM1 (not a machine-plane frame)");
            }
        }
        verifyTable(offsetAt(0, "frame root"), root, 1);
    }

    private void verifyTable(int table, TableShape shape, int depth) {
        String where = shape.name();
        if (depth > MachineCodec.MAX_DEPTH) {
            throw fail(where, "tables nested deeper than " + MachineCodec.MAX_DEPTH);
        }
        if (++tables > MachineCodec.MAX_TABLES) {
            throw fail(where, "more than " + MachineCodec.MAX_TABLES + " tables in one frame");
        }
        check(table, 4, 4, where, "table");
        long vtable = (long) table - bb.getInt(table);
        check(vtable, 4, 2, where, "vtable");
        int vtableSize = u16((int) vtable);
        if (vtableSize < 4 || (vtableSize & 1) != 0) {
            throw fail(where, "vtable size " + vtableSize + " is not an even number of at least 4");
        }
        check(vtable, vtableSize, 2, where, "vtable");
        int tableSize = u16((int) vtable + 2);
        if (tableSize < 4) {
            throw fail(where, "table size " + tableSize + " is smaller than its vtable offset");
        }
        check(table, tableSize, 1, where, "table");

        List<Field> fields = shape.fields();
        int unionType = 0;
        for (int slot = 0; slot < fields.size(); slot++) {
            Field field = fields.get(slot);
            String name = where + "." + field.name();
            int entry = 4 + 2 * slot;
            int fieldOffset = entry + 2 <= vtableSize ? u16((int) vtable + entry) : 0;
            if (fieldOffset == 0) {
                if (field.required()) {
                    throw fail(name, "missing");
                }
                continue;
            }
            if (fieldOffset + field.kind().size > tableSize) {
                throw fail(name, "field at " + fieldOffset + " lies outside its table of " + tableSize + " bytes");
            }
            int at = table + fieldOffset;
            switch (field.kind()) {
                case BOOL -> check(at, 1, 1, name, "field");
                case UNION_TYPE -> {
                    check(at, 1, 1, name, "field");
                    unionType = Byte.toUnsignedInt(bb.get(at));
                }
                case INT -> check(at, 4, 4, name, "field");
                case LONG, DOUBLE -> check(at, 8, 8, name, "field");
                case STRING -> verifyString(offsetAt(at, name), field.max(), name);
                case BYTES -> verifyVector(offsetAt(at, name), 1, field.max(), name);
                case INT_VECTOR -> verifyVector(offsetAt(at, name), 4, field.max(), name);
                case TABLE -> verifyTable(offsetAt(at, name), field.table(), depth + 1);
                case TABLE_VECTOR -> {
                    int vector = offsetAt(at, name);
                    int length = verifyVector(vector, 4, field.max(), name);
                    for (int i = 0; i < length; i++) {
                        verifyTable(offsetAt(vector + 4 + 4 * i, name + "[" + i + "]"), field.table(), depth + 1);
                    }
                }
                case STRING_VECTOR -> {
                    int vector = offsetAt(at, name);
                    int length = verifyVector(vector, 4, field.max(), name);
                    for (int i = 0; i < length; i++) {
                        String entryName = name + "[" + i + "]";
                        verifyString(offsetAt(vector + 4 + 4 * i, entryName), field.elementMax(), entryName);
                    }
                }
                case UNION -> {
                    if (unionType == 0 || unionType > field.members().size()) {
                        throw fail(name, unionType == 0 ? "union value without a type"
                                : "unknown message kind " + unionType);
                    }
                    verifyTable(offsetAt(at, name), field.members().get(unionType - 1), depth + 1);
                }
            }
        }
    }

    /** Checks a vector's length word and body; returns its length. */
    private int verifyVector(int vector, int elementSize, int maxLength, String name) {
        check(vector, 4, 4, name, "vector length");
        long length = u32(vector);
        if (length > maxLength) {
            throw fail(name, length + (elementSize == 1 ? " bytes" : " entries") + " exceeds the limit of "
                    + maxLength);
        }
        check(vector + 4L, length * elementSize, elementSize, name, "vector");
        return (int) length;
    }

    private void verifyString(int string, int maxBytes, String name) {
        int length = verifyVector(string, 1, maxBytes, name);
        check(string + 4L + length, 1, 1, name, "string terminator");
        if (bb.get(string + 4 + length) != 0) {
            throw fail(name, "string is not NUL-terminated");
        }
        try {
            utf8.reset().decode(bb.duplicate().position(string + 4).limit(string + 4 + length));
        } catch (CharacterCodingException e) {
            throw fail(name, "malformed UTF-8");
        }
    }

    /** Follows the uoffset at {@code at}: returns its target, checked to be inside the frame. */
    private int offsetAt(int at, String name) {
        check(at, 4, 4, name, "offset");
        long offset = u32(at);
        if (offset == 0 || offset > Integer.MAX_VALUE) {
            throw fail(name, "offset " + offset + " is not a forward offset");
        }
        long target = at + offset;
        check(target, 1, 1, name, "offset target");
        return (int) target;
    }

    private void check(long position, long length, int alignment, String name, String what) {
        if (position < 0 || length < 0 || position + length > size) {
            throw fail(name, what + " at " + position + " (" + length + " bytes) runs past the end of the "
                    + size + "-byte frame");
        }
        if (position % alignment != 0) {
            throw fail(name, what + " at " + position + " is not aligned to " + alignment + " bytes");
        }
    }

    private int u16(int at) {
        return Short.toUnsignedInt(bb.getShort(at));
    }

    private long u32(int at) {
        return Integer.toUnsignedLong(bb.getInt(at));
    }

    private static MalformedMessageException fail(String name, String problem) {
        return new MalformedMessageException(name + ": " + problem);
    }
}

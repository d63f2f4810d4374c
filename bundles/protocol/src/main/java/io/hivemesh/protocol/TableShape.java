package io.hivemesh.protocol;

import java.util.ArrayList;
import java.util.List;

/**
 * What {@link FrameVerifier} knows of one table of {@code machine.fbs}: its fields in vtable-slot
 * order, each with its wire kind, whether it is required and its length limit. Built once by
 * {@link WireShapes}; {@code ShapesMatchSchemaTest} checks it against the schema file.
 */
final class TableShape {

    /** The wire form of a field. */
    enum Kind {
        BOOL(1), INT(4), LONG(8), DOUBLE(8),
        /** The ubyte tag of the union whose value is the next slot. */
        UNION_TYPE(1),
        STRING(4), BYTES(4), INT_VECTOR(4), TABLE(4), TABLE_VECTOR(4), STRING_VECTOR(4),
        /** The offset of the union member table; its tag is the previous slot. */
        UNION(4);

        final int size;

        Kind(int size) {
            this.size = size;
        }
    }

    /**
     * One field: {@code max} is the most bytes (strings, byte vectors) or entries (other vectors);
     * {@code elementMax} the most bytes of each string of a string vector; {@code table} the
     * shape of a table or of a table vector's entries; {@code members} the union's shapes by tag.
     */
    record Field(String name, Kind kind, boolean required, int max, int elementMax, TableShape table,
                 List<TableShape> members) {
    }

    private final String name;
    private final List<Field> fields = new ArrayList<>();

    TableShape(String name) {
        this.name = name;
    }

    String name() {
        return name;
    }

    List<Field> fields() {
        return fields;
    }

    TableShape scalar(String field, Kind kind) {
        return add(new Field(field, kind, false, 0, 0, null, List.of()));
    }

    /** A required string of at most {@code maxBytes} bytes. */
    TableShape string(String field, int maxBytes) {
        return add(new Field(field, Kind.STRING, true, maxBytes, 0, null, List.of()));
    }

    /** An optional string of at most {@code maxBytes} bytes. */
    TableShape text(String field, int maxBytes) {
        return add(new Field(field, Kind.STRING, false, maxBytes, 0, null, List.of()));
    }

    TableShape bytes(String field, int maxBytes) {
        return add(new Field(field, Kind.BYTES, true, maxBytes, 0, null, List.of()));
    }

    TableShape ints(String field, int maxEntries) {
        return add(new Field(field, Kind.INT_VECTOR, true, maxEntries, 0, null, List.of()));
    }

    TableShape strings(String field, int maxEntries, int maxBytesEach) {
        return add(new Field(field, Kind.STRING_VECTOR, true, maxEntries, maxBytesEach, null, List.of()));
    }

    TableShape table(String field, TableShape shape) {
        return add(new Field(field, Kind.TABLE, true, 0, 0, shape, List.of()));
    }

    TableShape tables(String field, TableShape shape, int maxEntries) {
        return add(new Field(field, Kind.TABLE_VECTOR, true, maxEntries, 0, shape, List.of()));
    }

    /** A required union: two slots, {@code field_type} and {@code field}; {@code members} by tag from 1. */
    TableShape union(String field, List<TableShape> members) {
        add(new Field(field + "_type", Kind.UNION_TYPE, true, 0, 0, null, List.of()));
        return add(new Field(field, Kind.UNION, true, 0, 0, null, List.copyOf(members)));
    }

    private TableShape add(Field field) {
        fields.add(field);
        return this;
    }
}

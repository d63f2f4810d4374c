package io.hivemesh.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import io.hivemesh.protocol.TableShape.Field;
import io.hivemesh.protocol.TableShape.Kind;
import io.hivemesh.protocol.fb.Message;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The verifier's copy of the schema ({@link WireShapes}) says what {@code machine.fbs} says: the
 * same tables, the same fields in the same slots with the same kinds, the same required fields and
 * the same union members in the same order (as flatc numbered them in {@link Message}).
 */
class ShapesMatchSchemaTest {
    private static final Pattern TABLE = Pattern.compile("table\\s+(\\w+)\\s*\\{([^}]*)}");
    private static final Pattern UNION = Pattern.compile("union\\s+(\\w+)\\s*\\{([^}]*)}");
    private static final Pattern FIELD = Pattern.compile("(\\w+)\\s*:\\s*([\\w\\[\\]]+)\\s*(\\(required\\))?\\s*;");

    private static final Map<String, String> TABLES = new LinkedHashMap<>();
    private static final Map<String, List<String>> UNIONS = new LinkedHashMap<>();

    @BeforeAll
    static void parseSchema() throws IOException {
        String schema = Files.readString(Path.of("src/main/fbs/machine.fbs")).replaceAll("//[^\n]*", "");
        Matcher u = UNION.matcher(schema);
        while (u.find()) {
            UNIONS.put(u.group(1), Arrays.stream(u.group(2).split(",")).map(String::trim).filter(s -> !s.isEmpty())
                    .toList());
        }
        Matcher t = TABLE.matcher(schema);
        while (t.find()) {
            TABLES.put(t.group(1), t.group(2));
        }
    }

    /** The fields of a schema table as the verifier should see them: "slot name kind required [table]". */
    private static List<String> schemaFields(String body) {
        List<String> fields = new ArrayList<>();
        Matcher f = FIELD.matcher(body);
        while (f.find()) {
            String name = f.group(1);
            String type = f.group(2);
            boolean required = f.group(3) != null;
            if (UNIONS.containsKey(type)) {
                fields.add(name + "_type " + Kind.UNION_TYPE + " " + required + " -");
                fields.add(name + " " + Kind.UNION + " " + required + " " + String.join(",", UNIONS.get(type)));
                continue;
            }
            String kind;
            String table = "-";
            switch (type) {
                case "bool" -> kind = Kind.BOOL.name();
                case "int" -> kind = Kind.INT.name();
                case "long" -> kind = Kind.LONG.name();
                case "double" -> kind = Kind.DOUBLE.name();
                case "string" -> kind = Kind.STRING.name();
                case "[ubyte]" -> kind = Kind.BYTES.name();
                case "[int]" -> kind = Kind.INT_VECTOR.name();
                case "[string]" -> kind = Kind.STRING_VECTOR.name();
                default -> {
                    boolean vector = type.startsWith("[");
                    table = vector ? type.substring(1, type.length() - 1) : type;
                    assertNotNull(TABLES.get(table), "unknown type " + type);
                    kind = (vector ? Kind.TABLE_VECTOR : Kind.TABLE).name();
                }
            }
            fields.add(name + " " + kind + " " + required + " " + table);
        }
        return fields;
    }

    private static List<String> shapeFields(TableShape shape) {
        return shape.fields().stream().map(ShapesMatchSchemaTest::describe).toList();
    }

    private static String describe(Field f) {
        String ref = f.table() != null ? f.table().name()
                : f.kind() == Kind.UNION ? String.join(",", f.members().stream().map(TableShape::name).toList()) : "-";
        return f.name() + " " + f.kind() + " " + f.required() + " " + ref;
    }

    @Test
    void everyTableOfTheSchemaHasItsShapeFieldForField() {
        assertEquals(TABLES.keySet(), WireShapes.ALL.stream().map(TableShape::name)
                .collect(java.util.stream.Collectors.toCollection(java.util.LinkedHashSet::new)));
        for (TableShape shape : WireShapes.ALL) {
            assertEquals(schemaFields(TABLES.get(shape.name())), shapeFields(shape), shape.name());
        }
    }

    @Test
    void unionMembersAreInFlatcsTagOrder() {
        List<String> members = WireShapes.MESSAGE.stream().map(TableShape::name).toList();
        assertEquals(UNIONS.get("Message"), members);
        assertEquals(members, Arrays.asList(Message.names).subList(1, Message.names.length));
    }

    @Test
    void everyUnionMemberIsAMessageKind() {
        List<String> kinds = Arrays.stream(MachineMessage.class.getPermittedSubclasses()).map(Class::getSimpleName).toList();
        assertEquals(kinds, WireShapes.MESSAGE.stream().map(TableShape::name).toList());
    }
}

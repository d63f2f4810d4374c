package io.hivemesh.rest.internal.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Who owns which fields of one object: per field manager and operation ({@code Apply} or
 * {@code Update}), the API version it used and the {@link FieldPath}s it set. The caller stores
 * {@link #toJson()} next to the object and hands it back with the next write; it is not returned to
 * clients as {@code metadata.managedFields} (kubectl would then rewrite it with a JSON patch).
 *
 * <p>Stored form: {@code [{"manager":"kubectl","operation":"Apply","apiVersion":"apps/v1",
 * "fields":[["spec","replicas"], ...]}, ...]}. Immutable: every change returns a new instance.
 */
public final class ManagedFields {
    /** Server-side apply. */
    public static final String APPLY = "Apply";
    /** Create, update or patch. */
    public static final String UPDATE = "Update";

    /** The fields one manager set with one operation. */
    public record Entry(String manager, String operation, String apiVersion, Set<FieldPath> fields) {
        public Entry {
            fields = Collections.unmodifiableSet(new LinkedHashSet<>(fields));
        }

        boolean is(String m, String op) {
            return manager.equals(m) && operation.equals(op);
        }
    }

    private static final ManagedFields EMPTY = new ManagedFields(List.of());

    private final List<Entry> entries;

    private ManagedFields(List<Entry> entries) {
        this.entries = List.copyOf(entries);
    }

    public static ManagedFields empty() {
        return EMPTY;
    }

    public static ManagedFields of(List<Entry> entries) {
        return new ManagedFields(entries);
    }

    public List<Entry> entries() {
        return entries;
    }

    /** The entry of this manager and operation, or null. */
    public Entry entry(String manager, String operation) {
        for (Entry e : entries) {
            if (e.is(manager, operation)) {
                return e;
            }
        }
        return null;
    }

    /** The managers owning {@code path}, in entry order. */
    public List<String> owners(FieldPath path) {
        List<String> owners = new ArrayList<>();
        for (Entry e : entries) {
            if (e.fields().contains(path) && !owners.contains(e.manager())) {
                owners.add(e.manager());
            }
        }
        return owners;
    }

    /** This ownership with the entry of {@code manager}/{@code operation} replaced (dropped if it owns nothing). */
    ManagedFields with(Entry replacement) {
        List<Entry> l = new ArrayList<>(entries.size() + 1);
        boolean placed = false;
        for (Entry e : entries) {
            if (e.is(replacement.manager(), replacement.operation())) {
                if (!replacement.fields().isEmpty()) {
                    l.add(replacement);
                }
                placed = true;
            } else if (!e.fields().isEmpty()) {
                l.add(e);
            }
        }
        if (!placed && !replacement.fields().isEmpty()) {
            l.add(replacement);
        }
        return new ManagedFields(l);
    }

    /**
     * The ownership after a create, update or patch by {@code manager} turned {@code before} (null for
     * a create) into {@code after}: every field the write added or changed becomes the manager's
     * ({@code Update}) and no longer anybody else's; fields no longer in the object are nobody's.
     */
    public ManagedFields afterUpdate(String manager, String apiVersion, JsonNode before, JsonNode after,
                                     Schema schema) {
        Schema.Type type = schema.typeOf(after).orElse(Schema.Type.ANY);
        AppliedFields now = AppliedFields.of(after, type, false);
        AppliedFields was = AppliedFields.of(before, schema.typeOf(before).orElse(type), false);
        Set<FieldPath> present = now.all();
        Set<FieldPath> changed = new LinkedHashSet<>();
        for (Map.Entry<FieldPath, JsonNode> leaf : now.leaves().entrySet()) {
            if (!Nodes.equal(was.leaves().get(leaf.getKey()), leaf.getValue())) {
                changed.add(leaf.getKey());
            }
        }
        for (FieldPath element : now.elements()) {
            if (!was.elements().contains(element)) {
                changed.add(element);
            }
        }
        List<Entry> l = new ArrayList<>();
        Set<FieldPath> mine = new LinkedHashSet<>(changed);
        for (Entry e : entries) {
            Set<FieldPath> kept = new LinkedHashSet<>();
            for (FieldPath p : e.fields()) {
                if (present.contains(p) && !changed.contains(p)) {
                    kept.add(p);
                }
            }
            if (e.is(manager, UPDATE)) {
                mine.addAll(kept);
            } else if (!kept.isEmpty()) {
                l.add(new Entry(e.manager(), e.operation(), e.apiVersion(), kept));
            }
        }
        ManagedFields result = new ManagedFields(l);
        return result.with(new Entry(manager, UPDATE, apiVersion, mine));
    }

    /** The stored form (see the class comment). */
    public ArrayNode toJson() {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Entry e : entries) {
            ObjectNode o = a.addObject();
            o.put("manager", e.manager()).put("operation", e.operation()).put("apiVersion", e.apiVersion());
            ArrayNode fields = o.putArray("fields");
            e.fields().forEach(p -> fields.add(p.toJson()));
        }
        return a;
    }

    /**
     * Reads the stored form ({@code null} or missing: nobody owns anything).
     *
     * @throws IllegalArgumentException naming what is malformed
     */
    public static ManagedFields fromJson(JsonNode json) {
        if (json == null || json.isNull() || json.isMissingNode()) {
            return EMPTY;
        }
        if (!json.isArray()) {
            throw new IllegalArgumentException("managed fields must be an array, not " + Nodes.brief(json));
        }
        Map<String, Entry> byKey = new LinkedHashMap<>();
        for (int i = 0; i < json.size(); i++) {
            JsonNode e = json.get(i);
            String manager = text(e, "manager", i);
            String operation = text(e, "operation", i);
            if (!operation.equals(APPLY) && !operation.equals(UPDATE)) {
                throw new IllegalArgumentException("managed fields entry " + i + ": unknown operation " + operation);
            }
            String apiVersion = text(e, "apiVersion", i);
            JsonNode fields = e.get("fields");
            if (fields == null || !fields.isArray()) {
                throw new IllegalArgumentException("managed fields entry " + i + ": \"fields\" must be an array");
            }
            Set<FieldPath> paths = new LinkedHashSet<>();
            for (JsonNode f : fields) {
                paths.add(FieldPath.fromJson(f));
            }
            if (byKey.put(manager + "\u0000" + operation, new Entry(manager, operation, apiVersion, paths)) != null) {
                throw new IllegalArgumentException("managed fields entry " + i + ": a second entry for " + manager
                        + " (" + operation + ")");
            }
        }
        return new ManagedFields(new ArrayList<>(byKey.values()));
    }

    private static String text(JsonNode e, String field, int i) {
        JsonNode v = e == null || !e.isObject() ? null : e.get(field);
        if (v == null || !v.isTextual()) {
            throw new IllegalArgumentException("managed fields entry " + i + ": \"" + field + "\" must be a string");
        }
        return v.asText();
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ManagedFields m && m.entries.equals(entries);
    }

    @Override
    public int hashCode() {
        return entries.hashCode();
    }

    @Override
    public String toString() {
        return toJson().toString();
    }
}

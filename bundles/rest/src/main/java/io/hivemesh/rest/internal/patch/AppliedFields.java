package io.hivemesh.rest.internal.patch;

import com.fasterxml.jackson.databind.JsonNode;
import io.hivemesh.rest.internal.http.ApiException;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The fields an object sets, as server-side apply owns them: its leaves (scalars, atomic lists, empty
 * maps) with their values, and the elements of merge-key lists it names. Fields set to {@code null}
 * are not set. Identity fields ({@code apiVersion}, {@code kind}, {@code metadata.name},
 * {@code namespace}, {@code uid}, {@code resourceVersion}, {@code generation},
 * {@code creationTimestamp}, {@code managedFields}) are nobody's.
 */
record AppliedFields(Map<FieldPath, JsonNode> leaves, Set<FieldPath> elements) {
    private static final Set<String> TOP_IDENTITY = Set.of("apiVersion", "kind");
    private static final Set<String> META_IDENTITY = Set.of("name", "namespace", "uid", "resourceVersion",
            "generation", "creationTimestamp", "managedFields", "deletionTimestamp", "selfLink");

    /** Every owned path: leaves and elements. */
    Set<FieldPath> all() {
        Set<FieldPath> all = new LinkedHashSet<>(leaves.keySet());
        all.addAll(elements);
        return all;
    }

    /**
     * Collects the fields of {@code object}.
     *
     * @param strict true for an apply configuration: {@code $} directives and merge-list elements
     *               without their key or with a duplicate key are refused (400); false for a stored
     *               object, where such elements are skipped
     */
    static AppliedFields of(JsonNode object, Schema.Type type, boolean strict) {
        AppliedFields f = new AppliedFields(new LinkedHashMap<>(), new LinkedHashSet<>());
        if (object != null && object.isObject()) {
            f.walkMap(object, type, FieldPath.ROOT, strict);
        }
        return f;
    }

    private void walkMap(JsonNode map, Schema.Type type, FieldPath at, boolean strict) {
        for (Iterator<Map.Entry<String, JsonNode>> it = map.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (at.length() == 0 && TOP_IDENTITY.contains(k)
                    || at.equals(FieldPath.ROOT.field("metadata")) && META_IDENTITY.contains(k)) {
                continue;
            }
            FieldPath p = at.field(k);
            if (strict && k.startsWith("$")) {
                throw ApiException.badRequest(p + ": patch directives are not allowed in an apply configuration");
            }
            if (v.isNull()) {
                continue;
            }
            Schema.Type t = type.field(k);
            if (v.isObject() && v.size() > 0) {
                walkMap(v, t, p, strict);
            } else if (v.isArray() && t.shape() == Schema.Shape.MERGE_LIST) {
                walkList(v, t, p, strict);
            } else {
                leaves.put(p, v);
            }
        }
    }

    private void walkList(JsonNode list, Schema.Type type, FieldPath at, boolean strict) {
        String key = type.mergeKey();
        Set<FieldPath> seen = new HashSet<>();
        for (int i = 0; i < list.size(); i++) {
            JsonNode e = list.get(i);
            JsonNode kv = e.isObject() ? e.get(key) : null;
            if (kv == null || kv.isNull() || kv.isContainerNode()) {
                if (strict) {
                    throw ApiException.badRequest(at + "[" + i + "]: an element of a list merged by \"" + key
                            + "\" must be an object with a value for \"" + key + "\"");
                }
                continue;
            }
            FieldPath p = at.key(key, kv);
            if (!seen.add(p)) {
                if (strict) {
                    throw ApiException.badRequest(at + "[" + i + "]: duplicate entry for " + p);
                }
                continue;
            }
            elements.add(p);
            walkMap(e, type.element(), p, strict);
        }
    }
}

package io.hivemesh.rest.internal.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.ApiException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Strategic merge patch ({@code application/strategic-merge-patch+json}), as kubectl's client-side
 * apply sends it; semantics after sig-api-machinery's "strategic-merge-patch.md":
 *
 * <ul>
 *   <li>maps merge key by key, {@code null} removes a key, scalars and lists without a strategy replace;</li>
 *   <li>lists with a merge key ({@link Schema}) merge element by element: a patch element updates the
 *       original element with the same key, or is appended; {@code {"$patch":"delete", key: v}} removes
 *       the element with that key; an element {@code {"$patch":"replace"}} makes the list exactly the
 *       other patch elements; a patch list {@code []} changes nothing;</li>
 *   <li>lists of scalars with the merge strategy ({@code metadata.finalizers}) are sets: union, and
 *       {@code "$deleteFromPrimitiveList/<list>": [values]} removes values (any list of scalars);</li>
 *   <li>{@code "$patch":"replace"} in a map replaces the map by the rest of the patch map;
 *       {@code "$patch":"delete"} removes the map;</li>
 *   <li>{@code "$retainKeys": [keys]} drops every key of the merged map not listed (the patch's own
 *       keys must be among them);</li>
 *   <li>{@code "$setElementOrder/<list>": [...]} (merge-key maps, or scalars) orders the merged list.
 *       Deliberate simplification: elements named in the order come first, in that order; the others
 *       (present only on the server) follow in their previous relative order, where Kubernetes
 *       interleaves them by their old neighbours.</li>
 * </ul>
 *
 * Kinds the schema does not know are patched with {@link JsonMergePatch} semantics (Kubernetes refuses
 * strategic patches for custom resources; here the caller decides). Never modifies its inputs, never
 * returns a half-patched object: every error is an {@link ApiException} (400 for a malformed patch, 422
 * for a patch that does not fit the object) naming the path, such as
 * {@code spec.template.spec.containers[1]: missing merge key "name"}.
 */
public final class StrategicMergePatch {
    private static final String PATCH = "$patch";
    private static final String RETAIN_KEYS = "$retainKeys";
    private static final String SET_ELEMENT_ORDER = "$setElementOrder/";
    private static final String DELETE_FROM_PRIMITIVE_LIST = "$deleteFromPrimitiveList/";

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private StrategicMergePatch() {
    }

    /**
     * Applies {@code patch} to {@code target} (null: patch an empty object) by the type of the target's
     * (else the patch's) {@code apiVersion} and {@code kind} in {@code schema}.
     */
    public static JsonNode apply(JsonNode target, JsonNode patch, Schema schema) {
        if (patch == null || !patch.isObject()) {
            throw ApiException.badRequest("a strategic merge patch must be a JSON object, not " + Nodes.brief(patch));
        }
        Nodes.checkDepth(patch, "the strategic merge patch");
        if (target != null) {
            Nodes.checkDepth(target, "the patched object");
        }
        Schema.Type type = (target != null ? schema.typeOf(target) : schema.typeOf(patch))
                .orElse(null);
        if (type == null) {
            return JsonMergePatch.apply(target, patch);
        }
        ObjectNode start = target != null && target.isObject() ? ((ObjectNode) target).deepCopy() : F.objectNode();
        ObjectNode result = mergeMap(start, (ObjectNode) patch, type, "");
        if (result == null) {
            throw ApiException.badRequest("\"$patch\": \"delete\" cannot delete the whole object");
        }
        return result;
    }

    /**
     * Merges {@code patch} into {@code original} (a private copy, changed in place).
     *
     * @return the merged map, or null if the patch deletes it
     */
    static ObjectNode mergeMap(ObjectNode original, ObjectNode patch, Schema.Type type, String path) {
        JsonNode directive = patch.get(PATCH);
        if (directive != null) {
            switch (text(directive, at(path, PATCH))) {
                case "delete" -> {
                    return null;
                }
                case "replace" -> original = F.objectNode();
                case "merge" -> {
                }
                default -> throw ApiException.badRequest(at(path, PATCH) + ": unknown patch directive "
                        + Nodes.brief(directive) + " (expected replace, delete or merge)");
            }
        }
        Set<String> retain = patch.has(RETAIN_KEYS) ? retainKeys(patch, path) : null;
        Map<String, ArrayNode> orders = new LinkedHashMap<>();
        // First the deletions from primitive lists, then the merge, then the orders.
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            if (key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                deleteFromPrimitiveList(original, key.substring(DELETE_FROM_PRIMITIVE_LIST.length()), e.getValue(),
                        at(path, key));
            } else if (key.startsWith(SET_ELEMENT_ORDER)) {
                if (!e.getValue().isArray()) {
                    throw ApiException.badRequest(at(path, key) + ": must be a list, not " + Nodes.brief(e.getValue()));
                }
                orders.put(key.substring(SET_ELEMENT_ORDER.length()), (ArrayNode) e.getValue());
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String key = e.getKey();
            JsonNode value = e.getValue();
            if (key.startsWith("$")) {
                if (!key.equals(PATCH) && !key.equals(RETAIN_KEYS) && !key.startsWith(SET_ELEMENT_ORDER)
                        && !key.startsWith(DELETE_FROM_PRIMITIVE_LIST)) {
                    throw ApiException.badRequest(at(path, key) + ": unknown patch directive");
                }
                continue;
            }
            if (retain != null && !retain.contains(key)) {
                throw ApiException.badRequest(at(path, key) + ": the field is not listed in \"$retainKeys\"");
            }
            Schema.Type fieldType = type.field(key);
            JsonNode current = original.get(key);
            if (value.isNull()) {
                original.remove(key);
            } else if (value.isObject()) {
                ObjectNode merged = mergeMap(current != null && current.isObject() ? (ObjectNode) current
                        : F.objectNode(), (ObjectNode) value, fieldType, at(path, key));
                if (merged == null) {
                    original.remove(key);
                } else {
                    original.set(key, merged);
                }
            } else if (value.isArray()) {
                ArrayNode list = current != null && current.isArray() ? (ArrayNode) current : F.arrayNode();
                switch (fieldType.shape()) {
                    case MERGE_LIST -> original.set(key, mergeList(list, (ArrayNode) value, fieldType, at(path, key)));
                    case SET_LIST -> original.set(key, mergeSet(list, (ArrayNode) value, at(path, key)));
                    default -> original.set(key, value.deepCopy());
                }
            } else {
                original.set(key, value.deepCopy());
            }
        }
        for (Map.Entry<String, ArrayNode> order : orders.entrySet()) {
            JsonNode list = original.get(order.getKey());
            if (list != null && list.isArray()) {
                original.set(order.getKey(), reorder((ArrayNode) list, order.getValue(), type.field(order.getKey()),
                        at(path, SET_ELEMENT_ORDER + order.getKey())));
            }
        }
        if (retain != null) {
            original.retain(retain);
        }
        return original;
    }

    private static ArrayNode mergeList(ArrayNode original, ArrayNode patch, Schema.Type type, String path) {
        String key = type.mergeKey();
        boolean replace = false;
        for (JsonNode p : patch) {
            replace |= isReplaceDirective(p);
        }
        // The elements so far (null: deleted), and where each merge key is; linear in the list sizes.
        List<JsonNode> items = new ArrayList<>();
        Map<String, Integer> byKey = new HashMap<>();
        if (!replace) {
            for (JsonNode e : original) {
                String k = e.isObject() ? Nodes.canonical(e.get(key)) : null;
                if (k != null) {
                    byKey.putIfAbsent(k, items.size());
                }
                items.add(e);
            }
        }
        for (int i = 0; i < patch.size(); i++) {
            JsonNode p = patch.get(i);
            String at = path + "[" + i + "]";
            if (isReplaceDirective(p)) {
                continue;
            }
            if (!p.isObject()) {
                throw ApiException.badRequest(at + ": the elements of a list merged by \"" + key
                        + "\" must be objects, not " + Nodes.brief(p));
            }
            ObjectNode element = (ObjectNode) p;
            JsonNode directive = element.get(PATCH);
            String d = directive == null ? "merge" : text(directive, at + "." + PATCH);
            if (!d.equals("delete") && !d.equals("merge") && !d.equals("replace")) {
                throw ApiException.badRequest(at + "." + PATCH + ": unknown patch directive " + Nodes.brief(directive)
                        + " (expected replace, delete or merge)");
            }
            JsonNode keyValue = element.get(key);
            if (keyValue == null || keyValue.isNull()) {
                throw ApiException.badRequest(at + ": missing merge key \"" + key + "\"");
            }
            String k = Nodes.canonical(keyValue);
            if (k == null) {
                throw ApiException.badRequest(at + "." + key + ": a merge key must be a value, not "
                        + Nodes.brief(keyValue));
            }
            Integer found = byKey.get(k);
            if (d.equals("delete")) {
                if (found != null) {
                    byKey.remove(k);
                    for (int j = found; j < items.size(); j++) {
                        JsonNode e = items.get(j);
                        if (e != null && e.isObject() && k.equals(Nodes.canonical(e.get(key)))) {
                            items.set(j, null);
                        }
                    }
                }
                continue;
            }
            ObjectNode base = found != null ? (ObjectNode) items.get(found) : F.objectNode();
            ObjectNode merged = mergeMap(base, element, type.element(), at);
            if (found != null) {
                items.set(found, merged);
                if (merged == null) {
                    byKey.remove(k);
                }
            } else if (merged != null) {
                byKey.put(k, items.size());
                items.add(merged);
            }
        }
        ArrayNode list = F.arrayNode();
        for (JsonNode e : items) {
            if (e != null) {
                list.add(e);
            }
        }
        return list;
    }

    private static boolean isReplaceDirective(JsonNode p) {
        return p.isObject() && p.size() == 1 && p.has(PATCH) && "replace".equals(p.get(PATCH).textValue());
    }

    private static ArrayNode mergeSet(ArrayNode original, ArrayNode patch, String path) {
        boolean replace = false;
        for (JsonNode p : patch) {
            if (p.isObject() && p.size() == 1 && p.has(PATCH)) {
                if (!isReplaceDirective(p)) {
                    throw ApiException.badRequest(path + ": only {\"$patch\": \"replace\"} is a directive in a list"
                            + " of values");
                }
                replace = true;
            }
        }
        ArrayNode result = replace ? F.arrayNode() : original;
        Set<String> present = new HashSet<>();
        for (JsonNode e : result) {
            present.add(e.isContainerNode() ? e.toString() : Nodes.canonical(e));
        }
        for (int i = 0; i < patch.size(); i++) {
            JsonNode p = patch.get(i);
            if (isReplaceDirective(p)) {
                continue;
            }
            if (p.isContainerNode()) {
                throw ApiException.badRequest(path + "[" + i + "]: the elements of this list must be values, not "
                        + Nodes.brief(p));
            }
            if (present.add(Nodes.canonical(p))) {
                result.add(p.deepCopy());
            }
        }
        return result;
    }

    private static void deleteFromPrimitiveList(ObjectNode original, String list, JsonNode values, String path) {
        if (!values.isArray()) {
            throw ApiException.badRequest(path + ": must be a list of values, not " + Nodes.brief(values));
        }
        Set<String> doomed = new HashSet<>();
        for (JsonNode v : values) {
            if (v.isContainerNode()) {
                throw ApiException.badRequest(path + ": must be a list of values, not hold " + Nodes.brief(v));
            }
            doomed.add(Nodes.canonical(v));
        }
        JsonNode current = original.get(list);
        if (current == null || current.isNull()) {
            return;
        }
        if (!current.isArray()) {
            throw Nodes.unprocessable(path + ": the field \"" + list + "\" is " + Nodes.brief(current)
                    + ", not a list");
        }
        ArrayNode kept = F.arrayNode();
        for (JsonNode e : current) {
            if (e.isContainerNode() || !doomed.contains(Nodes.canonical(e))) {
                kept.add(e);
            }
        }
        original.set(list, kept);
    }

    /** Orders {@code list} by {@code order}: named elements first in that order, then the rest as they were. */
    private static ArrayNode reorder(ArrayNode list, ArrayNode order, Schema.Type type, String path) {
        String key = type.shape() == Schema.Shape.MERGE_LIST ? type.mergeKey() : null;
        Map<String, Integer> rank = new HashMap<>();
        for (int i = 0; i < order.size(); i++) {
            JsonNode o = order.get(i);
            JsonNode id = o;
            if (key != null) {
                id = o.isObject() ? o.get(key) : null;
                if (id == null || id.isNull()) {
                    throw ApiException.badRequest(path + "[" + i + "]: missing merge key \"" + key + "\"");
                }
            }
            String c = Nodes.canonical(id);
            if (c == null) {
                throw ApiException.badRequest(path + "[" + i + "]: " + (key == null
                        ? "this list has no merge key, so its order must list values, not " + Nodes.brief(o)
                        : "a merge key must be a value, not " + Nodes.brief(id)));
            }
            rank.putIfAbsent(c, i);
        }
        List<JsonNode> elements = new ArrayList<>(list.size());
        list.forEach(elements::add);
        // List.sort is stable: elements not in the order keep their relative order, after the others.
        elements.sort(Comparator.comparingInt(e -> {
            JsonNode id = key == null ? e : e.isObject() ? e.get(key) : null;
            String c = Nodes.canonical(id);
            return c == null ? Integer.MAX_VALUE : rank.getOrDefault(c, Integer.MAX_VALUE);
        }));
        ArrayNode result = F.arrayNode();
        elements.forEach(result::add);
        return result;
    }

    private static Set<String> retainKeys(ObjectNode patch, String path) {
        JsonNode keys = patch.get(RETAIN_KEYS);
        if (!keys.isArray()) {
            throw ApiException.badRequest(at(path, RETAIN_KEYS) + ": must be a list of field names, not "
                    + Nodes.brief(keys));
        }
        Set<String> retain = new HashSet<>();
        for (JsonNode k : keys) {
            if (!k.isTextual()) {
                throw ApiException.badRequest(at(path, RETAIN_KEYS) + ": must be a list of field names, not hold "
                        + Nodes.brief(k));
            }
            retain.add(k.asText());
        }
        return retain;
    }

    private static String text(JsonNode directive, String path) {
        if (!directive.isTextual()) {
            throw ApiException.badRequest(path + ": must be a string, not " + Nodes.brief(directive));
        }
        return directive.asText();
    }

    private static String at(String path, String key) {
        return path.isEmpty() ? key : path + "." + key;
    }
}

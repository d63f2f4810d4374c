package io.hivemesh.rest.internal.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.ApiException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Server-side apply ({@code application/apply-patch+yaml}, kubectl {@code apply --server-side}), kept
 * practical. The apply configuration is merged into the live object: maps field by field, lists with a
 * merge key ({@link Schema}) element by element (the applied elements in the applied order, then the
 * live elements it does not name), everything else replaced; {@code null} fields set nothing.
 *
 * <p>Ownership ({@link ManagedFields}, which the caller persists next to the object): the manager owns
 * every field its configuration sets. Setting a field another manager owns to a different value than
 * the live one is a conflict: 409 {@code Apply failed with 1 conflict: conflict with "M" using apps/v1:
 * .spec.replicas}, causes {@code FieldManagerConflict}, unless {@code force}, which takes the field over.
 * Setting it to the live value shares it. A manager never conflicts with itself. Fields the manager
 * applied before and no longer applies are removed from the object unless another manager owns them
 * (or something inside them); maps and merge-key lists this leaves empty are removed too.
 *
 * <p>Deliberate simplifications: lists of values (finalizers) and other lists without a merge key are
 * owned whole; the annotation {@code kubectl.kubernetes.io/last-applied-configuration} never conflicts
 * (kubectl's own bookkeeping, which kubectl rewrites with {@code fieldManager=kubectl-last-applied}
 * after an apply; Kubernetes updates it itself instead). So that second apply, whose body holds only
 * {@code metadata{name,namespace,annotations}}, sets the annotation and leaves the spec alone.
 *
 * <p>Never changes its inputs; every error is an {@link ApiException}. Thread-safe.
 */
public final class ServerSideApply {
    static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
    private static final FieldPath LAST_APPLIED_PATH = FieldPath.ROOT.field("metadata").field("annotations")
            .field(LAST_APPLIED);
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** One field set by {@code manager} (last with {@code apiVersion}) that the apply wanted to change. */
    public record Conflict(String manager, String apiVersion, FieldPath field) {
    }

    /**
     * The applied object, its new ownership, the conflicts {@code force} overrode (empty without
     * force) and whether the object is new.
     */
    public record Result(ObjectNode object, ManagedFields managedFields, List<Conflict> overridden, boolean created) {
        public Result {
            overridden = List.copyOf(overridden);
        }
    }

    private final Schema schema;

    public ServerSideApply(Schema schema) {
        this.schema = schema;
    }

    /**
     * Applies {@code applied} by {@code manager} to {@code live} (null: create).
     *
     * @param owned the ownership stored with {@code live} (null: nobody owns anything)
     * @throws ApiException 400 for a malformed configuration, 409 Conflict for conflicts without force
     */
    public Result apply(JsonNode live, JsonNode applied, String manager, boolean force, ManagedFields owned) {
        if (manager == null || manager.isBlank()) {
            throw ApiException.badRequest("PATCH requests with the apply content type require fieldManager");
        }
        if (applied == null || !applied.isObject()) {
            throw ApiException.badRequest("an apply configuration must be a JSON object, not " + Nodes.brief(applied));
        }
        Nodes.checkDepth(applied, "the apply configuration");
        String apiVersion = text(applied, "apiVersion");
        String kind = text(applied, "kind");
        if (live != null) {
            Nodes.checkDepth(live, "the live object");
            JsonNode liveKind = live.get("kind");
            if (liveKind != null && !liveKind.asText().equals(kind)) {
                throw ApiException.badRequest("the apply configuration is a " + kind + ", the object a "
                        + liveKind.asText());
            }
        }
        ManagedFields before = owned == null ? ManagedFields.empty() : owned;
        Schema.Type type = schema.typeOf(applied).orElse(Schema.Type.ANY);
        AppliedFields now = AppliedFields.of(applied, type, true);

        if (live == null || !live.isObject()) {
            ObjectNode created = merge(F.objectNode(), applied, type);
            return new Result(created, before.with(new ManagedFields.Entry(manager, ManagedFields.APPLY, apiVersion,
                    now.all())), List.of(), true);
        }

        AppliedFields liveFields = AppliedFields.of(live, type, false);
        List<Conflict> conflicts = conflicts(liveFields, now, manager, before);
        if (!conflicts.isEmpty() && !force) {
            throw conflictError(applied, conflicts);
        }
        ManagedFields others = force ? takeOver(before, conflicts, manager) : before;

        ObjectNode result = merge(((ObjectNode) live).deepCopy(), applied, type);
        ManagedFields.Entry previous = others.entry(manager, ManagedFields.APPLY);
        ManagedFields after = others.with(new ManagedFields.Entry(manager, ManagedFields.APPLY, apiVersion, now.all()));
        if (previous != null) {
            removeAbandoned(result, type, previous.fields(), now, ownedAtOrBelow(after, null));
        }
        return new Result(result, after, force ? conflicts : List.of(), false);
    }

    /** The fields the configuration changes that another manager owns (at or below). */
    private static List<Conflict> conflicts(AppliedFields live, AppliedFields now, String manager,
                                            ManagedFields owned) {
        Map<FieldPath, Set<ManagedFields.Entry>> index = ownedAtOrBelow(owned, manager);
        List<Conflict> conflicts = new ArrayList<>();
        for (Map.Entry<FieldPath, JsonNode> leaf : now.leaves().entrySet()) {
            FieldPath p = leaf.getKey();
            JsonNode value = leaf.getValue();
            if (p.equals(LAST_APPLIED_PATH) || value.isObject() && value.isEmpty()) {
                continue;
            }
            // A live value equal to the applied one is a leaf at the same path of the live object.
            if (Nodes.equal(live.leaves().get(p), value)) {
                continue;
            }
            Set<ManagedFields.Entry> owners = index.get(p);
            if (owners != null) {
                for (ManagedFields.Entry e : owners) {
                    conflicts.add(new Conflict(e.manager(), e.apiVersion(), p));
                }
            }
            // A value another manager set whole (a scalar or a list) that this configuration turns into a map.
            for (int n = p.length() - 1; n >= 1; n--) {
                FieldPath up = p.prefix(n);
                JsonNode liveValue = live.leaves().get(up);
                if (liveValue != null && !liveValue.isObject()) {
                    for (ManagedFields.Entry e : owned.entries()) {
                        if (!e.manager().equals(manager) && e.fields().contains(up)) {
                            conflicts.add(new Conflict(e.manager(), e.apiVersion(), up));
                        }
                    }
                }
            }
        }
        return conflicts.stream().distinct().toList();
    }

    /** For every path, the entries owning it or something below it (but not those of {@code except}). */
    private static Map<FieldPath, Set<ManagedFields.Entry>> ownedAtOrBelow(ManagedFields owned, String except) {
        Map<FieldPath, Set<ManagedFields.Entry>> index = new HashMap<>();
        for (ManagedFields.Entry e : owned.entries()) {
            if (e.manager().equals(except)) {
                continue;
            }
            for (FieldPath p : e.fields()) {
                for (int n = 1; n <= p.length(); n++) {
                    // By identity: an entry's hash covers all its fields.
                    index.computeIfAbsent(p.prefix(n), k -> Collections.newSetFromMap(new IdentityHashMap<>())).add(e);
                }
            }
        }
        return index;
    }

    /** Drops the overridden fields (and what lies below them) from their previous owners. */
    private static ManagedFields takeOver(ManagedFields owned, List<Conflict> conflicts, String manager) {
        Set<FieldPath> taken = new HashSet<>();
        conflicts.forEach(c -> taken.add(c.field()));
        List<ManagedFields.Entry> entries = new ArrayList<>();
        for (ManagedFields.Entry e : owned.entries()) {
            if (e.manager().equals(manager)) {
                entries.add(e);
                continue;
            }
            Set<FieldPath> kept = new LinkedHashSet<>();
            for (FieldPath p : e.fields()) {
                boolean lost = false;
                for (int n = 1; n <= p.length() && !lost; n++) {
                    lost = taken.contains(p.prefix(n));
                }
                if (!lost) {
                    kept.add(p);
                }
            }
            if (!kept.isEmpty()) {
                entries.add(new ManagedFields.Entry(e.manager(), e.operation(), e.apiVersion(), kept));
            }
        }
        return ManagedFields.of(entries);
    }

    /**
     * Removes from {@code object} what the manager applied before and no longer applies, unless someone
     * still owns it or something below it, or it lies inside a value the manager now sets whole; then
     * the maps this leaves empty. One walk over the object, so linear in its size.
     */
    private static void removeAbandoned(ObjectNode object, Schema.Type type, Set<FieldPath> previous,
                                        AppliedFields now, Map<FieldPath, Set<ManagedFields.Entry>> stillOwned) {
        Set<FieldPath> current = now.all();
        Set<FieldPath> doomed = new HashSet<>();
        Set<FieldPath> above = new HashSet<>();
        for (FieldPath p : previous) {
            if (!current.contains(p) && !stillOwned.containsKey(p) && !insideLeaf(p, now)) {
                doomed.add(p);
                for (int n = 1; n < p.length(); n++) {
                    above.add(p.prefix(n));
                }
            }
        }
        if (!doomed.isEmpty()) {
            prune(object, FieldPath.ROOT, type, doomed, above, stillOwned);
        }
    }

    private static void prune(ObjectNode map, FieldPath at, Schema.Type type, Set<FieldPath> doomed,
                              Set<FieldPath> above, Map<FieldPath, Set<ManagedFields.Entry>> stillOwned) {
        List<String> names = new ArrayList<>();
        map.fieldNames().forEachRemaining(names::add);
        for (String name : names) {
            FieldPath p = at.field(name);
            if (doomed.contains(p)) {
                map.remove(name);
                continue;
            }
            if (!above.contains(p)) {
                continue;
            }
            JsonNode v = map.get(name);
            Schema.Type t = type.field(name);
            if (v.isObject()) {
                prune((ObjectNode) v, p, t, doomed, above, stillOwned);
                if (v.isEmpty() && p.length() >= 2 && !stillOwned.containsKey(p)) {
                    map.remove(name);
                }
            } else if (v.isArray() && t.shape() == Schema.Shape.MERGE_LIST) {
                ArrayNode list = (ArrayNode) v;
                for (int i = list.size() - 1; i >= 0; i--) {
                    JsonNode e = list.get(i);
                    JsonNode kv = e.isObject() ? e.get(t.mergeKey()) : null;
                    if (kv == null || kv.isNull() || kv.isContainerNode()) {
                        continue;
                    }
                    FieldPath ep = p.key(t.mergeKey(), kv);
                    if (doomed.contains(ep)) {
                        list.remove(i);
                    } else if (above.contains(ep)) {
                        prune((ObjectNode) e, ep, t.element(), doomed, above, stillOwned);
                    }
                }
                if (list.isEmpty() && !stillOwned.containsKey(p)) {
                    map.remove(name);
                }
            }
        }
    }

    private static boolean insideLeaf(FieldPath p, AppliedFields now) {
        for (int n = 1; n < p.length(); n++) {
            if (now.leaves().containsKey(p.prefix(n))) {
                return true;
            }
        }
        return false;
    }

    /** Merges the configuration into {@code target} (a private copy, changed in place). */
    private static ObjectNode merge(ObjectNode target, JsonNode applied, Schema.Type type) {
        for (Iterator<Map.Entry<String, JsonNode>> it = applied.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            String k = e.getKey();
            JsonNode v = e.getValue();
            if (v.isNull()) {
                continue;
            }
            Schema.Type t = type.field(k);
            JsonNode current = target.get(k);
            if (v.isObject()) {
                target.set(k, merge(current != null && current.isObject() ? (ObjectNode) current : F.objectNode(), v, t));
            } else if (v.isArray() && t.shape() == Schema.Shape.MERGE_LIST) {
                target.set(k, mergeList(current != null && current.isArray() ? (ArrayNode) current : F.arrayNode(),
                        (ArrayNode) v, t));
            } else {
                target.set(k, v.deepCopy());
            }
        }
        return target;
    }

    private static ArrayNode mergeList(ArrayNode live, ArrayNode applied, Schema.Type type) {
        String key = type.mergeKey();
        Map<String, Integer> byKey = new HashMap<>();
        for (int i = 0; i < live.size(); i++) {
            JsonNode e = live.get(i);
            String k = e.isObject() ? Nodes.canonical(e.get(key)) : null;
            if (k != null) {
                byKey.putIfAbsent(k, i);
            }
        }
        ArrayNode result = F.arrayNode();
        boolean[] used = new boolean[live.size()];
        for (JsonNode a : applied) {
            Integer found = byKey.remove(Nodes.canonical(a.get(key)));
            if (found != null) {
                used[found] = true;
                result.add(merge((ObjectNode) live.get(found), a, type.element()));
            } else {
                result.add(merge(F.objectNode(), a, type.element()));
            }
        }
        for (int i = 0; i < live.size(); i++) {
            if (!used[i]) {
                result.add(live.get(i));
            }
        }
        return result;
    }

    private static ApiException conflictError(JsonNode applied, List<Conflict> conflicts) {
        Map<String, List<Conflict>> byManager = new LinkedHashMap<>();
        for (Conflict c : conflicts) {
            byManager.computeIfAbsent(c.manager() + "\u0000" + c.apiVersion(), k -> new ArrayList<>()).add(c);
        }
        StringBuilder m = new StringBuilder("Apply failed with ").append(conflicts.size())
                .append(conflicts.size() == 1 ? " conflict: " : " conflicts: ");
        List<ApiException.Cause> causes = new ArrayList<>();
        boolean first = true;
        for (List<Conflict> group : byManager.values()) {
            Conflict c0 = group.get(0);
            String with = "conflict with \"" + c0.manager() + "\" using " + c0.apiVersion();
            m.append(first ? "" : "\n");
            first = false;
            if (group.size() == 1) {
                m.append(with).append(": ").append(c0.field());
            } else {
                m.append("conflicts with \"").append(c0.manager()).append("\" using ").append(c0.apiVersion()).append(':');
                group.forEach(c -> m.append("\n- ").append(c.field()));
            }
            group.forEach(c -> causes.add(new ApiException.Cause("FieldManagerConflict", with, c.field().toString())));
        }
        String apiVersion = applied.get("apiVersion").asText();
        String group = apiVersion.contains("/") ? apiVersion.substring(0, apiVersion.indexOf('/')) : "";
        String plural = applied.get("kind").asText().toLowerCase(Locale.ROOT) + "s";
        JsonNode name = applied.path("metadata").path("name");
        return ApiException.conflict(group, plural, name.isTextual() ? name.asText() : null, m.toString(), causes);
    }

    private static String text(JsonNode applied, String field) {
        JsonNode v = applied.get(field);
        if (v == null || !v.isTextual() || v.asText().isEmpty()) {
            throw ApiException.badRequest("the apply configuration must set \"" + field + "\"");
        }
        return v.asText();
    }
}

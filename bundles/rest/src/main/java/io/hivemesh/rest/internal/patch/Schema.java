package io.hivemesh.rest.internal.patch;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * How the lists of each kind merge, for strategic merge patch and server-side apply: the facts of
 * the Kubernetes types' {@code patchStrategy}/{@code patchMergeKey} tags, for the kinds this API serves.
 *
 * <p>A {@link Type} is a map (struct) whose known fields have types, a list merged element by element
 * by a merge key, or a list of scalars merged as a set. Fields not described are maps merged
 * recursively or lists and scalars replaced as a whole (atomic), as for any field without a
 * strategy in Kubernetes. Immutable and thread-safe.
 */
public final class Schema {
    /** The shape of a field for merging. */
    public enum Shape {
        /** A map: merged key by key (fields not listed are {@link Type#ANY}). */
        MAP,
        /** A list of objects merged element by element, matched by {@link Type#mergeKey()}. */
        MERGE_LIST,
        /** A list of scalars merged as a set (union, original order first). */
        SET_LIST
    }

    /** The merge type of one field. */
    public static final class Type {
        /** Anything without a strategy: maps merge recursively, lists and scalars are replaced. */
        public static final Type ANY = new Type(Shape.MAP, Map.of(), null, null);

        private final Shape shape;
        private final Map<String, Type> fields;
        private final String mergeKey;
        private final Type element;

        private Type(Shape shape, Map<String, Type> fields, String mergeKey, Type element) {
            this.shape = shape;
            this.fields = fields;
            this.mergeKey = mergeKey;
            this.element = element;
        }

        public static Type map(Map<String, Type> fields) {
            return new Type(Shape.MAP, Map.copyOf(fields), null, null);
        }

        public static Type mergeList(String mergeKey, Type element) {
            return new Type(Shape.MERGE_LIST, Map.of(), mergeKey, element);
        }

        public static Type setList() {
            return new Type(Shape.SET_LIST, Map.of(), null, null);
        }

        public Shape shape() {
            return shape;
        }

        /** The type of a field of this map; {@link #ANY} for fields not described. */
        public Type field(String name) {
            return fields.getOrDefault(name, ANY);
        }

        /** The merge key of a {@link Shape#MERGE_LIST}, else null. */
        public String mergeKey() {
            return mergeKey;
        }

        /** The type of the elements of a {@link Shape#MERGE_LIST}. */
        public Type element() {
            return element;
        }
    }

    private final Map<String, Type> kinds;

    private Schema(Map<String, Type> kinds) {
        this.kinds = Map.copyOf(kinds);
    }

    /**
     * The kinds served by this API: Pod ({@code v1}), Deployment ({@code apps/v1}, whose
     * {@code spec.template} is a pod template) and Scale ({@code autoscaling/v1}).
     *
     * <ul>
     *   <li>pod spec: {@code containers}, {@code initContainers}, {@code ephemeralContainers},
     *       {@code volumes}, {@code imagePullSecrets} by {@code name}; other lists (tolerations, ...) atomic;</li>
     *   <li>container: {@code env} by {@code name}, {@code volumeMounts} by {@code mountPath},
     *       {@code ports} by {@code containerPort};</li>
     *   <li>metadata: {@code finalizers} a set, {@code ownerReferences} by {@code uid};</li>
     *   <li>status: {@code conditions} by {@code type} (Pod and Deployment).</li>
     * </ul>
     */
    public static Schema kubernetes() {
        Type container = Type.map(Map.of(
                "env", Type.mergeList("name", Type.ANY),
                "volumeMounts", Type.mergeList("mountPath", Type.ANY),
                "ports", Type.mergeList("containerPort", Type.ANY)));
        Type podSpec = Type.map(Map.of(
                "containers", Type.mergeList("name", container),
                "initContainers", Type.mergeList("name", container),
                "ephemeralContainers", Type.mergeList("name", container),
                "volumes", Type.mergeList("name", Type.ANY),
                "imagePullSecrets", Type.mergeList("name", Type.ANY)));
        Type meta = Type.map(Map.of(
                "finalizers", Type.setList(),
                "ownerReferences", Type.mergeList("uid", Type.ANY)));
        Type status = Type.map(Map.of("conditions", Type.mergeList("type", Type.ANY)));
        Type pod = Type.map(Map.of("metadata", meta, "spec", podSpec, "status", status));
        Type template = Type.map(Map.of("metadata", meta, "spec", podSpec));
        Type deployment = Type.map(Map.of("metadata", meta,
                "spec", Type.map(Map.of("template", template)), "status", status));
        Type scale = Type.map(Map.of("metadata", meta));
        Map<String, Type> kinds = new HashMap<>();
        kinds.put(key("v1", "Pod"), pod);
        kinds.put(key("apps/v1", "Deployment"), deployment);
        kinds.put(key("autoscaling/v1", "Scale"), scale);
        return new Schema(kinds);
    }

    /** A schema of the given kinds, keyed {@code apiVersion + "/" + kind} (for tests and new kinds). */
    public static Schema of(Map<String, Type> kindsByApiVersionAndKind) {
        return new Schema(kindsByApiVersionAndKind);
    }

    private static String key(String apiVersion, String kind) {
        return apiVersion + "/" + kind;
    }

    /** The type of a kind, or empty for a kind this schema does not know. */
    public Optional<Type> type(String apiVersion, String kind) {
        return Optional.ofNullable(kinds.get(key(apiVersion, kind)));
    }

    /** The type of an object by its own {@code apiVersion} and {@code kind}, or empty. */
    public Optional<Type> typeOf(JsonNode object) {
        if (object == null || !object.isObject()) {
            return Optional.empty();
        }
        JsonNode v = object.get("apiVersion");
        JsonNode k = object.get("kind");
        if (v == null || k == null || !v.isTextual() || !k.isTextual()) {
            return Optional.empty();
        }
        return type(v.asText(), k.asText());
    }
}

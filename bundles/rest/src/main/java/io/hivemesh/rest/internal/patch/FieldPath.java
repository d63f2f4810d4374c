package io.hivemesh.rest.internal.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import java.util.ArrayList;
import java.util.List;

/**
 * The path of one field of an object, as server-side apply owns it: map fields by name, elements of
 * merge-key lists by their key ({@code containers[name="nginx"]}). Printed the way Kubernetes prints
 * conflicts, {@code .spec.template.spec.containers[name="nginx"].image}; stored as a JSON array of
 * names and single-member key objects, {@code ["spec","containers",{"name":"nginx"},"image"]}, which
 * (unlike the printed form) stays unambiguous for keys holding dots.
 */
public record FieldPath(List<Segment> segments) {
    /** One step of a path. */
    public sealed interface Segment permits Field, Key {
    }

    /** A field of a map. */
    public record Field(String name) implements Segment {
    }

    /**
     * The element of a merge-key list whose {@code name} field equals {@code value} (a private copy;
     * integers are held as longs so that 80 read back from storage equals 80 from a request).
     */
    public record Key(String name, JsonNode value) implements Segment {
        public Key {
            value = value.isIntegralNumber() && value.canConvertToLong()
                    ? JsonNodeFactory.instance.numberNode(value.longValue()) : value.deepCopy();
        }
    }

    public static final FieldPath ROOT = new FieldPath(List.of());

    public FieldPath {
        segments = List.copyOf(segments);
    }

    public FieldPath field(String name) {
        return append(new Field(name));
    }

    public FieldPath key(String name, JsonNode value) {
        return append(new Key(name, value));
    }

    private FieldPath append(Segment s) {
        List<Segment> l = new ArrayList<>(segments.size() + 1);
        l.addAll(segments);
        l.add(s);
        return new FieldPath(l);
    }

    public int length() {
        return segments.size();
    }

    /** The first {@code n} steps. */
    public FieldPath prefix(int n) {
        return new FieldPath(segments.subList(0, n));
    }

    public FieldPath parent() {
        return new FieldPath(segments.subList(0, segments.size() - 1));
    }

    /** True if this path lies strictly inside {@code other}. */
    public boolean isUnder(FieldPath other) {
        return segments.size() > other.segments.size()
                && segments.subList(0, other.segments.size()).equals(other.segments);
    }

    /** True if the last step selects a list element. */
    public boolean isElement() {
        return !segments.isEmpty() && segments.get(segments.size() - 1) instanceof Key;
    }

    /** The value at this path in {@code object}, or null if there is none. */
    public JsonNode find(JsonNode object) {
        JsonNode n = object;
        for (Segment s : segments) {
            if (n == null) {
                return null;
            }
            if (s instanceof Field f) {
                n = n.isObject() ? n.get(f.name()) : null;
            } else {
                Key k = (Key) s;
                JsonNode found = null;
                if (n.isArray()) {
                    for (JsonNode e : n) {
                        if (e.isObject() && Nodes.equal(e.get(k.name()), k.value())) {
                            found = e;
                            break;
                        }
                    }
                }
                n = found;
            }
        }
        return n;
    }

    /** The stored form: a JSON array of names and {@code {key: value}} objects. */
    public ArrayNode toJson() {
        ArrayNode a = JsonNodeFactory.instance.arrayNode();
        for (Segment s : segments) {
            if (s instanceof Field f) {
                a.add(f.name());
            } else {
                Key k = (Key) s;
                a.addObject().set(k.name(), k.value().deepCopy());
            }
        }
        return a;
    }

    /** Reads the stored form; throws {@link IllegalArgumentException} if it is not one. */
    public static FieldPath fromJson(JsonNode json) {
        if (json == null || !json.isArray()) {
            throw new IllegalArgumentException("a field path must be an array, not " + Nodes.brief(json));
        }
        List<Segment> l = new ArrayList<>(json.size());
        for (JsonNode s : json) {
            if (s.isTextual()) {
                l.add(new Field(s.asText()));
            } else if (s.isObject() && s.size() == 1) {
                String name = s.fieldNames().next();
                l.add(new Key(name, s.get(name)));
            } else {
                throw new IllegalArgumentException("a field path step must be a name or a {key: value} object, not "
                        + Nodes.brief(s));
            }
        }
        return new FieldPath(l);
    }

    /** {@code .spec.template.spec.containers[name="nginx"].image}, as Kubernetes prints conflicts. */
    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        for (Segment s : segments) {
            if (s instanceof Field f) {
                b.append('.').append(f.name());
            } else {
                Key k = (Key) s;
                b.append('[').append(k.name()).append('=').append(k.value().toString()).append(']');
            }
        }
        return b.length() == 0 ? "." : b.toString();
    }
}

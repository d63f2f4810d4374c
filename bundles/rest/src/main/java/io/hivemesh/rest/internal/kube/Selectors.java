package io.hivemesh.rest.internal.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.ApiException;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * {@code fieldSelector} and {@code labelSelector} as predicates. Fields: {@code metadata.name},
 * {@code metadata.namespace}, {@code involvedObject.*} (kind, name, namespace, uid, apiVersion),
 * {@code spec.nodeName}, {@code status.phase}; with {@code =}, {@code ==} or {@code !=}. Labels:
 * {@code k=v}, {@code k==v}, {@code k!=v}, {@code k}, {@code !k}, comma-separated (all must hold).
 */
public final class Selectors {
    private static final int MAX_TERMS = 32;

    private Selectors() {
    }

    public static Predicate<ObjectNode> fields(String selector) {
        if (selector == null || selector.isBlank()) {
            return o -> true;
        }
        List<Predicate<ObjectNode>> terms = new ArrayList<>();
        for (String term : split(selector)) {
            boolean not = term.contains("!=");
            String[] kv = not ? term.split("!=", 2) : term.split("==?", 2);
            if (kv.length != 2) {
                throw ApiException.badRequest("invalid field selector term '" + term + "': expected field=value");
            }
            String field = kv[0].strip();
            String value = kv[1].strip();
            String[] pathParts = switch (field) {
                case "metadata.name", "metadata.namespace", "spec.nodeName", "status.phase",
                     "involvedObject.kind", "involvedObject.name", "involvedObject.namespace",
                     "involvedObject.uid", "involvedObject.apiVersion", "involvedObject.fieldPath",
                     "reason", "type" -> field.split("\\.");
                default -> throw ApiException.badRequest("field label not supported: " + field);
            };
            terms.add(o -> {
                JsonNode n = o;
                for (String part : pathParts) {
                    n = n.path(part);
                }
                boolean eq = n.asText("").equals(value);
                return not != eq;
            });
        }
        return o -> terms.stream().allMatch(t -> t.test(o));
    }

    public static Predicate<ObjectNode> labels(String selector) {
        if (selector == null || selector.isBlank()) {
            return o -> true;
        }
        List<Predicate<JsonNode>> terms = new ArrayList<>();
        for (String term : split(selector)) {
            if (term.contains(" in ") || term.contains(" notin ") || term.contains("(")) {
                throw ApiException.badRequest("set-based label selectors are not supported: '" + term + "'");
            }
            if (term.contains("!=")) {
                String[] kv = term.split("!=", 2);
                terms.add(l -> !l.path(kv[0].strip()).asText("\u0000").equals(kv[1].strip()));
            } else if (term.contains("=")) {
                String[] kv = term.split("==?", 2);
                terms.add(l -> l.path(kv[0].strip()).asText("\u0000").equals(kv[1].strip()));
            } else if (term.startsWith("!")) {
                String k = term.substring(1).strip();
                terms.add(l -> !l.has(k));
            } else {
                String k = term.strip();
                terms.add(l -> l.has(k));
            }
        }
        return o -> {
            JsonNode labels = o.path("metadata").path("labels");
            return terms.stream().allMatch(t -> t.test(labels));
        };
    }

    private static List<String> split(String selector) {
        List<String> out = new ArrayList<>();
        for (String t : selector.split(",")) {
            if (!t.isBlank()) {
                out.add(t.strip());
            }
        }
        if (out.size() > MAX_TERMS) {
            throw ApiException.badRequest("selector has more than " + MAX_TERMS + " terms");
        }
        return out;
    }
}

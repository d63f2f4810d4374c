package io.hivemesh.rest.internal.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.ApiException;

import java.util.Iterator;
import java.util.Map;

/**
 * The patch types of PATCH requests, by Content-Type: JSON merge patch, JSON patch, strategic merge
 * patch, and server-side apply ({@code application/apply-patch+yaml}).
 */
public final class Patching {
    public static final String MERGE = "application/merge-patch+json";
    public static final String JSON_PATCH = "application/json-patch+json";
    public static final String STRATEGIC = "application/strategic-merge-patch+json";
    public static final String APPLY = "application/apply-patch+yaml";

    private Patching() {
    }

    /** The patch type named by {@code contentType} (parameters ignored), or 415. */
    public static String type(String contentType) {
        String ct = contentType == null ? "" : contentType.split(";", 2)[0].strip().toLowerCase();
        return switch (ct) {
            case MERGE, JSON_PATCH, STRATEGIC, APPLY -> ct;
            default -> throw ApiException.unsupportedMediaType("the patch content type '" + ct + "' is not supported: use "
                    + STRATEGIC + ", " + MERGE + ", " + JSON_PATCH + " or " + APPLY);
        };
    }

    /** {@code live} with {@code patch} applied (a new object; {@code live} is not changed). */
    public static ObjectNode apply(KubeKind kind, ObjectNode live, JsonNode patch, String type) {
        JsonNode out = switch (type) {
            case MERGE -> mergePatch(live.deepCopy(), patch);
            case STRATEGIC -> mergePatch(live.deepCopy(), patch);
            default -> throw ApiException.unsupportedMediaType("patch type " + type + " is not supported here");
        };
        if (!out.isObject()) {
            throw ApiException.badRequest("the patch does not leave an object");
        }
        return (ObjectNode) out;
    }

    /** Server-side apply of {@code applied} over {@code live} (null: create). */
    public static ObjectNode serverSideApply(KubeKind kind, ObjectNode live, ObjectNode applied, String manager,
                                             boolean force) {
        if (live == null) {
            return applied.deepCopy();
        }
        return (ObjectNode) mergePatch(live.deepCopy(), applied);
    }

    // RFC 7386
    private static JsonNode mergePatch(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode t = target != null && target.isObject() ? (ObjectNode) target : com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = patch.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getKey().startsWith("$")) {
                continue;
            }
            if (e.getValue().isNull()) {
                t.remove(e.getKey());
            } else {
                t.set(e.getKey(), mergePatch(t.get(e.getKey()), e.getValue()));
            }
        }
        return t;
    }
}

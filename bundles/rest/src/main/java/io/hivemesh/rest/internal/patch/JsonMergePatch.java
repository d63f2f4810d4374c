package io.hivemesh.rest.internal.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.ApiException;
import java.util.Iterator;
import java.util.Map;

/**
 * JSON merge patch, RFC 7386 (section 2; obsoleted by RFC 7396, same algorithm):
 * an object patch merges member by member, a {@code null} member removes the key, anything else
 * (arrays, scalars, a non-object patch) replaces the target. Used for
 * {@code application/merge-patch+json} (kubectl scale) and for kinds without a strategic schema.
 *
 * <p>The target is never modified; the result shares no nodes with the target or the patch.
 * Targets and patches nested deeper than {@value Nodes#MAX_DEPTH} are refused with 400.
 */
public final class JsonMergePatch {
    private JsonMergePatch() {
    }

    /**
     * Applies {@code patch} to {@code target} (which may be {@code null} for "no document").
     *
     * @throws ApiException 400 if the patch is missing or either document is nested too deeply
     */
    public static JsonNode apply(JsonNode target, JsonNode patch) {
        if (patch == null || patch.isMissingNode()) {
            throw ApiException.badRequest("the merge patch is empty");
        }
        Nodes.checkDepth(patch, "the merge patch");
        if (target != null) {
            Nodes.checkDepth(target, "the patched object");
        }
        return merge(target == null ? null : target.deepCopy(), patch);
    }

    /** Merges into {@code target}, which is already a private copy and may be changed. */
    private static JsonNode merge(JsonNode target, JsonNode patch) {
        if (!patch.isObject()) {
            return patch.deepCopy();
        }
        ObjectNode result = target != null && target.isObject() ? (ObjectNode) target
                : JsonNodeFactory.instance.objectNode();
        Iterator<Map.Entry<String, JsonNode>> it = patch.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            if (e.getValue().isNull()) {
                result.remove(e.getKey());
            } else {
                result.set(e.getKey(), merge(result.get(e.getKey()), e.getValue()));
            }
        }
        return result;
    }
}

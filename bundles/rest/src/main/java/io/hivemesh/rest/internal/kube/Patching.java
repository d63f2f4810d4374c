package io.hivemesh.rest.internal.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.ApiException;
import io.hivemesh.rest.internal.patch.JsonMergePatch;
import io.hivemesh.rest.internal.patch.JsonPatch;
import io.hivemesh.rest.internal.patch.ManagedFields;
import io.hivemesh.rest.internal.patch.ServerSideApply;
import io.hivemesh.rest.internal.patch.StrategicMergePatch;

/**
 * The patch types of PATCH requests, by Content-Type: JSON merge patch, JSON patch, strategic merge
 * patch (merge keys of Pod and Deployment), and server-side apply ({@code application/apply-patch+yaml})
 * with field ownership and conflicts. Inputs are never changed; errors are {@link ApiException}s.
 */
public final class Patching {
    public static final String MERGE = "application/merge-patch+json";
    public static final String JSON_PATCH = "application/json-patch+json";
    public static final String STRATEGIC = "application/strategic-merge-patch+json";
    public static final String APPLY = "application/apply-patch+yaml";
    private static final ServerSideApply SSA = new ServerSideApply(Ownership.SCHEMA);

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
    public static ObjectNode apply(ObjectNode live, JsonNode patch, String type) {
        JsonNode out = switch (type) {
            case MERGE -> JsonMergePatch.apply(live, patch);
            case JSON_PATCH -> JsonPatch.apply(live, patch);
            case STRATEGIC -> StrategicMergePatch.apply(live, patch, Ownership.SCHEMA);
            default -> throw ApiException.unsupportedMediaType("patch type " + type + " is not supported here");
        };
        if (out == null || !out.isObject()) {
            throw ApiException.badRequest("the patch does not leave an object");
        }
        return (ObjectNode) out;
    }

    /** Server-side apply of {@code applied} by {@code manager} over {@code live} (null: create). */
    public static KubeState.Desired serverSideApply(ObjectNode live, JsonNode managed, ObjectNode applied,
                                                    String manager, boolean force) {
        ServerSideApply.Result r = SSA.apply(live, applied, manager, force,
                managed == null ? ManagedFields.empty() : ManagedFields.fromJson(managed));
        return new KubeState.Desired(r.object(), r.managedFields().toJson());
    }
}

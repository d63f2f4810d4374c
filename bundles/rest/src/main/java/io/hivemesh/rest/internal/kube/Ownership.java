package io.hivemesh.rest.internal.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.patch.ManagedFields;
import io.hivemesh.rest.internal.patch.Schema;

/**
 * Field ownership of stored objects: every write records what its manager set
 * ({@link ManagedFields}), so that a later server-side apply finds conflicts with other managers.
 */
final class Ownership {
    static final Schema SCHEMA = Schema.kubernetes();

    private Ownership() {
    }

    /** The ownership after {@code manager} turned {@code before} (null: created) into {@code after}. */
    static JsonNode afterUpdate(JsonNode stored, String manager, KubeKind kind, ObjectNode before, ObjectNode after) {
        ManagedFields owned = stored == null ? ManagedFields.empty() : ManagedFields.fromJson(stored);
        return owned.afterUpdate(manager == null || manager.isBlank() ? "unknown" : manager, kind.apiVersion(),
                before, after, SCHEMA).toJson();
    }
}

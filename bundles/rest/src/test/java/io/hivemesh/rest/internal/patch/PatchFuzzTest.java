package io.hivemesh.rest.internal.patch;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.ApiException;
import io.hivemesh.rest.internal.http.Json;
import java.io.IOException;

/**
 * Jazzer fuzz tests of the patch engines: the input is a request body (JSON text) applied to a fixed
 * Deployment. Oracle: the engine either refuses it with an {@link ApiException} (400, 409 or 422 with a
 * message) or returns a result that serializes and parses back within the API's JSON bounds; in both
 * cases the Deployment, the patch and the stored ownership are unchanged. Any other exception is a
 * finding. Bodies that are not JSON are the parser's business and are skipped. Seed corpora:
 * {@code PatchFuzzTestInputs/<method>/}.
 */
class PatchFuzzTest {
    private static final Schema SCHEMA = Schema.kubernetes();
    private static final ServerSideApply SSA = new ServerSideApply(SCHEMA);

    private static ObjectNode deployment() {
        return StrategicMergePatchTest.deployment();
    }

    @FuzzTest(maxDuration = "30s")
    void jsonMergePatch(byte[] input) {
        check(input, (target, patch) -> JsonMergePatch.apply(target, patch));
    }

    @FuzzTest(maxDuration = "30s")
    void jsonPatch(byte[] input) {
        check(input, (target, patch) -> JsonPatch.apply(target, patch));
    }

    @FuzzTest(maxDuration = "30s")
    void strategicMergePatch(byte[] input) {
        check(input, (target, patch) -> StrategicMergePatch.apply(target, patch, SCHEMA));
    }

    /** Server-side apply by "fuzzer" (without force) over a live Deployment another manager created. */
    @FuzzTest(maxDuration = "30s")
    void serverSideApply(byte[] input) {
        ObjectNode live = deployment();
        ManagedFields owned = ManagedFields.empty().afterUpdate("kubectl-client-side-apply", "apps/v1", null, live, SCHEMA);
        JsonNode ownedBefore = owned.toJson();
        check(input, (target, patch) -> {
            ServerSideApply.Result r = SSA.apply(target, patch, "fuzzer", false, owned);
            if (!ManagedFields.fromJson(r.managedFields().toJson()).equals(r.managedFields())) {
                throw new AssertionError("ownership does not round-trip");
            }
            return r.object();
        });
        if (!owned.toJson().equals(ownedBefore)) {
            throw new AssertionError("the stored ownership changed");
        }
    }

    private interface Engine {
        JsonNode apply(JsonNode target, JsonNode patch);
    }

    private static void check(byte[] input, Engine engine) {
        JsonNode patch;
        try {
            patch = Json.MAPPER.readTree(input);
        } catch (IOException notJson) {
            return;
        }
        if (patch == null) {
            return;
        }
        JsonNode patchBefore = patch.deepCopy();
        ObjectNode target = deployment();
        JsonNode result = null;
        try {
            result = engine.apply(target, patch);
        } catch (ApiException e) {
            if (e.getMessage() == null || e.getMessage().isEmpty()
                    || (e.code() != 400 && e.code() != 409 && e.code() != 422)) {
                throw new AssertionError("unexpected answer " + e.code() + ": " + e.getMessage(), e);
            }
        }
        if (!target.equals(deployment())) {
            throw new AssertionError("the target changed");
        }
        if (!patch.equals(patchBefore)) {
            throw new AssertionError("the patch changed");
        }
        if (result != null) {
            try {
                Json.MAPPER.readTree(Json.bytes(result));
            } catch (IOException e) {
                throw new AssertionError("the result does not parse back: " + e.getMessage(), e);
            }
        }
    }
}

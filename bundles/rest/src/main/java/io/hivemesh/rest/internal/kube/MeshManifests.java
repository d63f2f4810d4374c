package io.hivemesh.rest.internal.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.ApiException;
import io.hivemesh.rest.internal.http.Json;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What the machine plane is given for a stored Pod or Deployment: the manifest without the API's own
 * metadata (uid, resourceVersion, annotations such as kubectl's last-applied configuration) and
 * without the replica count (passed on its own, so that scale is not a manifest change), and the
 * machine plane's refusals turned into 422 {@code Invalid} with the field named.
 */
public final class MeshManifests {
    // "document 1 (Deployment web): spec.template.spec.containers[0].image: is required"
    private static final Pattern FIELD = Pattern.compile("^(?:document \\d+(?: \\([^)]*\\))?: )?([A-Za-z0-9_.\\[\\]/-]+): (.+)$",
            Pattern.DOTALL);

    private MeshManifests() {
    }

    /** The manifest (as JSON text, which is YAML) the machine plane runs for {@code object}. */
    public static String manifest(KubeKind kind, ObjectNode object) {
        ObjectNode m = Json.object();
        m.put("apiVersion", kind.apiVersion()).put("kind", kind.kind());
        ObjectNode md = m.putObject("metadata");
        md.put("name", object.path("metadata").path("name").asText());
        JsonNode labels = object.path("metadata").path("labels");
        if (labels.isObject() && labels.size() > 0) {
            md.set("labels", labels.deepCopy());
        }
        JsonNode spec = object.path("spec");
        ObjectNode s = spec.isObject() ? ((ObjectNode) spec).deepCopy() : Json.object();
        s.remove("nodeName");
        if (kind == KubeKind.DEPLOYMENT) {
            s.remove("replicas");
        }
        m.set("spec", s);
        return new String(Json.bytes(m), StandardCharsets.UTF_8);
    }

    /** The machine plane's refusal as 422 Invalid, the field taken from its message when it names one. */
    public static ApiException invalid(KubeKind kind, String name, String refusal) {
        String field = "";
        String message = refusal;
        Matcher m = FIELD.matcher(refusal == null ? "" : refusal.strip());
        if (m.matches()) {
            field = m.group(1);
            message = m.group(2);
        }
        return ApiException.invalid(kind.group(), kind.kind(), kind.plural(), name,
                List.of(new ApiException.Cause("FieldValueInvalid", message, field)));
    }
}

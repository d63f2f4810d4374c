package io.hivemesh.rest.internal.kube;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The discovery documents kubectl reads before anything else: aggregated discovery (v2) for
 * {@code /api} and {@code /apis} with its exact content type, the legacy forms, {@code /version},
 * and the OpenAPI v3 index and documents that let {@code kubectl apply} validate on the server
 * ({@code fieldValidation}).
 */
public final class Discovery {
    /** The content type kubectl needs to read aggregated discovery (plain JSON reads as legacy). */
    public static final String AGGREGATED = "application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList";
    /** The Kubernetes version reported: kubectl 1.32 is the client these answers follow. */
    public static final String KUBE_MINOR = "32";

    private Discovery() {
    }

    /** Whether the Accept header asks for aggregated discovery v2. */
    public static boolean wantsAggregated(String accept) {
        return accept != null && accept.contains("g=apidiscovery.k8s.io") && accept.contains("v=v2")
                && accept.contains("as=APIGroupDiscoveryList");
    }

    public static ObjectNode version(String agent) {
        ObjectNode v = Json.object();
        v.put("major", "1").put("minor", KUBE_MINOR).put("gitVersion", "v1." + KUBE_MINOR + ".0-" + agent.replace('/', '-'))
                .put("gitCommit", "").put("gitTreeState", "clean").put("buildDate", "")
                .put("goVersion", "java" + System.getProperty("java.version", "")).put("compiler", "javac")
                .put("platform", "linux/" + System.getProperty("os.arch", ""));
        return v;
    }

    /** {@code /api} (core) or {@code /apis} (groups) as aggregated discovery. */
    public static ObjectNode aggregated(boolean core) {
        ObjectNode d = Json.object();
        d.put("kind", "APIGroupDiscoveryList").put("apiVersion", "apidiscovery.k8s.io/v2");
        d.putObject("metadata");
        ArrayNode items = d.putArray("items");
        ObjectNode group = items.addObject();
        ObjectNode gm = group.putObject("metadata");
        gm.put("name", core ? "" : "apps");
        ObjectNode version = group.putArray("versions").addObject();
        version.put("version", "v1").put("freshness", "Current");
        ArrayNode resources = version.putArray("resources");
        for (KubeKind k : KubeKind.values()) {
            if (k.group().isEmpty() != core) {
                continue;
            }
            ObjectNode r = resources.addObject();
            r.put("resource", k.plural());
            r.putObject("responseKind").put("group", k.group()).put("version", k.version()).put("kind", k.kind());
            r.put("scope", k.namespaced() ? "Namespaced" : "Cluster");
            r.put("singularResource", k.singular());
            ArrayNode sn = r.putArray("shortNames");
            k.shortNames().forEach(sn::add);
            if (k == KubeKind.POD || k == KubeKind.DEPLOYMENT) {
                r.putArray("categories").add("all");
            }
            ArrayNode verbs = r.putArray("verbs");
            verbs(k).forEach(verbs::add);
            ArrayNode subs = r.putArray("subresources");
            if (k == KubeKind.POD) {
                ObjectNode log = subs.addObject().put("subresource", "log");
                log.putObject("responseKind").put("group", "").put("version", "v1").put("kind", "Pod");
                log.putArray("verbs").add("get");
                ObjectNode status = subs.addObject().put("subresource", "status");
                status.putObject("responseKind").put("group", "").put("version", "v1").put("kind", "Pod");
                status.putArray("verbs").add("get");
            }
            if (k == KubeKind.DEPLOYMENT) {
                ObjectNode scale = subs.addObject().put("subresource", "scale");
                scale.putObject("responseKind").put("group", "autoscaling").put("version", "v1").put("kind", "Scale");
                scale.putArray("verbs").add("get").add("patch").add("update");
                ObjectNode status = subs.addObject().put("subresource", "status");
                status.putObject("responseKind").put("group", "apps").put("version", "v1").put("kind", "Deployment");
                status.putArray("verbs").add("get");
            }
        }
        return d;
    }

    private static List<String> verbs(KubeKind k) {
        return k.stored() ? List.of("create", "delete", "get", "list", "patch", "update", "watch")
                : List.of("get", "list", "watch");
    }

    /** Legacy {@code /api}: {@code APIVersions}. */
    public static ObjectNode legacyCore() {
        ObjectNode d = Json.object();
        d.put("kind", "APIVersions");
        d.putArray("versions").add("v1");
        d.putArray("serverAddressByClientCIDRs");
        return d;
    }

    /** Legacy {@code /apis}: {@code APIGroupList} with apps/v1. */
    public static ObjectNode legacyGroups() {
        ObjectNode d = Json.object();
        d.put("kind", "APIGroupList").put("apiVersion", "v1");
        d.putArray("groups").add(legacyGroup());
        return d;
    }

    /** {@code /apis/apps}: {@code APIGroup}. */
    public static ObjectNode legacyGroup() {
        ObjectNode g = Json.object();
        g.put("kind", "APIGroup").put("apiVersion", "v1");
        g.put("name", "apps");
        g.putArray("versions").addObject().put("groupVersion", "apps/v1").put("version", "v1");
        g.putObject("preferredVersion").put("groupVersion", "apps/v1").put("version", "v1");
        return g;
    }

    /** {@code /api/v1} or {@code /apis/apps/v1}: {@code APIResourceList}. */
    public static ObjectNode resourceList(String group) {
        ObjectNode d = Json.object();
        d.put("kind", "APIResourceList").put("apiVersion", "v1");
        d.put("groupVersion", group.isEmpty() ? "v1" : group + "/v1");
        ArrayNode rs = d.putArray("resources");
        for (KubeKind k : KubeKind.values()) {
            if (!k.group().equals(group)) {
                continue;
            }
            ObjectNode r = rs.addObject();
            r.put("name", k.plural()).put("singularName", k.singular()).put("namespaced", k.namespaced())
                    .put("kind", k.kind());
            ArrayNode verbs = r.putArray("verbs");
            verbs(k).forEach(verbs::add);
            ArrayNode sn = r.putArray("shortNames");
            k.shortNames().forEach(sn::add);
            if (k == KubeKind.POD) {
                rs.addObject().put("name", "pods/log").put("singularName", "").put("namespaced", true).put("kind", "Pod")
                        .putArray("verbs").add("get");
            }
            if (k == KubeKind.DEPLOYMENT) {
                rs.addObject().put("name", "deployments/scale").put("singularName", "").put("namespaced", true)
                        .put("group", "autoscaling").put("version", "v1").put("kind", "Scale")
                        .putArray("verbs").add("get").add("patch").add("update");
            }
        }
        return d;
    }

    /** {@code /openapi/v3}: where the two group-version documents are, with a content hash. */
    public static ObjectNode openApiIndex() {
        ObjectNode d = Json.object();
        ObjectNode paths = d.putObject("paths");
        paths.putObject("api/v1").put("serverRelativeURL", "/openapi/v3/api/v1?hash=" + hash(openApi("")));
        paths.putObject("apis/apps/v1").put("serverRelativeURL", "/openapi/v3/apis/apps/v1?hash=" + hash(openApi("apps")));
        return d;
    }

    /**
     * The OpenAPI v3 document of a group-version: every served path with its operations, the
     * {@code x-kubernetes-group-version-kind} of each and the {@code fieldValidation} parameter
     * (which tells kubectl to validate on the server). Request bodies are left out on purpose:
     * kubectl then builds strategic merge patches from its own types.
     */
    public static ObjectNode openApi(String group) {
        ObjectNode d = Json.object();
        d.put("openapi", "3.0.0");
        d.putObject("info").put("title", "Hivemesh Kubernetes-compatible API").put("version", "v1." + KUBE_MINOR);
        ObjectNode paths = d.putObject("paths");
        for (KubeKind k : KubeKind.values()) {
            if (!k.group().equals(group)) {
                continue;
            }
            String base = (group.isEmpty() ? "/api/v1" : "/apis/" + group + "/v1")
                    + (k.namespaced() ? "/namespaces/{namespace}/" : "/") + k.plural();
            ObjectNode coll = paths.putObject(base);
            op(coll, "get", k, "list");
            if (k.stored()) {
                op(coll, "post", k, "create");
            }
            ObjectNode item = paths.putObject(base + "/{name}");
            op(item, "get", k, "read");
            if (k.stored()) {
                op(item, "put", k, "replace");
                op(item, "patch", k, "patch");
                op(item, "delete", k, "delete");
            }
        }
        return d;
    }

    private static void op(ObjectNode path, String method, KubeKind k, String action) {
        ObjectNode o = path.putObject(method);
        o.put("operationId", action + k.kind());
        o.putObject("x-kubernetes-group-version-kind").put("group", k.group()).put("version", k.version()).put("kind", k.kind());
        o.put("x-kubernetes-action", action.equals("read") ? "get" : action);
        ArrayNode params = o.putArray("parameters");
        if (!method.equals("get") && !method.equals("delete")) {
            params.addObject().put("name", "fieldValidation").put("in", "query").putObject("schema").put("type", "string");
            params.addObject().put("name", "fieldManager").put("in", "query").putObject("schema").put("type", "string");
            params.addObject().put("name", "dryRun").put("in", "query").putObject("schema").put("type", "string");
        }
        o.putObject("responses").putObject("200").put("description", "OK");
    }

    static String hash(ObjectNode doc) {
        try {
            byte[] d = MessageDigest.getInstance("SHA-256").digest(Json.bytes(doc));
            return HexFormat.of().formatHex(d, 0, 16).toUpperCase();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}

package io.hivemesh.rest.internal.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.ApiException;
import io.hivemesh.rest.internal.http.Caller;
import io.hivemesh.rest.internal.http.Json;
import io.hivemesh.rest.internal.http.Responses;

import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.time.Clock;
import java.util.List;
import java.util.function.Predicate;

/**
 * The verbs on objects: list (plain or as a Table), watch, get, create, replace, patch (every patch
 * type, server-side apply included), delete, and the {@code log}, {@code scale} and {@code status}
 * subresources. A caller acts only in its own tenant's namespace: another namespace is 403.
 */
public final class ObjectApi {
    private final KubeState state;
    private final Watches watches;
    private final PodLogs logs;
    private final Clock clock;

    public ObjectApi(KubeState state, Watches watches, PodLogs logs, Clock clock) {
        this.state = state;
        this.watches = watches;
        this.logs = logs;
        this.clock = clock;
    }

    public void handle(HttpServletRequest req, HttpServletResponse resp, ApiPath path, Caller caller) throws IOException {
        KubeKind kind = path.kind();
        String method = req.getMethod();
        String ns = path.namespace();
        if (kind == KubeKind.NAMESPACE && path.name() != null) {
            authorize(caller, path.name(), kind, "get");
        } else if (ns != null) {
            authorize(caller, ns, kind, verb(method, path));
        } else if (kind.namespaced() && !method.equals("GET")) {
            throw ApiException.methodNotAllowed(method + " needs a namespace: /namespaces/{namespace}/" + kind.plural());
        }
        if ("All".equals(req.getParameter("dryRun"))) {
            throw ApiException.badRequest("dryRun is not supported by this server");
        }
        if (path.sub() != null) {
            subresource(req, resp, path, caller);
            return;
        }
        if (path.collection()) {
            switch (method) {
                case "GET" -> list(req, resp, kind, scope(kind, ns, caller), caller);
                case "POST" -> {
                    if (!kind.stored()) {
                        throw ApiException.methodNotAllowed(kind.plural() + " are views of the mesh and cannot be created");
                    }
                    ObjectNode body = Bodies.object(Bodies.read(req), req.getContentType());
                    KubeState.Written w = state.create(kind, ns, body, manager(req));
                    Responses.json(resp, 201, w.object());
                }
                default -> throw ApiException.methodNotAllowed(method + " is not allowed on " + kind.plural());
            }
            return;
        }
        String name = path.name();
        switch (method) {
            case "GET" -> {
                ObjectNode o = get(kind, ns, name, caller);
                if (wantsTable(req)) {
                    Responses.json(resp, 200, Tables.table(kind, List.of(o), state.resourceVersion(),
                            "Object".equals(req.getParameter("includeObject")), clock.millis()));
                } else {
                    Responses.json(resp, 200, o);
                }
            }
            case "PUT" -> {
                ObjectNode body = Bodies.object(Bodies.read(req), req.getContentType());
                KubeState.Written w = state.update(kind, ns, name, false, manager(req),
                        (live, managed) -> KubeState.Desired.of(body));
                Responses.json(resp, 200, w.object());
            }
            case "PATCH" -> patch(req, resp, kind, ns, name);
            case "DELETE" -> {
                ObjectNode gone = state.delete(kind, ns, name);
                Responses.json(resp, 200, gone);
            }
            default -> throw ApiException.methodNotAllowed(method + " is not allowed on " + kind.plural() + "/" + name);
        }
    }

    private void patch(HttpServletRequest req, HttpServletResponse resp, KubeKind kind, String ns, String name)
            throws IOException {
        String type = Patching.type(req.getContentType());
        byte[] raw = Bodies.read(req);
        if (type.equals(Patching.APPLY)) {
            ObjectNode applied = Bodies.object(raw, type);
            String manager = req.getParameter("fieldManager");
            if (manager == null || manager.isBlank()) {
                throw ApiException.badRequest("PATCH with " + Patching.APPLY + " needs the fieldManager parameter");
            }
            boolean force = "true".equals(req.getParameter("force"));
            KubeState.Written w = state.update(kind, ns, name, true, manager,
                    (live, managed) -> Patching.serverSideApply(live, managed, applied, manager, force));
            Responses.json(resp, w.created() ? 201 : 200, w.object());
            return;
        }
        JsonNode patch = Bodies.parse(raw, type);
        KubeState.Written w = state.update(kind, ns, name, false, manager(req),
                (live, managed) -> KubeState.Desired.of(Patching.apply(live, patch, type)));
        Responses.json(resp, 200, w.object());
    }

    private void subresource(HttpServletRequest req, HttpServletResponse resp, ApiPath path, Caller caller)
            throws IOException {
        KubeKind kind = path.kind();
        String sub = path.sub();
        String method = req.getMethod();
        if (kind == KubeKind.POD && sub.equals("log") && method.equals("GET")) {
            logs.serve(req, resp, path.namespace(), path.name());
            return;
        }
        if (sub.equals("status") && method.equals("GET") && (kind == KubeKind.POD || kind == KubeKind.DEPLOYMENT)) {
            Responses.json(resp, 200, get(kind, path.namespace(), path.name(), caller));
            return;
        }
        if (kind == KubeKind.DEPLOYMENT && sub.equals("scale")) {
            scale(req, resp, path.namespace(), path.name());
            return;
        }
        throw ApiException.methodNotAllowed(method + " is not allowed on " + kind.plural() + "/" + sub);
    }

    private void scale(HttpServletRequest req, HttpServletResponse resp, String ns, String name) throws IOException {
        KubeKind kind = KubeKind.DEPLOYMENT;
        switch (req.getMethod()) {
            case "GET" -> Responses.json(resp, 200, scaleOf(get(kind, ns, name, null)));
            case "PUT", "PATCH" -> {
                byte[] raw = Bodies.read(req);
                boolean put = req.getMethod().equals("PUT");
                JsonNode body = Bodies.parse(raw, put ? "application/json" : req.getContentType());
                KubeState.Written w = state.update(kind, ns, name, false, manager(req), (live, managed) -> {
                    ObjectNode scale = scaleOf(live);
                    if (!body.isObject() && put) {
                        throw ApiException.badRequest("a Scale must be an object");
                    }
                    ObjectNode wanted = put ? (ObjectNode) body : Patching.apply(scale, body,
                            Patching.type(req.getContentType()).equals(Patching.JSON_PATCH) ? Patching.JSON_PATCH : Patching.MERGE);
                    JsonNode r = wanted.path("spec").path("replicas");
                    if (!r.isIntegralNumber() || r.asInt() < 0) {
                        throw ApiException.invalid("autoscaling", "Scale", "deployments", name, List.of(
                                new ApiException.Cause("FieldValueInvalid", "must be a non-negative integer", "spec.replicas")));
                    }
                    String sentRv = wanted.path("metadata").path("resourceVersion").asText("");
                    if (put && !sentRv.isEmpty() && !sentRv.equals(live.path("metadata").path("resourceVersion").asText())) {
                        throw ApiException.conflict("apps", "deployments", name, "Operation cannot be fulfilled on "
                                + "deployments.apps \"" + name + "\": the object has been modified; please apply your "
                                + "changes to the latest version and try again", List.of());
                    }
                    ((ObjectNode) live.with("spec")).put("replicas", r.asInt());
                    ((ObjectNode) live.with("metadata")).remove("resourceVersion");
                    return KubeState.Desired.of(live);
                });
                Responses.json(resp, 200, scaleOf(w.object()));
            }
            default -> throw ApiException.methodNotAllowed(req.getMethod() + " is not allowed on deployments/scale");
        }
    }

    static ObjectNode scaleOf(ObjectNode d) {
        ObjectNode s = Json.object();
        s.put("kind", "Scale").put("apiVersion", "autoscaling/v1");
        ObjectNode md = s.putObject("metadata");
        JsonNode dm = d.path("metadata");
        for (String f : List.of("name", "namespace", "uid", "resourceVersion", "creationTimestamp")) {
            if (dm.has(f)) {
                md.set(f, dm.get(f).deepCopy());
            }
        }
        s.putObject("spec").put("replicas", d.path("spec").path("replicas").asInt(1));
        StringBuilder sel = new StringBuilder();
        d.path("spec").path("selector").path("matchLabels").fields().forEachRemaining(e ->
                sel.append(sel.length() == 0 ? "" : ",").append(e.getKey()).append('=').append(e.getValue().asText()));
        s.putObject("status").put("replicas", d.path("status").path("replicas").asInt(0)).put("selector", sel.toString());
        return s;
    }

    private void list(HttpServletRequest req, HttpServletResponse resp, KubeKind kind, String ns, Caller caller)
            throws IOException {
        Predicate<ObjectNode> filter = Selectors.fields(req.getParameter("fieldSelector"))
                .and(Selectors.labels(req.getParameter("labelSelector")));
        if (kind == KubeKind.NAMESPACE) {
            filter = filter.and(o -> caller.mayActIn(o.path("metadata").path("name").asText()));
        }
        String watch = req.getParameter("watch");
        if ("true".equals(watch) || "1".equals(watch)) {
            watches.start(req, resp, kind, ns, filter);
            return;
        }
        long rv = state.resourceVersion();
        List<ObjectNode> items = state.list(kind, ns).stream().filter(filter).toList();
        if (wantsTable(req)) {
            Responses.json(resp, 200, Tables.table(kind, items, rv, "Object".equals(req.getParameter("includeObject")),
                    clock.millis()));
            return;
        }
        ObjectNode list = Json.object();
        list.put("kind", kind.kind() + "List").put("apiVersion", kind.apiVersion());
        list.putObject("metadata").put("resourceVersion", Long.toString(rv));
        ArrayNode arr = list.putArray("items");
        items.forEach(arr::add);
        Responses.json(resp, 200, list);
    }

    private ObjectNode get(KubeKind kind, String ns, String name, Caller caller) {
        if (kind == KubeKind.NAMESPACE) {
            return state.list(KubeKind.NAMESPACE, null).stream()
                    .filter(o -> o.path("metadata").path("name").asText().equals(name)).findFirst()
                    .orElseGet(() -> MeshViews.namespace(name));
        }
        return state.get(kind, ns, name).orElseThrow(() -> ApiException.notFound(kind.group(), kind.plural(), name));
    }

    /** The namespace a collection request lists: its own, or for a cluster-wide list the caller's tenant. */
    private static String scope(KubeKind kind, String ns, Caller caller) {
        if (!kind.namespaced()) {
            return null;
        }
        return ns != null ? ns : caller.tenant();
    }

    /** The field manager: the {@code fieldManager} parameter, else the client's name from its User-Agent. */
    private static String manager(HttpServletRequest req) {
        String m = req.getParameter("fieldManager");
        if (m != null && !m.isBlank()) {
            if (m.length() > 128) {
                throw ApiException.badRequest("fieldManager is longer than 128 characters");
            }
            return m;
        }
        String agent = req.getHeader("User-Agent");
        if (agent == null || agent.isBlank()) {
            return "unknown";
        }
        String name = agent.split("[/ ]", 2)[0];
        return name.length() > 128 ? name.substring(0, 128) : name;
    }

    private static boolean wantsTable(HttpServletRequest req) {
        String accept = req.getHeader("Accept");
        return accept != null && accept.contains("as=Table") && accept.contains("g=meta.k8s.io");
    }

    private static String verb(String method, ApiPath path) {
        return switch (method) {
            case "GET" -> path.collection() ? "list" : "get";
            case "POST" -> "create";
            case "PUT" -> "update";
            case "PATCH" -> "patch";
            case "DELETE" -> "delete";
            default -> method.toLowerCase();
        };
    }

    private static void authorize(Caller caller, String namespace, KubeKind kind, String verb) {
        if (!caller.mayActIn(namespace)) {
            throw ApiException.forbiddenIn(kind.group(), kind.plural(), namespace, caller.tenant(), verb);
        }
    }
}

package io.hivemesh.rest.internal.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.api.workload.MachinePlane;
import io.hivemesh.api.workload.MachinePlane.Task;
import io.hivemesh.api.workload.WorkloadRejectedException;
import io.hivemesh.rest.internal.http.ApiException;
import io.hivemesh.rest.internal.kube.ObjectStore.Key;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.UUID;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

/**
 * The objects of the Kubernetes-compatible API and their writes: a Pod or Deployment written by a
 * client is validated, handed to the machine plane (tenant = namespace) and only then stored, so a
 * refused object leaves nothing behind. Reads merge the stored objects with the {@link MeshMirror}'s
 * views (pods of Deployments, events, nodes). Writes are serialised by one lock.
 */
public final class KubeState {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final List<String> SERVER_FIELDS = List.of("uid", "resourceVersion", "creationTimestamp",
            "generation", "managedFields", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds");

    private final ObjectStore store;
    private final WatchHub hub;
    private final MachinePlane plane;
    private final MeshMirror mirror;
    private final Clock clock;

    public KubeState(ObjectStore store, WatchHub hub, MachinePlane plane, MeshMirror mirror, Clock clock) {
        this.store = store;
        this.hub = hub;
        this.plane = plane;
        this.mirror = mirror;
        this.clock = clock;
    }

    /** What a write did. */
    public record Written(ObjectNode object, boolean created) {
    }

    /** The object a change wants, with its field ownership when the change computed it (server-side apply). */
    public record Desired(ObjectNode object, JsonNode managedFields) {
        public static Desired of(ObjectNode object) {
            return new Desired(object, null);
        }
    }

    /** A change of a stored object: gets a copy of it (null when absent) and the ownership stored with it. */
    public interface Changer {
        Desired change(ObjectNode live, JsonNode managedFields);
    }

    public long resourceVersion() {
        return store.currentRv();
    }

    public WatchHub hub() {
        return hub;
    }

    public MachinePlane plane() {
        return plane;
    }

    public Optional<ObjectNode> get(KubeKind kind, String namespace, String name) {
        if (kind.stored()) {
            Optional<ObjectNode> o = store.get(new Key(kind, namespace, name));
            if (o.isPresent() || kind != KubeKind.POD) {
                return o;
            }
        }
        return mirror.get(kind, namespace, name);
    }

    /** The objects of {@code kind} in {@code namespace} (all when null), stored ones first. */
    public List<ObjectNode> list(KubeKind kind, String namespace) {
        List<ObjectNode> out = new ArrayList<>();
        if (kind.stored()) {
            out.addAll(store.list(kind, namespace));
        }
        if (kind == KubeKind.NAMESPACE) {
            java.util.TreeSet<String> names = new java.util.TreeSet<>(store.namespaces());
            names.add("default");
            plane.tasks(null).forEach(t -> names.add(t.tenant()));
            names.forEach(n -> out.add(MeshViews.namespace(n)));
            return out;
        }
        out.addAll(mirror.list(kind, namespace));
        return out;
    }

    /** Creates {@code body} (409 if it exists). */
    public Written create(KubeKind kind, String namespace, ObjectNode body, String manager) {
        writable(kind);
        synchronized (this) {
            String name = checkIdentity(kind, namespace, body, null);
            if (store.get(new Key(kind, namespace, name)).isPresent()) {
                throw ApiException.alreadyExists(kind.group(), kind.plural(), name);
            }
            return new Written(write(kind, namespace, name, Optional.empty(), Desired.of(body), manager), true);
        }
    }

    /**
     * Changes an object: {@code change} gets a copy of the stored object (or null when absent and
     * {@code createIfAbsent}) and returns the object wanted; the result is validated and applied.
     */
    public Written update(KubeKind kind, String namespace, String name, boolean createIfAbsent, String manager,
                          Changer change) {
        writable(kind);
        synchronized (this) {
            Optional<ObjectNode> old = store.get(new Key(kind, namespace, name));
            if (old.isEmpty() && !createIfAbsent) {
                if (kind == KubeKind.POD && mirror.get(kind, namespace, name).isPresent()) {
                    throw ApiException.methodNotAllowed("pod \"" + name + "\" is a replica of a deployment: change the deployment");
                }
                throw ApiException.notFound(kind.group(), kind.plural(), name);
            }
            if (old.isPresent() && old.get().path("metadata").has("deletionTimestamp")) {
                throw ApiException.conflict(kind.group(), kind.plural(), name, "object is being deleted: "
                        + kind.plural() + " \"" + name + "\" is being deleted", List.of());
            }
            Desired desired = change.change(old.map(ObjectNode::deepCopy).orElse(null),
                    store.managed(new Key(kind, namespace, name)));
            ObjectNode wanted = desired == null ? null : desired.object();
            if (wanted == null) {
                throw ApiException.badRequest("the change produced no object");
            }
            checkIdentity(kind, namespace, wanted, name);
            String sentRv = wanted.path("metadata").path("resourceVersion").asText("");
            if (old.isPresent() && !sentRv.isEmpty()
                    && !sentRv.equals(old.get().path("metadata").path("resourceVersion").asText())) {
                throw ApiException.conflict(kind.group(), kind.plural(), name, "Operation cannot be fulfilled on "
                        + kind.plural() + (kind.group().isEmpty() ? "" : "." + kind.group()) + " \"" + name
                        + "\": the object has been modified; please apply your changes to the latest version and try again",
                        List.of());
            }
            return new Written(write(kind, namespace, name, old, desired, manager), old.isEmpty());
        }
    }

    /**
     * Deletes an object: the machine plane removes its task (every replica), then the object goes
     * and watchers see DELETED. Returns the object as it was.
     */
    public ObjectNode delete(KubeKind kind, String namespace, String name) {
        writable(kind);
        ObjectNode marked;
        synchronized (this) {
            Key key = new Key(kind, namespace, name);
            Optional<ObjectNode> old = store.get(key);
            if (old.isEmpty()) {
                if (kind == KubeKind.POD && mirror.get(kind, namespace, name).isPresent()) {
                    throw ApiException.methodNotAllowed("pod \"" + name
                            + "\" is a replica of a deployment: scale or delete the deployment");
                }
                throw ApiException.notFound(kind.group(), kind.plural(), name);
            }
            ObjectNode o = old.get();
            ((ObjectNode) o.with("metadata")).put("deletionTimestamp", Times.rfc3339(clock.millis()));
            ((ObjectNode) o.with("metadata")).put("deletionGracePeriodSeconds", 0);
            marked = store.put(key, o);
            publish("MODIFIED", kind, namespace, name, marked);
            finishDelete(kind, namespace, name);
        }
        mirror.refresh();
        return marked;
    }

    /** Completes deletions left marked (after a crash between marking and removing). */
    public synchronized void finishPendingDeletes() {
        for (KubeKind kind : List.of(KubeKind.POD, KubeKind.DEPLOYMENT)) {
            for (ObjectNode o : store.list(kind, null)) {
                if (o.path("metadata").has("deletionTimestamp")) {
                    finishDelete(kind, o.path("metadata").path("namespace").asText(), o.path("metadata").path("name").asText());
                }
            }
        }
    }

    private void finishDelete(KubeKind kind, String namespace, String name) {
        if (plane.task(namespace, name).isPresent()) {
            try {
                plane.delete(namespace, name);
            } catch (WorkloadRejectedException e) {
                // gone meanwhile: nothing to remove
            }
        }
        Key key = new Key(kind, namespace, name);
        Optional<ObjectNode> last = store.get(key);
        if (store.remove(key)) {
            ObjectNode o = last.orElseThrow();
            ((ObjectNode) o.with("metadata")).put("resourceVersion", Long.toString(store.nextRv()));
            publish("DELETED", kind, namespace, name, o);
        }
    }

    /** Records a status (or other server-side change) of a stored object without a generation change. */
    synchronized void putStatus(KubeKind kind, String namespace, String name, UnaryOperator<ObjectNode> change) {
        Key key = new Key(kind, namespace, name);
        Optional<ObjectNode> old = store.get(key);
        if (old.isEmpty()) {
            return;
        }
        ObjectNode changed = change.apply(old.get().deepCopy());
        ObjectNode a = changed.deepCopy();
        ObjectNode b = old.get().deepCopy();
        ((ObjectNode) a.with("metadata")).remove("resourceVersion");
        ((ObjectNode) b.with("metadata")).remove("resourceVersion");
        if (a.equals(b)) {
            return;
        }
        ObjectNode stored = store.put(key, changed);
        publish("MODIFIED", kind, namespace, name, stored);
    }

    /** Applies a stored object to the machine plane again (its task went missing). */
    synchronized void reapply(KubeKind kind, String namespace, String name) {
        Optional<ObjectNode> o = store.get(new Key(kind, namespace, name));
        if (o.isPresent() && !o.get().path("metadata").has("deletionTimestamp") && plane.task(namespace, name).isEmpty()) {
            plane.apply(namespace, MeshManifests.manifest(kind, o.get()), replicas(kind, o.get()));
        }
    }

    private ObjectNode write(KubeKind kind, String namespace, String name, Optional<ObjectNode> old, Desired desired,
                             String manager) {
        ObjectNode wanted = desired.object();
        KubeKind other = kind == KubeKind.POD ? KubeKind.DEPLOYMENT : KubeKind.POD;
        if (old.isEmpty() && store.get(new Key(other, namespace, name)).isPresent()) {
            throw ApiException.conflict(kind.group(), kind.plural(), name, "a " + other.singular() + " named \"" + name
                    + "\" exists in namespace \"" + namespace + "\": pods and deployments share one name space in the mesh",
                    List.of(new ApiException.Cause("FieldValueDuplicate", "name taken by a " + other.singular(),
                            "metadata.name")));
        }
        ObjectNode o = wanted.deepCopy();
        o.put("apiVersion", kind.apiVersion());
        o.put("kind", kind.kind());
        ObjectNode md = (ObjectNode) o.with("metadata");
        SERVER_FIELDS.forEach(md::remove);
        md.put("name", name);
        md.put("namespace", namespace);
        long now = clock.millis();
        if (old.isPresent()) {
            JsonNode om = old.get().path("metadata");
            md.put("uid", om.path("uid").asText());
            md.put("creationTimestamp", om.path("creationTimestamp").asText());
            long gen = om.path("generation").asLong(1);
            boolean specChanged = !old.get().path("spec").equals(o.path("spec"));
            md.put("generation", specChanged ? gen + 1 : gen);
            if (old.get().has("status") && !o.has("status")) {
                o.set("status", old.get().get("status").deepCopy());
            }
        } else {
            md.put("uid", UUID.randomUUID().toString());
            md.put("creationTimestamp", Times.rfc3339(now));
            md.put("generation", 1);
            o.remove("status");
        }
        if (kind == KubeKind.DEPLOYMENT) {
            JsonNode r = o.path("spec").path("replicas");
            if (r.isMissingNode() || r.isNull()) {
                ((ObjectNode) o.with("spec")).put("replicas", 1);
            } else if (!r.isIntegralNumber() || r.asInt() < 0 || r.asInt() > 1000) {
                throw ApiException.invalid(kind.group(), kind.kind(), kind.plural(), name, List.of(
                        new ApiException.Cause("FieldValueInvalid", "must be an integer from 0 to 1000", "spec.replicas")));
            }
            checkSelector(name, o);
        }
        try {
            plane.apply(namespace, MeshManifests.manifest(kind, o), replicas(kind, o));
        } catch (WorkloadRejectedException e) {
            throw MeshManifests.invalid(kind, name, e.getMessage());
        }
        JsonNode managed = desired.managedFields() != null ? desired.managedFields()
                : Ownership.afterUpdate(store.managed(new Key(kind, namespace, name)), manager, kind,
                old.orElse(null), o);
        ObjectNode stored = store.put(new Key(kind, namespace, name), o, managed);
        publish(old.isPresent() ? "MODIFIED" : "ADDED", kind, namespace, name, stored);
        mirror.refresh();
        return store.get(new Key(kind, namespace, name)).orElse(stored);
    }

    private static void checkSelector(String name, ObjectNode deployment) {
        JsonNode selector = deployment.path("spec").path("selector");
        JsonNode labels = deployment.path("spec").path("template").path("metadata").path("labels");
        JsonNode match = selector.path("matchLabels");
        List<ApiException.Cause> causes = new ArrayList<>();
        if (!selector.isObject() || !match.isObject() || match.size() == 0) {
            causes.add(new ApiException.Cause("FieldValueRequired", "Required value", "spec.selector"));
        } else if (!MeshViews.matches(match, labels)) {
            causes.add(new ApiException.Cause("FieldValueInvalid", "Invalid value: `selector` does not match template `labels`",
                    "spec.template.metadata.labels"));
        }
        if (selector.has("matchExpressions")) {
            causes.add(new ApiException.Cause("FieldValueNotSupported", "matchExpressions are not supported (use matchLabels)",
                    "spec.selector.matchExpressions"));
        }
        if (!causes.isEmpty()) {
            throw ApiException.invalid("apps", "Deployment", "deployments", name, causes);
        }
    }

    static OptionalInt replicas(KubeKind kind, ObjectNode o) {
        return kind == KubeKind.DEPLOYMENT ? OptionalInt.of(MeshViews.specReplicas(o)) : OptionalInt.of(1);
    }

    private static String checkIdentity(KubeKind kind, String namespace, ObjectNode body, String pathName) {
        String apiVersion = body.path("apiVersion").asText("");
        String k = body.path("kind").asText("");
        if (!apiVersion.isEmpty() && !apiVersion.equals(kind.apiVersion()) || !k.isEmpty() && !k.equals(kind.kind())) {
            throw ApiException.badRequest("the body is a " + (k.isEmpty() ? "?" : k) + " of " + (apiVersion.isEmpty() ? "?" : apiVersion)
                    + ", this path takes a " + kind.kind() + " of " + kind.apiVersion());
        }
        JsonNode md = body.path("metadata");
        if (!md.isMissingNode() && !md.isObject()) {
            throw ApiException.badRequest("metadata must be an object");
        }
        String name = md.path("name").asText("");
        if (name.isEmpty() && pathName != null) {
            name = pathName;
            ((ObjectNode) body.with("metadata")).put("name", name);
        }
        if (name.isEmpty()) {
            throw ApiException.invalid(kind.group(), kind.kind(), kind.plural(), "", List.of(new ApiException.Cause(
                    "FieldValueRequired", "name or generateName is required", "metadata.name")));
        }
        if (pathName != null && !name.equals(pathName)) {
            throw ApiException.badRequest("the name of the object (" + name + ") does not match the name on the URL (" + pathName + ")");
        }
        if (!DNS_LABEL.matcher(name).matches()) {
            throw ApiException.invalid(kind.group(), kind.kind(), kind.plural(), name, List.of(new ApiException.Cause(
                    "FieldValueInvalid", "Invalid value: \"" + name + "\": a lowercase RFC 1123 label must consist of lower case "
                    + "alphanumeric characters or '-', start and end with an alphanumeric character, at most 63", "metadata.name")));
        }
        String ns = md.path("namespace").asText("");
        if (!ns.isEmpty() && !ns.equals(namespace)) {
            throw ApiException.badRequest("the namespace of the provided object (" + ns
                    + ") does not match the namespace sent on the request (" + namespace + ")");
        }
        return name;
    }

    private static void writable(KubeKind kind) {
        if (!kind.stored()) {
            throw ApiException.methodNotAllowed(kind.plural() + " are views of the mesh and cannot be written");
        }
    }

    void publish(String type, KubeKind kind, String namespace, String name, ObjectNode object) {
        long rv = Long.parseLong(object.path("metadata").path("resourceVersion").asText("0"));
        hub.publish(new WatchHub.Change(rv, type, kind, namespace, name, object));
    }

    /** The task behind a stored object, if the machine plane has it. */
    Optional<Task> task(String namespace, String name) {
        return plane.task(namespace, name);
    }

    ObjectStore store() {
        return store;
    }
}

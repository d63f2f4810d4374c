package io.hivemesh.rest.internal.patch;

import static io.hivemesh.rest.internal.patch.TestJson.F;
import static io.hivemesh.rest.internal.patch.TestJson.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.ApiException;
import io.hivemesh.rest.internal.http.Json;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

class ServerSideApplyTest {
    private static final Schema SCHEMA = Schema.kubernetes();
    private static final ServerSideApply SSA = new ServerSideApply(SCHEMA);
    private static final String LAST = "kubectl.kubernetes.io/last-applied-configuration";

    /** The manifest as kubectl sends it; {@code replicas} and the nginx image vary. */
    static ObjectNode manifest(int replicas, String image) {
        return TestJson.o("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'default',"
                + "'labels':{'app':'web'}},'spec':{'replicas':" + replicas + ",'selector':{'matchLabels':{'app':'web'}},"
                + "'template':{'metadata':{'labels':{'app':'web'}},'spec':{'containers':[{'name':'nginx','image':'"
                + image + "','ports':[{'containerPort':80}]}]}}}}");
    }

    private static FieldPath path(String... fields) {
        FieldPath p = FieldPath.ROOT;
        for (String f : fields) {
            p = p.field(f);
        }
        return p;
    }

    private static final FieldPath REPLICAS = path("spec", "replicas");
    private static final FieldPath NGINX = path("spec", "template", "spec", "containers").key("name", F.textNode("nginx"));

    @Test
    void createOwnsEveryFieldItSets() {
        ServerSideApply.Result r = SSA.apply(null, manifest(2, "nginx:1.27"), "kubectl", false, null);
        assertTrue(r.created());
        assertEquals(manifest(2, "nginx:1.27"), r.object());
        ManagedFields.Entry e = r.managedFields().entry("kubectl", ManagedFields.APPLY);
        assertEquals("apps/v1", e.apiVersion());
        assertTrue(e.fields().contains(REPLICAS));
        assertTrue(e.fields().contains(NGINX));
        assertTrue(e.fields().contains(NGINX.field("image")));
        assertTrue(e.fields().contains(NGINX.field("ports").key("containerPort", F.numberNode(80)).field("containerPort")));
        assertFalse(e.fields().contains(path("metadata", "name")), "identity fields are nobody's");
        assertFalse(e.fields().contains(path("kind")));
        assertEquals(".spec.template.spec.containers[name=\"nginx\"].ports[containerPort=80].containerPort",
                NGINX.field("ports").key("containerPort", F.numberNode(80)).field("containerPort").toString());
    }

    @Test
    void mergesIntoTheLiveObjectAndKeepsWhatOthersSet() {
        ObjectNode live = manifest(2, "nginx:1.27");
        live.with("metadata").put("uid", "u1").put("resourceVersion", "7");
        live.with("status").put("replicas", 2);
        ((ArrayNode) live.at("/spec/template/spec/containers")).addObject().put("name", "mesh").put("image", "proxy");
        ((ObjectNode) live.at("/spec/template/spec/containers/0")).put("imagePullPolicy", "IfNotPresent");
        ObjectNode liveBefore = live.deepCopy();
        ObjectNode applied = manifest(2, "nginx:1.28");
        ServerSideApply.Result r = SSA.apply(live, applied, "kubectl", false, null);
        assertFalse(r.created());
        assertEquals(liveBefore, live, "the live object is never changed");
        assertEquals(manifest(2, "nginx:1.28"), applied, "the configuration is never changed");
        assertEquals("nginx:1.28", r.object().at("/spec/template/spec/containers/0/image").asText());
        assertEquals("IfNotPresent", r.object().at("/spec/template/spec/containers/0/imagePullPolicy").asText());
        assertEquals("mesh", r.object().at("/spec/template/spec/containers/1/name").asText());
        assertEquals("u1", r.object().at("/metadata/uid").asText());
        assertEquals(2, r.object().at("/status/replicas").asInt());
    }

    @Test
    void aChangedFieldOwnedByAnotherManagerIsAConflict() {
        ObjectNode live = manifest(2, "nginx:1.27");
        ManagedFields owned = ManagedFields.empty().afterUpdate("kubectl-client-side-apply", "apps/v1", null, live, SCHEMA);
        ManagedFields ownedBefore = ManagedFields.fromJson(owned.toJson());
        ApiException e = assertThrows(ApiException.class,
                () -> SSA.apply(live, manifest(3, "nginx:1.27"), "kubectl", false, owned));
        assertEquals(409, e.code());
        assertEquals("Conflict", e.reason());
        assertEquals("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas",
                e.getMessage());
        assertEquals(List.of(new ApiException.Cause("FieldManagerConflict",
                "conflict with \"kubectl-client-side-apply\" using apps/v1", ".spec.replicas")), e.causes());
        assertEquals("web", e.name());
        assertEquals("apps", e.group());
        assertEquals("deployments", e.kind());
        assertEquals(manifest(2, "nginx:1.27"), live);
        assertEquals(ownedBefore, owned);

        ApiException two = assertThrows(ApiException.class,
                () -> SSA.apply(live, manifest(3, "nginx:1.28"), "kubectl", false, owned));
        assertEquals("Apply failed with 2 conflicts: conflicts with \"kubectl-client-side-apply\" using apps/v1:\n"
                + "- .spec.replicas\n- .spec.template.spec.containers[name=\"nginx\"].image", two.getMessage());
        assertEquals(2, two.causes().size());
    }

    @Test
    void turningAnotherManagersValueIntoAMapIsAConflict() {
        ObjectNode a = TestJson.o("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'x':[1]}}");
        ServerSideApply.Result r = SSA.apply(null, a, "a", false, null);
        ObjectNode b = TestJson.o("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'},'spec':{'x':{'y':1}}}");
        ApiException e = assertThrows(ApiException.class, () -> SSA.apply(r.object(), b, "b", false, r.managedFields()));
        assertEquals("Apply failed with 1 conflict: conflict with \"a\" using apps/v1: .spec.x", e.getMessage());
        ServerSideApply.Result forced = SSA.apply(r.object(), b, "b", true, r.managedFields());
        assertEquals(j("{'y':1}"), forced.object().at("/spec/x"));
        assertNull(forced.managedFields().entry("a", ManagedFields.APPLY));
    }

    @Test
    void theSameValueSharesTheField() {
        ObjectNode live = manifest(2, "nginx:1.27");
        ManagedFields owned = ManagedFields.empty().afterUpdate("kubectl-client-side-apply", "apps/v1", null, live, SCHEMA);
        ServerSideApply.Result r = SSA.apply(live, manifest(2, "nginx:1.27"), "kubectl", false, owned);
        assertEquals(live, r.object());
        assertEquals(List.of("kubectl-client-side-apply", "kubectl"), r.managedFields().owners(REPLICAS));
    }

    @Test
    void forceTakesTheFieldOver() {
        ObjectNode live = manifest(2, "nginx:1.27");
        ManagedFields owned = ManagedFields.empty().afterUpdate("kubectl-client-side-apply", "apps/v1", null, live, SCHEMA);
        ServerSideApply.Result r = SSA.apply(live, manifest(3, "nginx:1.27"), "kubectl", true, owned);
        assertEquals(3, r.object().at("/spec/replicas").asInt());
        assertEquals(List.of(new ServerSideApply.Conflict("kubectl-client-side-apply", "apps/v1", REPLICAS)), r.overridden());
        assertEquals(List.of("kubectl"), r.managedFields().owners(REPLICAS));
        assertEquals(List.of("kubectl-client-side-apply", "kubectl"), r.managedFields().owners(NGINX.field("image")));
    }

    @Test
    void theLastAppliedApplySetsOnlyTheAnnotation() {
        // Created by client-side apply, then `kubectl apply --server-side`, then its second request.
        ObjectNode live = manifest(2, "nginx:1.27");
        live.with("metadata").with("annotations").put(LAST, "{\"old\":true}");
        ManagedFields owned = ManagedFields.empty().afterUpdate("kubectl-client-side-apply", "apps/v1", null, live, SCHEMA);
        ServerSideApply.Result first = SSA.apply(live, manifest(2, "nginx:1.27"), "kubectl", false, owned);
        ObjectNode second = TestJson.o("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web',"
                + "'namespace':'default','annotations':{}}}");
        second.with("metadata").with("annotations").put(LAST, "{\"new\":true}");
        ServerSideApply.Result r = SSA.apply(first.object(), second, "kubectl-last-applied", false, first.managedFields());
        ObjectNode expected = first.object().deepCopy();
        expected.with("metadata").with("annotations").put(LAST, "{\"new\":true}");
        assertEquals(expected, r.object());
        assertEquals(first.object().get("spec"), r.object().get("spec"));
        // And again (now it owns the annotation and nothing else): still only the annotation.
        second.with("metadata").with("annotations").put(LAST, "{\"newer\":true}");
        ServerSideApply.Result again = SSA.apply(r.object(), second, "kubectl-last-applied", false, r.managedFields());
        assertEquals(first.object().get("spec"), again.object().get("spec"));
        assertEquals("{\"newer\":true}", again.object().at("/metadata/annotations").get(LAST).asText());
    }

    @Test
    void fieldsNoLongerAppliedAreRemovedUnlessSomeoneElseOwnsThem() {
        ObjectNode v1 = manifest(2, "nginx:1.27");
        v1.with("metadata").with("labels").put("tier", "front").put("team", "a");
        ((ArrayNode) v1.at("/spec/template/spec/containers")).addObject().put("name", "sidecar").put("image", "busybox");
        ServerSideApply.Result r1 = SSA.apply(null, v1, "kubectl", false, null);
        // Another manager shares the "team" label.
        ObjectNode other = TestJson.o("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web',"
                + "'labels':{'team':'a'}}}");
        ServerSideApply.Result r2 = SSA.apply(r1.object(), other, "labeller", false, r1.managedFields());
        // The next manifest drops the sidecar and both labels.
        ServerSideApply.Result r3 = SSA.apply(r2.object(), manifest(2, "nginx:1.27"), "kubectl", false, r2.managedFields());
        JsonNode o = r3.object();
        assertEquals(1, o.at("/spec/template/spec/containers").size());
        assertEquals(j("{'app':'web','team':'a'}"), o.at("/metadata/labels"));
        // When the labeller stops applying it too, the label goes, and so does the empty map it leaves.
        ObjectNode nothing = TestJson.o("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'}}");
        ServerSideApply.Result r4 = SSA.apply(o, nothing, "labeller", false, r3.managedFields());
        assertEquals(j("{'app':'web'}"), r4.object().at("/metadata/labels"));
        assertNull(r4.managedFields().entry("labeller", ManagedFields.APPLY));
        // Fields nobody ever owned (set by the server) stay.
        ObjectNode live = r4.object().deepCopy();
        ((ObjectNode) live.at("/spec/template/spec/containers/0")).put("terminationMessagePath", "/dev/x");
        ObjectNode m = manifest(2, "nginx:1.27");
        ((ObjectNode) m.at("/spec/template/spec/containers/0")).remove("ports");
        ServerSideApply.Result r5 = SSA.apply(live, m, "kubectl", false, r4.managedFields());
        assertEquals(j("{'name':'nginx','image':'nginx:1.27','terminationMessagePath':'/dev/x'}"),
                r5.object().at("/spec/template/spec/containers/0"));
    }

    @Test
    void anUpdateTakesOwnershipFromAppliers() {
        ServerSideApply.Result r = SSA.apply(null, manifest(2, "nginx:1.27"), "kubectl", false, null);
        JsonNode scaled = JsonMergePatch.apply(r.object(), j("{'spec':{'replicas':5}}"));
        ManagedFields owned = r.managedFields().afterUpdate("kubectl-scale", "apps/v1", r.object(), scaled, SCHEMA);
        assertEquals(List.of("kubectl-scale"), owned.owners(REPLICAS));
        ApiException e = assertThrows(ApiException.class,
                () -> SSA.apply(scaled, manifest(2, "nginx:1.27"), "kubectl", false, owned));
        assertEquals("Apply failed with 1 conflict: conflict with \"kubectl-scale\" using apps/v1: .spec.replicas",
                e.getMessage());
        // Removing a field by update drops it from every owner.
        JsonNode noLabels = JsonMergePatch.apply(scaled, j("{'metadata':{'labels':null}}"));
        ManagedFields after = owned.afterUpdate("editor", "apps/v1", scaled, noLabels, SCHEMA);
        assertTrue(after.owners(path("metadata", "labels", "app")).isEmpty());
    }

    @Test
    void malformedApplyConfigurations() {
        ObjectNode live = manifest(2, "a");
        String[][] cases = {
            {"{'kind':'Deployment','metadata':{'name':'web'}}", "the apply configuration must set \"apiVersion\""},
            {"{'apiVersion':'apps/v1','metadata':{'name':'web'}}", "the apply configuration must set \"kind\""},
            {"{'apiVersion':'v1','kind':'Pod','metadata':{'name':'web'}}", "the apply configuration is a Pod, the object a Deployment"},
            {"{'apiVersion':'apps/v1','kind':'Deployment','spec':{'$patch':'replace'}}",
                ".spec.$patch: patch directives are not allowed in an apply configuration"},
            {"{'apiVersion':'apps/v1','kind':'Deployment','spec':{'template':{'spec':{'containers':[{'image':'x'}]}}}}",
                ".spec.template.spec.containers[0]: an element of a list merged by \"name\" must be an object with a value for \"name\""},
            {"{'apiVersion':'apps/v1','kind':'Deployment','spec':{'template':{'spec':{'containers':[{'name':'a'},{'name':'a'}]}}}}",
                ".spec.template.spec.containers[1]: duplicate entry for .spec.template.spec.containers[name=\"a\"]"},
        };
        for (String[] c : cases) {
            ApiException e = assertThrows(ApiException.class, () -> SSA.apply(live, j(c[0]), "kubectl", false, null), c[0]);
            assertEquals(400, e.code(), c[0]);
            assertEquals(c[1], e.getMessage());
        }
        assertEquals(400, assertThrows(ApiException.class, () -> SSA.apply(live, manifest(1, "a"), "", false, null)).code());
        assertEquals(400, assertThrows(ApiException.class, () -> SSA.apply(live, j("[1]"), "m", false, null)).code());
        assertEquals(400, assertThrows(ApiException.class,
                () -> SSA.apply(live, TestJson.nested(101).put("apiVersion", "v1").put("kind", "Pod"), "m", false, null)).code());
    }

    @Test
    void ownershipRoundTripsThroughJson() throws Exception {
        ServerSideApply.Result r = SSA.apply(null, manifest(2, "nginx:1.27"), "kubectl", false, null);
        ManagedFields owned = r.managedFields().afterUpdate("x", "apps/v1", r.object(),
                JsonMergePatch.apply(r.object(), j("{'metadata':{'annotations':{'a.b/c':'d'}}}")), SCHEMA);
        JsonNode stored = Json.MAPPER.readTree(Json.bytes(owned.toJson()));
        assertEquals(owned, ManagedFields.fromJson(stored));
        assertTrue(stored.toString().contains("[\"metadata\",\"annotations\",\"a.b/c\"]"), stored.toString());
        for (String bad : new String[] {"{}", "[1]", "[{'manager':'m','operation':'Apply','apiVersion':'v1'}]",
                "[{'manager':'m','operation':'Patch','apiVersion':'v1','fields':[]}]",
                "[{'manager':'m','operation':'Apply','apiVersion':'v1','fields':[[1]]}]",
                "[{'manager':'m','operation':'Apply','apiVersion':'v1','fields':[]},"
                        + "{'manager':'m','operation':'Apply','apiVersion':'v1','fields':[]}]"}) {
            assertThrows(IllegalArgumentException.class, () -> ManagedFields.fromJson(j(bad)), bad);
        }
        assertEquals(ManagedFields.empty(), ManagedFields.fromJson(null));
    }

    // ---- properties -------------------------------------------------------------------------------

    record Step(String manager, ObjectNode config, boolean force) {
    }

    /**
     * Oracle over random sequences of applies by three managers: a failed apply is a 409 listing at
     * least one conflict and changes nothing; a successful one leaves every field of the configuration
     * at its applied value, and the manager owns exactly the fields it applied.
     */
    @Property(tries = 300)
    void appliedFieldsHoldTheirValues(@ForAll("steps") List<Step> steps) {
        JsonNode live = null;
        ManagedFields owned = ManagedFields.empty();
        for (Step s : steps) {
            JsonNode liveBefore = live == null ? null : live.deepCopy();
            ObjectNode configBefore = s.config().deepCopy();
            ServerSideApply.Result r;
            try {
                r = SSA.apply(live, s.config(), s.manager(), s.force(), owned);
            } catch (ApiException e) {
                assertEquals(409, e.code(), e.getMessage());
                assertFalse(s.force());
                assertFalse(e.causes().isEmpty());
                assertEquals(liveBefore, live);
                continue;
            } catch (RuntimeException e) {
                fail("not an ApiException: " + e, e);
                return;
            }
            assertEquals(configBefore, s.config());
            AppliedFields applied = AppliedFields.of(s.config(), SCHEMA.typeOf(s.config()).orElseThrow(), true);
            for (Map.Entry<FieldPath, JsonNode> leaf : applied.leaves().entrySet()) {
                JsonNode actual = leaf.getKey().find(r.object());
                if (leaf.getValue().isObject()) {
                    assertTrue(actual != null && actual.isObject(), leaf.getKey().toString());
                } else {
                    assertTrue(Nodes.equal(leaf.getValue(), actual), leaf.getKey() + ": " + actual + " != " + leaf.getValue());
                }
            }
            for (FieldPath element : applied.elements()) {
                assertTrue(element.find(r.object()) != null, element.toString());
            }
            assertEquals(applied.all().isEmpty() ? null : applied.all(),
                    r.managedFields().entry(s.manager(), ManagedFields.APPLY) == null ? null
                            : r.managedFields().entry(s.manager(), ManagedFields.APPLY).fields());
            assertEquals(r.managedFields(), ManagedFields.fromJson(r.managedFields().toJson()));
            for (ManagedFields.Entry e : r.managedFields().entries()) {
                for (FieldPath p : e.fields()) {
                    assertTrue(p.find(r.object()) != null, e.manager() + " owns " + p + ", which is gone");
                }
            }
            live = r.object();
            owned = r.managedFields();
        }
    }

    @Provide
    Arbitrary<List<Step>> steps() {
        Arbitrary<ObjectNode> containers = Arbitraries.maps(Arbitraries.of("x", "y", "z"),
                TestJson.objects(1, true)).ofMaxSize(3).map(m -> {
                    ObjectNode spec = F.objectNode();
                    ArrayNode l = spec.putArray("containers");
                    m.forEach((name, c) -> l.add(c.deepCopy().put("name", name)));
                    return spec;
                });
        Arbitrary<ObjectNode> configs = Combinators.combine(TestJson.objects(2, true), containers).as((spec, pod) -> {
            ObjectNode c = TestJson.o("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'w'}}");
            ObjectNode s = spec.deepCopy();
            s.set("template", F.objectNode().set("spec", pod));
            c.set("spec", s);
            return c;
        });
        return Combinators.combine(Arbitraries.of("a", "b", "c"), configs, Arbitraries.of(true, false))
                .as(Step::new).list().ofMinSize(1).ofMaxSize(5);
    }
}

package io.hivemesh.rest.internal.patch;

import static io.hivemesh.rest.internal.patch.TestJson.F;
import static io.hivemesh.rest.internal.patch.TestJson.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.ApiException;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

class StrategicMergePatchTest {
    private static final Schema SCHEMA = Schema.kubernetes();

    static ObjectNode deployment() {
        return TestJson.o("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web','namespace':'default',"
                + "'labels':{'app':'web'},'annotations':{'kubectl.kubernetes.io/last-applied-configuration':'old'}},"
                + "'spec':{'replicas':2,'selector':{'matchLabels':{'app':'web'}},"
                + "'strategy':{'type':'RollingUpdate','rollingUpdate':{'maxSurge':1}},"
                + "'template':{'metadata':{'labels':{'app':'web'}},'spec':{"
                + "'containers':[{'name':'nginx','image':'nginx:1.27','ports':[{'containerPort':80,'name':'http'}],"
                + "'env':[{'name':'A','value':'1'},{'name':'B','value':'2'}],"
                + "'volumeMounts':[{'mountPath':'/data','name':'data'}]},"
                + "{'name':'sidecar','image':'busybox'}],"
                + "'volumes':[{'name':'data','emptyDir':{}}],"
                + "'tolerations':[{'key':'a','operator':'Exists'},{'key':'b','operator':'Exists'}]}}}}");
    }

    private static JsonNode smp(JsonNode target, String patch) {
        JsonNode before = target.deepCopy();
        JsonNode r = StrategicMergePatch.apply(target, j(patch), SCHEMA);
        assertEquals(before, target, "the target is never changed");
        return r;
    }

    /** The patch kubectl 1.32's client-side apply sends (kubectl-api.md, "apply (client-side)"). */
    @Test
    void kubectlClientSideApplyPatch() {
        JsonNode r = smp(deployment(), "{'metadata':{'annotations':{'kubectl.kubernetes.io/last-applied-configuration':"
                + "'new'},'labels':null},'spec':{'template':{'spec':{'$setElementOrder/containers':[{'name':'nginx'}],"
                + "'containers':[{'name':'nginx','image':'nginx:1.28','ports':null},{'$patch':'delete','name':'sidecar'}]}}}}");
        ObjectNode expected = deployment();
        ((ObjectNode) expected.get("metadata")).remove("labels");
        expected.with("metadata").with("annotations").put("kubectl.kubernetes.io/last-applied-configuration", "new");
        ArrayNode containers = (ArrayNode) expected.at("/spec/template/spec/containers");
        containers.remove(1);
        ((ObjectNode) containers.get(0)).put("image", "nginx:1.28").remove("ports");
        assertEquals(expected, r);
    }

    @Test
    void mergeKeyListsMergeElementByElement() {
        JsonNode r = smp(deployment(), "{'spec':{'template':{'spec':{'containers':[{'name':'nginx',"
                + "'env':[{'name':'B','value':'3'},{'name':'C','value':'4'}],"
                + "'ports':[{'containerPort':80,'protocol':'TCP'},{'containerPort':443}],"
                + "'volumeMounts':[{'mountPath':'/data','readOnly':true}]},{'name':'log','image':'tail'}],"
                + "'volumes':[{'name':'cache','emptyDir':{}}]}}}}");
        JsonNode nginx = r.at("/spec/template/spec/containers/0");
        assertEquals(j("[{'name':'A','value':'1'},{'name':'B','value':'3'},{'name':'C','value':'4'}]"), nginx.get("env"));
        assertEquals(j("[{'containerPort':80,'name':'http','protocol':'TCP'},{'containerPort':443}]"), nginx.get("ports"));
        assertEquals(j("[{'mountPath':'/data','name':'data','readOnly':true}]"), nginx.get("volumeMounts"));
        assertEquals("nginx:1.27", nginx.get("image").asText());
        assertEquals(j("['nginx','sidecar','log']"), names(r.at("/spec/template/spec/containers")));
        assertEquals(j("['data','cache']"), names(r.at("/spec/template/spec/volumes")));
    }

    private static JsonNode names(JsonNode list) {
        ArrayNode a = F.arrayNode();
        list.forEach(e -> a.add(e.get("name")));
        return a;
    }

    @Test
    void listsWithoutAStrategyAreReplaced() {
        JsonNode r = smp(deployment(), "{'spec':{'template':{'spec':{'tolerations':[{'key':'c'}]}}}}");
        assertEquals(j("[{'key':'c'}]"), r.at("/spec/template/spec/tolerations"));
        JsonNode args = smp(TestJson.o("{'apiVersion':'v1','kind':'Pod','spec':{'containers':[{'name':'a','args':['x','y']}]}}"),
                "{'spec':{'containers':[{'name':'a','args':['z']}]}}");
        assertEquals(j("['z']"), args.at("/spec/containers/0/args"));
    }

    @Test
    void podsAndInitContainersUseTheSameKeys() {
        JsonNode pod = TestJson.o("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{"
                + "'initContainers':[{'name':'init','image':'a'}],'containers':[{'name':'c','image':'b'}],"
                + "'imagePullSecrets':[{'name':'s1'}]}}");
        JsonNode r = smp(pod, "{'spec':{'initContainers':[{'name':'init','image':'a2'}],"
                + "'imagePullSecrets':[{'name':'s2'}],'containers':[{'name':'d','image':'e'}]}}");
        assertEquals(j("[{'name':'init','image':'a2'}]"), r.at("/spec/initContainers"));
        assertEquals(j("[{'name':'s1'},{'name':'s2'}]"), r.at("/spec/imagePullSecrets"));
        assertEquals(j("['c','d']"), names(r.at("/spec/containers")));
    }

    @Test
    void replaceDirectiveOnListsAndMaps() {
        JsonNode r = smp(deployment(), "{'spec':{'template':{'metadata':{'$patch':'replace','labels':{'tier':'x'}},"
                + "'spec':{'containers':[{'$patch':'replace'},{'name':'only','image':'i'}]}}}}");
        assertEquals(j("{'labels':{'tier':'x'}}"), r.at("/spec/template/metadata"));
        assertEquals(j("[{'name':'only','image':'i'}]"), r.at("/spec/template/spec/containers"));
    }

    @Test
    void deleteDirectiveOnAMapAndNullOnAKey() {
        JsonNode r = smp(deployment(), "{'spec':{'strategy':{'$patch':'delete'},'replicas':null}}");
        assertFalse(r.get("spec").has("strategy"));
        assertFalse(r.get("spec").has("replicas"));
        assertTrue(r.get("spec").has("template"));
        // Deleting an element that is not there changes nothing.
        assertEquals(deployment(), smp(deployment(),
                "{'spec':{'template':{'spec':{'containers':[{'$patch':'delete','name':'none'}]}}}}"));
    }

    @Test
    void setElementOrderPutsNamedElementsFirstAndServerOnlyOnesAfter() {
        ObjectNode pod = TestJson.o("{'apiVersion':'v1','kind':'Pod','spec':{'containers':["
                + "{'name':'a'},{'name':'b'},{'name':'c'},{'name':'d'}]}}");
        JsonNode r = smp(pod, "{'spec':{'$setElementOrder/containers':[{'name':'c'},{'name':'e'},{'name':'a'}],"
                + "'containers':[{'name':'e'}]}}");
        assertEquals(j("['c','e','a','b','d']"), names(r.at("/spec/containers")));
        // Orders of value lists, too.
        JsonNode f = smp(TestJson.o("{'apiVersion':'v1','kind':'Pod','metadata':{'finalizers':['x','y','z']}}"),
                "{'metadata':{'$setElementOrder/finalizers':['z','x']}}");
        assertEquals(j("['z','x','y']"), f.at("/metadata/finalizers"));
    }

    @Test
    void primitiveSetsAndDeleteFromPrimitiveList() {
        ObjectNode pod = TestJson.o("{'apiVersion':'v1','kind':'Pod','metadata':{'finalizers':['a','b']},"
                + "'spec':{'containers':[{'name':'c','args':['1','2','3']}]}}");
        JsonNode r = smp(pod, "{'metadata':{'finalizers':['b','c'],'$deleteFromPrimitiveList/finalizers':['a']},"
                + "'spec':{'containers':[{'name':'c','$deleteFromPrimitiveList/args':['2','9']}]}}");
        assertEquals(j("['b','c']"), r.at("/metadata/finalizers"));
        assertEquals(j("['1','3']"), r.at("/spec/containers/0/args"));
    }

    @Test
    void retainKeysDropsTheOtherKeys() {
        JsonNode r = smp(deployment(), "{'spec':{'strategy':{'$retainKeys':['type'],'type':'Recreate'}}}");
        assertEquals(j("{'type':'Recreate'}"), r.at("/spec/strategy"));
        ApiException e = assertThrows(ApiException.class, () -> smp(deployment(),
                "{'spec':{'strategy':{'$retainKeys':['type'],'rollingUpdate':{'maxSurge':2}}}}"));
        assertEquals(400, e.code());
        assertEquals("spec.strategy.rollingUpdate: the field is not listed in \"$retainKeys\"", e.getMessage());
    }

    @Test
    void scaleMerges() {
        JsonNode scale = TestJson.o("{'kind':'Scale','apiVersion':'autoscaling/v1','metadata':{'name':'web'},"
                + "'spec':{'replicas':2},'status':{'replicas':2}}");
        assertEquals(3, smp(scale, "{'spec':{'replicas':3}}").at("/spec/replicas").asInt());
    }

    @Test
    void unknownKindsGetMergePatchSemantics() {
        JsonNode cr = TestJson.o("{'apiVersion':'example.com/v1','kind':'Widget','spec':{'containers':"
                + "[{'name':'a'}],'x':{'y':1}}}");
        JsonNode r = smp(cr, "{'spec':{'containers':[{'name':'b'}],'x':{'z':2}}}");
        assertEquals(j("{'apiVersion':'example.com/v1','kind':'Widget','spec':{'containers':[{'name':'b'}],"
                + "'x':{'y':1,'z':2}}}"), r);
        // Creating from nothing uses the patch's own kind.
        JsonNode created = StrategicMergePatch.apply(null, j("{'apiVersion':'v1','kind':'Pod','spec':{'containers':"
                + "[{'name':'a'},{'$patch':'delete','name':'b'}]}}"), SCHEMA);
        assertEquals(j("{'apiVersion':'v1','kind':'Pod','spec':{'containers':[{'name':'a'}]}}"), created);
    }

    @Test
    void malformedPatchesNameThePath() {
        String[][] cases = {
            {"{'spec':{'template':{'spec':{'containers':[{'name':'x'},{'image':'y'}]}}}}",
                "spec.template.spec.containers[1]: missing merge key \"name\""},
            {"{'spec':{'template':{'spec':{'containers':['x']}}}}",
                "spec.template.spec.containers[0]: the elements of a list merged by \"name\" must be objects, not \"x\""},
            {"{'spec':{'template':{'spec':{'containers':[{'name':{'a':1}}]}}}}",
                "spec.template.spec.containers[0].name: a merge key must be a value, not an object"},
            {"{'spec':{'$patch':5}}", "spec.$patch: must be a string, not 5"},
            {"{'spec':{'$patch':'frob'}}", "spec.$patch: unknown patch directive \"frob\" (expected replace, delete or merge)"},
            {"{'spec':{'template':{'spec':{'containers':[{'name':'a','$patch':'frob'}]}}}}",
                "spec.template.spec.containers[0].$patch: unknown patch directive \"frob\" (expected replace, delete or merge)"},
            {"{'spec':{'$setElementOrder/x':'a'}}", "spec.$setElementOrder/x: must be a list, not \"a\""},
            {"{'spec':{'template':{'spec':{'$setElementOrder/containers':[{'image':'a'}]}}}}",
                "spec.template.spec.$setElementOrder/containers[0]: missing merge key \"name\""},
            {"{'spec':{'$retainKeys':'type'}}", "spec.$retainKeys: must be a list of field names, not \"type\""},
            {"{'spec':{'$retainKeys':[1]}}", "spec.$retainKeys: must be a list of field names, not hold 1"},
            {"{'spec':{'$frob':1}}", "spec.$frob: unknown patch directive"},
            {"{'metadata':{'$deleteFromPrimitiveList/finalizers':'a'}}",
                "metadata.$deleteFromPrimitiveList/finalizers: must be a list of values, not \"a\""},
            {"{'metadata':{'finalizers':[{'a':1}]}}", "metadata.finalizers[0]: the elements of this list must be values, not an object"},
            {"{'$patch':'delete'}", "\"$patch\": \"delete\" cannot delete the whole object"},
        };
        for (String[] c : cases) {
            ApiException e = assertThrows(ApiException.class, () -> smp(deployment(), c[0]), c[0]);
            assertEquals(400, e.code(), c[0]);
            assertEquals(c[1], e.getMessage());
        }
        ApiException e = assertThrows(ApiException.class,
                () -> smp(deployment(), "{'spec':{'$deleteFromPrimitiveList/strategy':['a']}}"));
        assertEquals(422, e.code());
        assertEquals("spec.$deleteFromPrimitiveList/strategy: the field \"strategy\" is an object, not a list", e.getMessage());
        assertEquals(400, assertThrows(ApiException.class, () -> StrategicMergePatch.apply(deployment(), j("[1]"), SCHEMA)).code());
        assertEquals(400, assertThrows(ApiException.class, () -> StrategicMergePatch.apply(deployment(), null, SCHEMA)).code());
    }

    @Test
    void deepAndHugeInputs() {
        ObjectNode deep = TestJson.nested(101);
        assertEquals(400, assertThrows(ApiException.class,
                () -> StrategicMergePatch.apply(deployment(), deep, SCHEMA)).code());
        // 50,000 containers merged into 50,000: linear, finishes, every element merged by key.
        ObjectNode pod = TestJson.o("{'apiVersion':'v1','kind':'Pod','spec':{}}");
        ObjectNode patch = TestJson.o("{'spec':{}}");
        ArrayNode live = pod.with("spec").putArray("containers");
        ArrayNode p = patch.with("spec").putArray("containers");
        ArrayNode order = patch.with("spec").putArray("$setElementOrder/containers");
        int n = 50_000;
        for (int i = 0; i < n; i++) {
            live.addObject().put("name", "c" + i).put("image", "old");
            p.addObject().put("name", "c" + (n - 1 - i)).put("image", "new");
            order.addObject().put("name", "c" + (n - 1 - i));
        }
        JsonNode r = StrategicMergePatch.apply(pod, patch, SCHEMA);
        JsonNode containers = r.at("/spec/containers");
        assertEquals(n, containers.size());
        assertEquals("c" + (n - 1), containers.get(0).get("name").asText());
        assertEquals("new", containers.get(n - 1).get("image").asText());
    }

    /** Without directives or merge lists a strategic merge patch is a JSON merge patch. */
    @Property(tries = 300)
    void withoutDirectivesItIsAMergePatch(@ForAll("documents") ObjectNode doc, @ForAll("documents") ObjectNode patch) {
        ObjectNode target = doc.deepCopy().put("apiVersion", "v1").put("kind", "Pod");
        assertEquals(JsonMergePatch.apply(target, patch), StrategicMergePatch.apply(target, patch, SCHEMA));
    }

    /** Hostile patches (directives with wrong types, in odd places): an ApiException or a result, never a changed target. */
    @Property(tries = 1500)
    void hostilePatchesFailCleanly(@ForAll("hostile") ObjectNode patch) {
        ObjectNode target = deployment();
        try {
            StrategicMergePatch.apply(target, patch, SCHEMA);
        } catch (ApiException e) {
            assertTrue(e.code() == 400 || e.code() == 422, e.getMessage());
            assertFalse(e.getMessage().isEmpty());
        } catch (RuntimeException e) {
            fail("not an ApiException: " + e, e);
        }
        assertEquals(deployment(), target);
    }

    @Provide
    Arbitrary<ObjectNode> documents() {
        return TestJson.objects(3, true);
    }

    @Provide
    Arbitrary<ObjectNode> hostile() {
        return hostileMaps(4).map(m -> {
            ObjectNode o = F.objectNode();
            o.set("spec", F.objectNode().set("template", F.objectNode().set("spec", m)));
            o.set("metadata", m.deepCopy());
            return o;
        });
    }

    static Arbitrary<ObjectNode> hostileMaps(int depth) {
        Arbitrary<String> keys = Arbitraries.of("$patch", "$retainKeys", "$setElementOrder/containers",
                "$setElementOrder/finalizers", "$setElementOrder/tolerations", "$deleteFromPrimitiveList/finalizers",
                "$deleteFromPrimitiveList/containers", "containers", "env", "ports", "finalizers", "name",
                "containerPort", "mountPath", "volumeMounts", "tolerations", "image", "$x");
        Arbitrary<JsonNode> scalars = Arbitraries.oneOf(TestJson.scalars(true),
                Arbitraries.of("replace", "delete", "merge", "name", "image").map(F::textNode));
        Arbitrary<JsonNode> values = depth == 0 ? scalars : Arbitraries.frequencyOf(
                Tuple.of(2, scalars),
                Tuple.of(2, Arbitraries.lazy(() -> hostileMaps(depth - 1)).map(x -> (JsonNode) x)),
                Tuple.of(2, Arbitraries.oneOf(scalars, Arbitraries.lazy(() -> hostileMaps(depth - 1)))
                        .list().ofMaxSize(4).map(TestJson::array)));
        return Arbitraries.maps(keys, values).ofMaxSize(5).map(TestJson::object);
    }
}

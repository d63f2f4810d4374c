package io.hivemesh.rest.internal.patch;

import static io.hivemesh.rest.internal.patch.TestJson.F;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.ApiException;
import java.util.function.Supplier;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/** Inputs meant to hurt: every engine answers an ApiException or a result, never changes its inputs. */
class HostileInputTest {
    private static final Schema SCHEMA = Schema.kubernetes();
    private static final ServerSideApply SSA = new ServerSideApply(SCHEMA);

    private static void cleanly(Supplier<?> call) {
        try {
            call.get();
        } catch (ApiException e) {
            assertTrue(e.code() == 400 || e.code() == 409 || e.code() == 422, e.code() + " " + e.getMessage());
            assertTrue(e.getMessage() != null && !e.getMessage().isEmpty());
        } catch (RuntimeException | StackOverflowError e) {
            fail("not an ApiException: " + e, e);
        }
    }

    /** Apply configurations with directive keys and wrong types where lists and keys belong. */
    @Property(tries = 1000)
    void serverSideApplyOfHostileConfigurations(@ForAll("configs") ObjectNode config, @ForAll boolean force) {
        ObjectNode live = StrategicMergePatchTest.deployment();
        ManagedFields owned = ManagedFields.empty().afterUpdate("csa", "apps/v1", null, live, SCHEMA);
        JsonNode ownedJson = owned.toJson();
        ObjectNode configBefore = config.deepCopy();
        cleanly(() -> SSA.apply(live, config, "fuzzer", force, owned));
        cleanly(() -> SSA.apply(null, config, "fuzzer", force, null));
        assertEquals(StrategicMergePatchTest.deployment(), live);
        assertEquals(configBefore, config);
        assertEquals(ownedJson, owned.toJson());
    }

    /** Every engine with a random target and a random patch of any shape. */
    @Property(tries = 500)
    void anyPatchOnAnyTarget(@ForAll("targets") ObjectNode target, @ForAll("patches") JsonNode patch) {
        ObjectNode before = target.deepCopy();
        JsonNode patchBefore = patch.deepCopy();
        cleanly(() -> JsonMergePatch.apply(target, patch));
        cleanly(() -> JsonPatch.apply(target, patch));
        cleanly(() -> StrategicMergePatch.apply(target, patch, SCHEMA));
        assertEquals(before, target);
        assertEquals(patchBefore, patch);
    }

    @Provide
    Arbitrary<ObjectNode> configs() {
        return StrategicMergePatchTest.hostileMaps(3).map(m -> {
            ObjectNode c = TestJson.o("{'apiVersion':'apps/v1','kind':'Deployment','metadata':{'name':'web'}}");
            c.set("spec", F.objectNode().set("template", F.objectNode().set("spec", m)));
            return c;
        });
    }

    @Provide
    Arbitrary<ObjectNode> targets() {
        return Arbitraries.oneOf(TestJson.objects(3, true), Arbitraries.just(StrategicMergePatchTest.deployment()),
                TestJson.objects(2, true).map(o -> o.put("apiVersion", "v1").put("kind", "Pod")));
    }

    @Provide
    Arbitrary<JsonNode> patches() {
        return Arbitraries.oneOf(TestJson.values(4, true),
                StrategicMergePatchTest.hostileMaps(4).map(x -> (JsonNode) x));
    }

    @Test
    void deepNestingIsRefusedEverywhere() {
        ObjectNode deep = TestJson.nested(5000);
        ObjectNode deepKind = TestJson.nested(5000).put("apiVersion", "apps/v1").put("kind", "Deployment");
        ObjectNode d = StrategicMergePatchTest.deployment();
        for (Supplier<?> call : java.util.List.<Supplier<?>>of(
                () -> JsonMergePatch.apply(d, deep),
                () -> JsonMergePatch.apply(deep, d),
                () -> JsonPatch.apply(deep, TestJson.a("[]")),
                () -> StrategicMergePatch.apply(d, deepKind, SCHEMA),
                () -> StrategicMergePatch.apply(deepKind, TestJson.o("{}"), SCHEMA),
                () -> SSA.apply(d, deepKind, "m", true, null),
                () -> SSA.apply(deepKind, StrategicMergePatchTest.deployment(), "m", true, null))) {
            ApiException e = assertThrows(ApiException.class, call::get);
            assertEquals(400, e.code());
            assertTrue(e.getMessage().contains("deeper than 100"), e.getMessage());
        }
    }

    @Test
    void hugeListsInServerSideApply() {
        // 20,000 containers applied, then all but one dropped: linear work, and they are really gone.
        ObjectNode config = TestJson.o("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{}}");
        ArrayNode containers = config.with("spec").putArray("containers");
        for (int i = 0; i < 20_000; i++) {
            containers.addObject().put("name", "c" + i).put("image", "i").putArray("ports").addObject().put("containerPort", i);
        }
        ServerSideApply.Result r = SSA.apply(null, config, "m", false, null);
        ServerSideApply.Result other = SSA.apply(r.object(), config, "n", false, r.managedFields());
        assertEquals(r.object(), other.object());
        ObjectNode small = TestJson.o("{'apiVersion':'v1','kind':'Pod','metadata':{'name':'p'},'spec':{'containers':"
                + "[{'name':'c7','image':'i'}]}}");
        ServerSideApply.Result m2 = SSA.apply(other.object(), small, "m", false, other.managedFields());
        assertEquals(20_000, m2.object().at("/spec/containers").size(), "n still owns them");
        ServerSideApply.Result n2 = SSA.apply(m2.object(), small, "n", false, m2.managedFields());
        assertEquals(TestJson.j("[{'name':'c7','image':'i'}]"), n2.object().at("/spec/containers"));
    }
}

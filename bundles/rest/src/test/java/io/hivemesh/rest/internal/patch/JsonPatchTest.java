package io.hivemesh.rest.internal.patch;

import static io.hivemesh.rest.internal.patch.TestJson.F;
import static io.hivemesh.rest.internal.patch.TestJson.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.ApiException;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JsonPatchTest {
    /** RFC 6902 appendix A, the examples that succeed: document | patch | result. */
    @ParameterizedTest(name = "A.{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "1  | {'foo':'bar'} | [{'op':'add','path':'/baz','value':'qux'}] | {'baz':'qux','foo':'bar'}",
        "2  | {'foo':['bar','baz']} | [{'op':'add','path':'/foo/1','value':'qux'}] | {'foo':['bar','qux','baz']}",
        "3  | {'baz':'qux','foo':'bar'} | [{'op':'remove','path':'/baz'}] | {'foo':'bar'}",
        "4  | {'foo':['bar','qux','baz']} | [{'op':'remove','path':'/foo/1'}] | {'foo':['bar','baz']}",
        "5  | {'baz':'qux','foo':'bar'} | [{'op':'replace','path':'/baz','value':'boo'}] | {'baz':'boo','foo':'bar'}",
        "6  | {'foo':{'bar':'baz','waldo':'fred'},'qux':{'corge':'grault'}} "
            + "| [{'op':'move','from':'/foo/waldo','path':'/qux/thud'}] "
            + "| {'foo':{'bar':'baz'},'qux':{'corge':'grault','thud':'fred'}}",
        "7  | {'foo':['all','grass','cows','eat']} | [{'op':'move','from':'/foo/1','path':'/foo/3'}] "
            + "| {'foo':['all','cows','eat','grass']}",
        "8  | {'baz':'qux','foo':['a',2,'c']} "
            + "| [{'op':'test','path':'/baz','value':'qux'},{'op':'test','path':'/foo/1','value':2}] "
            + "| {'baz':'qux','foo':['a',2,'c']}",
        "10 | {'foo':'bar'} | [{'op':'add','path':'/child','value':{'grandchild':{}}}] "
            + "| {'foo':'bar','child':{'grandchild':{}}}",
        "11 | {'foo':'bar'} | [{'op':'add','path':'/baz','value':'qux','xyz':123}] | {'foo':'bar','baz':'qux'}",
        "14 | {'/':9,'~1':10} | [{'op':'test','path':'/~01','value':10}] | {'/':9,'~1':10}",
        "16 | {'foo':['bar']} | [{'op':'add','path':'/foo/-','value':['abc','def']}] | {'foo':['bar',['abc','def']]}",
    })
    void rfc6902AppendixA(String example, String document, String patch, String result) {
        JsonNode target = j(document);
        JsonNode before = target.deepCopy();
        assertEquals(j(result), JsonPatch.apply(target, j(patch)));
        assertEquals(before, target);
    }

    /** RFC 6902 appendix A, the examples that are errors: A.9, A.12, A.15. */
    @ParameterizedTest(name = "A.{0}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "9  | {'baz':'qux','foo':['a',2,'c']} | [{'op':'test','path':'/baz','value':'bar'}] | /baz",
        "12 | {'foo':'bar'} | [{'op':'add','path':'/baz/bat','value':'qux'}] | /baz/bat",
        "15 | {'/':9,'~1':10} | [{'op':'test','path':'/~01','value':'10'}] | /~01",
    })
    void rfc6902AppendixAErrors(String example, String document, String patch, String path) {
        JsonNode target = j(document);
        ApiException e = assertThrows(ApiException.class, () -> JsonPatch.apply(target, j(patch)));
        assertEquals(422, e.code());
        assertTrue(e.getMessage().startsWith("json patch operation 0 ("), e.getMessage());
        assertTrue(e.getMessage().contains("\"" + path + "\""), e.getMessage());
        assertEquals(j(document), target);
    }

    @Test
    void numbersAreComparedByValueInTest() {
        JsonNode doc = j("{'a':1,'b':{'x':[1.0,2]}}");
        assertEquals(doc, JsonPatch.apply(doc, j("[{'op':'test','path':'/a','value':1.0},"
                + "{'op':'test','path':'/b','value':{'x':[1,2.00]}}]")));
    }

    @Test
    void rootOperations() {
        assertEquals(j("[1]"), JsonPatch.apply(j("{'a':1}"), j("[{'op':'replace','path':'','value':[1]}]")));
        assertEquals(j("{'b':2}"), JsonPatch.apply(j("{'a':1}"), j("[{'op':'add','path':'','value':{'b':2}}]")));
        assertEquals(422, assertThrows(ApiException.class,
                () -> JsonPatch.apply(j("{'a':1}"), j("[{'op':'remove','path':''}]"))).code());
    }

    @Test
    void moveIntoItselfAndToItself() {
        ApiException e = assertThrows(ApiException.class,
                () -> JsonPatch.apply(j("{'a':{'b':1}}"), j("[{'op':'move','from':'/a','path':'/a/c'}]")));
        assertEquals(422, e.code());
        assertTrue(e.getMessage().contains("into itself"), e.getMessage());
        assertEquals(j("{'a':{'b':1}}"), JsonPatch.apply(j("{'a':{'b':1}}"), j("[{'op':'move','from':'/a','path':'/a'}]")));
    }

    @Test
    void copyMakesAnIndependentValue() {
        JsonNode r = JsonPatch.apply(j("{'a':{'b':1}}"), j("[{'op':'copy','from':'/a','path':'/c'},"
                + "{'op':'replace','path':'/c/b','value':2}]"));
        assertEquals(j("{'a':{'b':1},'c':{'b':2}}"), r);
    }

    @Test
    void arrayIndexesAreStrict() {
        JsonNode doc = j("{'l':[0,1,2]}");
        for (String bad : new String[] {"/l/01", "/l/-1", "/l/3", "/l/x", "/l/-", "/l/1e0", "/l/ 1"}) {
            ApiException e = assertThrows(ApiException.class,
                    () -> JsonPatch.apply(doc, j("[{'op':'remove','path':'" + bad + "'}]")), bad);
            assertEquals(422, e.code(), bad);
            assertTrue(e.getMessage().contains(bad), e.getMessage());
        }
        assertEquals(j("{'l':[0,1,2,3]}"), JsonPatch.apply(doc, j("[{'op':'add','path':'/l/3','value':3}]")));
        assertEquals(422, assertThrows(ApiException.class,
                () -> JsonPatch.apply(doc, j("[{'op':'add','path':'/l/4','value':3}]"))).code());
    }

    @Test
    void escapes() {
        JsonNode doc = j("{'a/b':1,'m~n':2,'~1':3}");
        assertEquals(j("{'m~n':2,'~1':3}"), JsonPatch.apply(doc, j("[{'op':'remove','path':'/a~1b'}]")));
        assertEquals(j("{'a/b':1,'~1':3}"), JsonPatch.apply(doc, j("[{'op':'remove','path':'/m~0n'}]")));
        assertEquals(j("{'a/b':1,'m~n':2}"), JsonPatch.apply(doc, j("[{'op':'remove','path':'/~01'}]")));
        for (String bad : new String[] {"/a~2", "/a~", "a", "/~"}) {
            ApiException e = assertThrows(ApiException.class,
                    () -> JsonPatch.apply(doc, j("[{'op':'remove','path':'" + bad + "'}]")), bad);
            assertEquals(400, e.code(), bad);
            assertTrue(e.getMessage().contains("operation 0"), e.getMessage());
        }
    }

    @Test
    void malformedPatchesAreBadRequests() {
        JsonNode doc = j("{'a':1}");
        String[][] cases = {
            {"{'op':'add','path':'/a','value':1}", "array"},
            {"[1]", "operation 0: must be a JSON object"},
            {"[{'op':'add','path':'/b','value':1},{'path':'/a'}]", "operation 1: \"op\" must be a string"},
            {"[{'op':'frob','path':'/a'}]", "unknown op"},
            {"[{'op':'add','value':1}]", "\"path\" must be a string"},
            {"[{'op':'add','path':3,'value':1}]", "\"path\" must be a string"},
            {"[{'op':'add','path':'/b'}]", "\"value\" is required"},
            {"[{'op':'move','path':'/b'}]", "\"from\" must be a string"},
            {"[{'op':'copy','path':'/b','from':5}]", "\"from\" must be a string"},
        };
        for (String[] c : cases) {
            ApiException e = assertThrows(ApiException.class, () -> JsonPatch.apply(doc, j(c[0])), c[0]);
            assertEquals(400, e.code(), c[0]);
            assertTrue(e.getMessage().contains(c[1]), e.getMessage());
        }
        // "value": null is a value.
        assertEquals(j("{'a':null}"), JsonPatch.apply(doc, j("[{'op':'replace','path':'/a','value':null}]")));
    }

    @Test
    void aFailingOpChangesNothing() {
        ObjectNode doc = (ObjectNode) j("{'a':[1,2],'b':{'c':1}}");
        JsonNode ops = j("[{'op':'remove','path':'/a/0'},{'op':'add','path':'/b/d','value':2},"
                + "{'op':'test','path':'/b/c','value':2}]");
        ApiException e = assertThrows(ApiException.class, () -> JsonPatch.apply(doc, ops));
        assertTrue(e.getMessage().startsWith("json patch operation 2 (test \"/b/c\")"), e.getMessage());
        assertEquals(j("{'a':[1,2],'b':{'c':1}}"), doc);
    }

    @Test
    void boundsOperationsDepthAndGrowth() {
        ArrayNode many = F.arrayNode();
        for (int i = 0; i <= 10_000; i++) {
            many.addObject().put("op", "test").put("path", "/a").put("value", 1);
        }
        ApiException e = assertThrows(ApiException.class, () -> JsonPatch.apply(j("{'a':1}"), many));
        assertEquals(400, e.code());
        assertTrue(e.getMessage().contains("at most 10000"), e.getMessage());
        many.remove(0);
        assertEquals(j("{'a':1}"), JsonPatch.apply(j("{'a':1}"), many), "10,000 operations are fine");

        // Doubling by copy: {"x":X,"y":X} each round would reach 2^60 nodes; refused at the budget.
        ArrayNode bomb = F.arrayNode();
        bomb.addObject().put("op", "add").put("path", "/x").set("value", j("[1,2,3,4,5,6,7,8]"));
        for (int i = 0; i < 60; i++) {
            bomb.addObject().put("op", "copy").put("from", "/x").put("path", "/x/-");
        }
        e = assertThrows(ApiException.class, () -> JsonPatch.apply(j("{}"), bomb));
        assertEquals(400, e.code());
        assertTrue(e.getMessage().contains("would exceed"), e.getMessage());

        // Depth: copying a value under itself until it is too deep.
        ArrayNode deep = F.arrayNode();
        deep.addObject().put("op", "add").put("path", "/x").set("value", TestJson.nested(60));
        deep.addObject().put("op", "copy").put("from", "/x").put("path", "/x" + "/a".repeat(44) + "/y");
        e = assertThrows(ApiException.class, () -> JsonPatch.apply(j("{}"), deep));
        assertEquals(400, e.code());
        assertTrue(e.getMessage().contains("deeper than 100"), e.getMessage());

        ArrayNode nestedOps = F.arrayNode();
        nestedOps.addObject().put("op", "add").put("path", "/x").set("value", TestJson.nested(120));
        assertEquals(400, assertThrows(ApiException.class, () -> JsonPatch.apply(j("{}"), nestedOps)).code());
    }

    // ---- properties -------------------------------------------------------------------------------

    private static final Pattern INDEX = Pattern.compile("^json patch operation (\\d+) ");

    /**
     * Oracle for atomicity and error positions: the input never changes; when the patch fails at op i,
     * ops 0..i-1 apply alone and op i fails on their result; when it succeeds, applying the ops one by
     * one gives the same document.
     */
    @Property(tries = 1000)
    void opListsApplyAllOrNothing(@ForAll("documents") ObjectNode doc, @ForAll("opLists") List<JsonNode> ops) {
        ObjectNode before = doc.deepCopy();
        ArrayNode patch = TestJson.array(ops);
        JsonNode all;
        try {
            all = JsonPatch.apply(doc, patch);
        } catch (ApiException e) {
            assertEquals(before, doc, "a failed patch left the target changed");
            Matcher m = INDEX.matcher(e.getMessage());
            assertTrue(m.find(), e.getMessage());
            int failed = Integer.parseInt(m.group(1));
            JsonNode prefix = JsonPatch.apply(doc, TestJson.array(ops.subList(0, failed)));
            ApiException again = assertThrows(ApiException.class,
                    () -> JsonPatch.apply(prefix, TestJson.array(List.of(ops.get(failed)))));
            assertEquals(e.code(), again.code());
            assertEquals(before, doc);
            return;
        }
        assertEquals(before, doc, "a patch changed its target");
        JsonNode stepwise = doc;
        for (JsonNode op : ops) {
            stepwise = JsonPatch.apply(stepwise, TestJson.array(List.of(op)));
        }
        assertEquals(all, stepwise);
    }

    /** Anything at all as a patch: an ApiException or a result, and the target unchanged. */
    @Property(tries = 500)
    void arbitraryPatchesFailCleanly(@ForAll("documents") ObjectNode doc, @ForAll("anything") JsonNode patch) {
        ObjectNode before = doc.deepCopy();
        try {
            JsonPatch.apply(doc, patch);
        } catch (ApiException expected) {
            assertTrue(expected.code() == 400 || expected.code() == 422, expected.getMessage());
        } catch (RuntimeException e) {
            fail("not an ApiException: " + e, e);
        }
        assertEquals(before, doc);
    }

    @Provide
    Arbitrary<ObjectNode> documents() {
        return TestJson.objects(3, true);
    }

    @Provide
    Arbitrary<JsonNode> anything() {
        return Arbitraries.oneOf(TestJson.values(4, true), opLists().map(TestJson::array),
                opLists().map(l -> {
                    ArrayNode a = TestJson.array(l);
                    if (!a.isEmpty() && a.get(0).isObject()) {
                        ((ObjectNode) a.get(0)).remove("value");
                    }
                    return a;
                }));
    }

    @Provide
    Arbitrary<List<JsonNode>> opLists() {
        Arbitrary<String> pointers = Arbitraries.of("", "/a", "/b", "/a/0", "/a/1", "/a/-", "/b/c", "/a/a",
                "/~0", "/~1", "/c/d/e", "/a/01");
        Arbitrary<String> kinds = Arbitraries.of("add", "remove", "replace", "move", "copy", "test");
        return Combinators.combine(kinds, pointers, pointers, TestJson.values(2, true)).as((k, p, f, v) -> {
            ObjectNode op = F.objectNode().put("op", k).put("path", p);
            if (k.equals("move") || k.equals("copy")) {
                op.put("from", f);
            } else if (!k.equals("remove")) {
                op.set("value", v);
            }
            return (JsonNode) op;
        }).list().ofMaxSize(6);
    }
}

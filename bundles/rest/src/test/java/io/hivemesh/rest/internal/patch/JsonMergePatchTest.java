package io.hivemesh.rest.internal.patch;

import static io.hivemesh.rest.internal.patch.TestJson.j;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.ApiException;
import java.util.Iterator;
import java.util.Map;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class JsonMergePatchTest {
    /** RFC 7386 appendix A: original | patch | result. */
    @ParameterizedTest(name = "{0} + {1} = {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '"', value = {
        "{'a':'b'}                 | {'a':'c'}                    | {'a':'c'}",
        "{'a':'b'}                 | {'b':'c'}                    | {'a':'b','b':'c'}",
        "{'a':'b'}                 | {'a':null}                   | {}",
        "{'a':'b','b':'c'}         | {'a':null}                   | {'b':'c'}",
        "{'a':['b']}               | {'a':'c'}                    | {'a':'c'}",
        "{'a':'c'}                 | {'a':['b']}                  | {'a':['b']}",
        "{'a':{'b':'c'}}           | {'a':{'b':'d','c':null}}     | {'a':{'b':'d'}}",
        "{'a':[{'b':'c'}]}         | {'a':[1]}                    | {'a':[1]}",
        "['a','b']                 | ['c','d']                    | ['c','d']",
        "{'a':'b'}                 | ['c']                        | ['c']",
        "{'a':'foo'}               | null                         | null",
        "{'a':'foo'}               | 'bar'                        | 'bar'",
        "{'e':null}                | {'a':1}                      | {'e':null,'a':1}",
        "[1,2]                     | {'a':'b','c':null}           | {'a':'b'}",
        "{}                        | {'a':{'bb':{'ccc':null}}}    | {'a':{'bb':{}}}",
    })
    void rfc7386AppendixA(String original, String patch, String result) {
        JsonNode target = j(original);
        JsonNode before = target.deepCopy();
        assertEquals(j(result), JsonMergePatch.apply(target, j(patch)));
        assertEquals(before, target, "the target is never changed");
    }

    /** RFC 7386 section 3, the example of a document and its patch. */
    @Test
    void rfc7386Section3Example() {
        JsonNode target = j("{'title':'Goodbye!','author':{'givenName':'John','familyName':'Doe'},"
                + "'tags':['example','sample'],'content':'This will be unchanged'}");
        JsonNode patch = j("{'title':'Hello!','phoneNumber':'+01-123-456-7890','author':{'familyName':null},"
                + "'tags':['example']}");
        assertEquals(j("{'title':'Hello!','author':{'givenName':'John'},'tags':['example'],"
                + "'content':'This will be unchanged','phoneNumber':'+01-123-456-7890'}"),
                JsonMergePatch.apply(target, patch));
    }

    @Test
    void scalePatchSetsReplicasAndKeepsTheRest() {
        JsonNode scale = j("{'kind':'Scale','apiVersion':'autoscaling/v1','metadata':{'name':'web'},"
                + "'spec':{'replicas':2},'status':{'replicas':2,'selector':'app=web'}}");
        JsonNode r = JsonMergePatch.apply(scale, j("{'spec':{'replicas':3}}"));
        assertEquals(3, r.at("/spec/replicas").asInt());
        assertEquals("app=web", r.at("/status/selector").asText());
    }

    @Test
    void theResultSharesNothingWithThePatch() {
        ObjectNode patch = (ObjectNode) j("{'a':{'b':[1]}}");
        ObjectNode r = (ObjectNode) JsonMergePatch.apply(j("{}"), patch);
        ((ObjectNode) r.get("a")).put("c", 1);
        assertEquals(j("{'a':{'b':[1]}}"), patch);
    }

    @Test
    void refusesDeepNestingAndNoPatch() {
        ApiException e = assertThrows(ApiException.class, () -> JsonMergePatch.apply(j("{}"), TestJson.nested(101)));
        assertEquals(400, e.code());
        assertTrue(e.getMessage().contains("deeper than 100"), e.getMessage());
        assertEquals(400, assertThrows(ApiException.class,
                () -> JsonMergePatch.apply(TestJson.nested(150), j("{}"))).code());
        assertEquals(400, assertThrows(ApiException.class, () -> JsonMergePatch.apply(j("{}"), null)).code());
        // 100 levels is still fine.
        assertEquals(TestJson.nested(100), JsonMergePatch.apply(j("{}"), TestJson.nested(100)));
    }

    /** The oracle: a patch computed by a small differ turns a into b, for any a and any null-free b. */
    @Property(tries = 500)
    void applyingTheDiffOfAAndBToAGivesB(@ForAll("documents") ObjectNode a, @ForAll("nullFree") ObjectNode b) {
        ObjectNode before = a.deepCopy();
        JsonNode patch = diff(a, b);
        assertEquals(b, JsonMergePatch.apply(a, patch));
        assertEquals(before, a);
    }

    /** Applying the same patch twice is the same as once (merge patches are idempotent). */
    @Property(tries = 300)
    void mergePatchesAreIdempotent(@ForAll("documents") ObjectNode a, @ForAll("documents") ObjectNode patch) {
        JsonNode once = JsonMergePatch.apply(a, patch);
        assertEquals(once, JsonMergePatch.apply(once, patch));
    }

    @Provide
    Arbitrary<ObjectNode> documents() {
        return TestJson.objects(3, true);
    }

    @Provide
    Arbitrary<ObjectNode> nullFree() {
        return TestJson.objects(3, false);
    }

    /** The smallest merge patch from a to b (b must hold no null members: merge patch cannot set null). */
    static JsonNode diff(JsonNode a, JsonNode b) {
        if (!a.isObject() || !b.isObject()) {
            return b;
        }
        ObjectNode p = TestJson.F.objectNode();
        for (Iterator<String> it = a.fieldNames(); it.hasNext(); ) {
            String k = it.next();
            if (!b.has(k)) {
                p.putNull(k);
            }
        }
        for (Iterator<Map.Entry<String, JsonNode>> it = b.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode av = a.get(e.getKey());
            if (av == null || !av.equals(e.getValue())) {
                p.set(e.getKey(), av == null ? e.getValue() : diff(av, e.getValue()));
            }
        }
        return p;
    }
}

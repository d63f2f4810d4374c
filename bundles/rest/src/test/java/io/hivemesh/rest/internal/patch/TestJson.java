package io.hivemesh.rest.internal.patch;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.NullNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Tuple;

/** JSON for the tests: single-quoted literals, and jqwik generators of JSON values. */
final class TestJson {
    private static final ObjectMapper LENIENT = JsonMapper.builder()
            .enable(com.fasterxml.jackson.core.json.JsonReadFeature.ALLOW_SINGLE_QUOTES).build();
    static final JsonNodeFactory F = JsonNodeFactory.instance;

    private TestJson() {
    }

    /** Parses JSON written with single quotes ({@code {'a':1}}). */
    static JsonNode j(String json) {
        try {
            return LENIENT.readTree(json);
        } catch (java.io.IOException e) {
            throw new IllegalArgumentException(json, e);
        }
    }

    static ObjectNode o(String json) {
        return (ObjectNode) j(json);
    }

    static ArrayNode a(String json) {
        return (ArrayNode) j(json);
    }

    /** Scalars from a small domain, so that generated documents overlap. */
    static Arbitrary<JsonNode> scalars(boolean withNull) {
        List<Arbitrary<? extends JsonNode>> l = new java.util.ArrayList<>(List.of(
                Arbitraries.integers().between(-2, 2).map(F::numberNode),
                Arbitraries.of("a", "b", "", "~1", "x/y").map(F::textNode),
                Arbitraries.of(BooleanNode.TRUE, BooleanNode.FALSE)));
        if (withNull) {
            l.add(Arbitraries.just(NullNode.instance));
        }
        return Arbitraries.oneOf(l);
    }

    /** Any JSON value up to {@code depth} containers deep; object members are never null unless asked. */
    static Arbitrary<JsonNode> values(int depth, boolean nullMembers) {
        if (depth == 0) {
            return scalars(nullMembers);
        }
        return Arbitraries.frequencyOf(
                Tuple.of(3, scalars(nullMembers)),
                Tuple.of(2, objects(depth - 1, nullMembers).map(x -> (JsonNode) x)),
                Tuple.of(1, values(depth - 1, nullMembers).list().ofMaxSize(3).map(TestJson::array)));
    }

    static Arbitrary<ObjectNode> objects(int depth, boolean nullMembers) {
        return Arbitraries.maps(Arbitraries.of("a", "b", "c", "d", "~", "/"), values(depth, nullMembers))
                .ofMaxSize(4).map(TestJson::object);
    }

    static ArrayNode array(List<JsonNode> l) {
        ArrayNode a = F.arrayNode();
        l.forEach(a::add);
        return a;
    }

    static ObjectNode object(Map<String, JsonNode> m) {
        ObjectNode o = F.objectNode();
        m.forEach(o::set);
        return o;
    }

    /** {@code {"a":{"a":...}}} nested {@code depth} objects deep, built without a parser. */
    static ObjectNode nested(int depth) {
        ObjectNode root = F.objectNode();
        ObjectNode n = root;
        for (int i = 1; i < depth; i++) {
            n = n.putObject("a");
        }
        return root;
    }

}

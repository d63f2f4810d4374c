package io.hivemesh.rest.internal.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.ApiException;
import io.hivemesh.rest.internal.http.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class SelectorsTest {
    static ObjectNode event() throws Exception {
        return (ObjectNode) Json.MAPPER.readTree("""
                {"metadata":{"name":"web.1","namespace":"a","labels":{"app":"web","tier":"front"}},
                 "involvedObject":{"kind":"Deployment","name":"web","namespace":"a","uid":"u1"}}""");
    }

    @Test
    void fieldSelectorsFilter() throws Exception {
        ObjectNode e = event();
        assertTrue(Selectors.fields("metadata.name=web.1").test(e));
        assertFalse(Selectors.fields("metadata.name=other").test(e));
        assertTrue(Selectors.fields("involvedObject.name=web,involvedObject.namespace=a,involvedObject.uid=u1").test(e));
        assertFalse(Selectors.fields("involvedObject.uid!=u1").test(e));
        assertTrue(Selectors.fields(null).test(e));
        ApiException bad = assertThrows(ApiException.class, () -> Selectors.fields("spec.secret=x"));
        assertEquals(400, bad.code());
        assertThrows(ApiException.class, () -> Selectors.fields("novalue"));
    }

    @Test
    void labelSelectorsFilter() throws Exception {
        ObjectNode e = event();
        assertTrue(Selectors.labels("app=web").test(e));
        assertTrue(Selectors.labels("app==web,tier").test(e));
        assertFalse(Selectors.labels("app!=web").test(e));
        assertFalse(Selectors.labels("!tier").test(e));
        assertFalse(Selectors.labels("missing").test(e));
        assertThrows(ApiException.class, () -> Selectors.labels("app in (web)"));
        assertThrows(ApiException.class, () -> Selectors.labels("a,".repeat(40)));
    }
}

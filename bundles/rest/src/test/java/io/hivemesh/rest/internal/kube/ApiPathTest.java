package io.hivemesh.rest.internal.kube;

import io.hivemesh.rest.internal.http.ApiException;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ApiPathTest {
    @Test
    void resourcePathsAreTakenApart() {
        ApiPath p = ApiPath.parse("/apis/apps/v1/namespaces/team-a/deployments/web/scale").orElseThrow();
        assertEquals(KubeKind.DEPLOYMENT, p.kind());
        assertEquals("team-a", p.namespace());
        assertEquals("web", p.name());
        assertEquals("scale", p.sub());
        ApiPath all = ApiPath.parse("/api/v1/pods").orElseThrow();
        assertNull(all.namespace());
        assertTrue(all.collection());
        assertEquals(KubeKind.NODE, ApiPath.parse("/api/v1/nodes/x").orElseThrow().kind());
        assertEquals(KubeKind.NAMESPACE, ApiPath.parse("/api/v1/namespaces/team-a").orElseThrow().kind());
        assertTrue(ApiPath.parse("/api").orElseThrow().discovery());
        assertTrue(ApiPath.parse("/apis/apps/v1").orElseThrow().discovery());
    }

    @Test
    void unknownOrMalformedPathsAreNotServed() {
        assertTrue(ApiPath.parse("/api/v1/secrets").isEmpty());
        assertTrue(ApiPath.parse("/apis/batch/v1/namespaces/a/jobs").isEmpty());
        assertTrue(ApiPath.parse("/api/v1/namespaces/a/nodes").isEmpty(), "nodes are not namespaced");
        assertTrue(ApiPath.parse("/api/v1/namespaces/a/pods/x/log/extra").isEmpty());
        assertTrue(ApiPath.parse("/version").isEmpty());
        assertThrows(ApiException.class, () -> ApiPath.parse("/api/v1/namespaces/a/pods/" + "x".repeat(300)));
    }
}

package io.hivemesh.rest.internal.kube;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.api.workload.MachinePlane.HostPort;
import io.hivemesh.api.workload.MachinePlane.Replica;
import io.hivemesh.rest.internal.http.ApiException;
import io.hivemesh.rest.internal.http.Json;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KubeStateTest {
    @TempDir
    Path dir;
    MachinePlaneFake plane;
    ObjectStore store;
    WatchHub hub;
    MeshMirror mirror;
    KubeState state;
    final List<WatchHub.Change> seen = new ArrayList<>();

    @BeforeEach
    void open() throws Exception {
        plane = new MachinePlaneFake();
        Clock clock = Clock.fixed(Instant.parse("2026-12-02T10:00:00Z"), ZoneOffset.UTC);
        store = ObjectStore.open(dir);
        hub = new WatchHub(100, store.currentRv());
        mirror = new MeshMirror(store, plane, clock, "hivemesh/test");
        state = new KubeState(store, hub, plane, mirror, clock);
        hub.subscribe(KubeKind.POD, null, o -> true, 0, seen::add);
        hub.subscribe(KubeKind.DEPLOYMENT, null, o -> true, 0, seen::add);
    }

    static ObjectNode deployment(String name, int replicas, String image) throws Exception {
        return (ObjectNode) Json.MAPPER.readTree("""
                {"apiVersion":"apps/v1","kind":"Deployment",
                 "metadata":{"name":"%s","annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{}"},
                             "uid":"client-chosen","resourceVersion":"999"},
                 "spec":{"replicas":%d,"selector":{"matchLabels":{"app":"%s"}},
                  "template":{"metadata":{"labels":{"app":"%s"}},
                   "spec":{"containers":[{"name":"main","image":"%s"}]}}}}
                """.formatted(name, replicas, name, name, image));
    }

    @Test
    void aCreatedDeploymentIsAppliedToTheTenantAndStoredWithServerMetadata() throws Exception {
        ObjectNode d = state.create(KubeKind.DEPLOYMENT, "team-a", deployment("web", 2, "busybox"), "test").object();
        assertEquals(1, plane.applied.size());
        MachinePlaneFake.ApplyCall call = plane.applied.get(0);
        assertEquals("team-a", call.tenant());
        assertEquals(2, call.replicas().getAsInt());
        assertFalse(call.manifest().contains("last-applied"), "the API's annotations stay out of the manifest");
        assertFalse(call.manifest().contains("\"replicas\""), "the replica count is passed on its own");
        assertEquals("team-a", d.path("metadata").path("namespace").asText());
        assertEquals(1, d.path("metadata").path("generation").asLong());
        assertFalse(d.path("metadata").path("uid").asText().equals("client-chosen"));
        assertEquals("2026-12-02T10:00:00Z", d.path("metadata").path("creationTimestamp").asText());
        assertTrue(Long.parseLong(d.path("metadata").path("resourceVersion").asText()) > 0);
        assertEquals("ADDED", seen.get(0).type());
        ApiException again = assertThrows(ApiException.class,
                () -> state.create(KubeKind.DEPLOYMENT, "team-a", deployment("web", 2, "busybox"), "test"));
        assertEquals(409, again.code());
        assertEquals("AlreadyExists", again.reason());
    }

    @Test
    void aRefusedManifestIsInvalidWithTheFieldAndLeavesNothing() throws Exception {
        ApiException e = assertThrows(ApiException.class,
                () -> state.create(KubeKind.DEPLOYMENT, "team-a", deployment("web", 1, "reject-me"), "test"));
        assertEquals(422, e.code());
        assertEquals("spec.containers[0].image", e.causes().get(0).field());
        assertTrue(state.get(KubeKind.DEPLOYMENT, "team-a", "web").isEmpty());
        assertTrue(seen.isEmpty());
    }

    @Test
    void onlyASpecChangeRaisesTheGeneration() throws Exception {
        state.create(KubeKind.DEPLOYMENT, "team-a", deployment("web", 1, "busybox"), "test");
        ObjectNode labelled = state.update(KubeKind.DEPLOYMENT, "team-a", "web", false, "test", (live, managed) -> {
            ((ObjectNode) live.with("metadata").with("labels")).put("tier", "front");
            live.with("metadata").remove("resourceVersion");
            return KubeState.Desired.of(live);
        }).object();
        assertEquals(1, labelled.path("metadata").path("generation").asLong());
        ObjectNode scaled = state.update(KubeKind.DEPLOYMENT, "team-a", "web", false, "test", (live, managed) -> {
            ((ObjectNode) live.with("spec")).put("replicas", 3);
            return KubeState.Desired.of(live);
        }).object();
        assertEquals(2, scaled.path("metadata").path("generation").asLong());
        assertEquals(3, plane.applied.get(plane.applied.size() - 1).replicas().getAsInt());
    }

    @Test
    void aStaleResourceVersionIsAConflict() throws Exception {
        state.create(KubeKind.DEPLOYMENT, "team-a", deployment("web", 1, "busybox"), "test");
        ApiException e = assertThrows(ApiException.class, () -> state.update(KubeKind.DEPLOYMENT, "team-a", "web",
                false, "test", (live, managed) -> {
                    ((ObjectNode) live.with("metadata")).put("resourceVersion", "123456");
                    return KubeState.Desired.of(live);
                }));
        assertEquals(409, e.code());
        assertTrue(e.getMessage().contains("has been modified"), e.getMessage());
    }

    @Test
    void statusFollowsTheReplicasAndTheirPodsAreListed() throws Exception {
        state.create(KubeKind.DEPLOYMENT, "team-a", deployment("web", 2, "busybox"), "test");
        mirror.sync(state);
        ObjectNode pending = state.get(KubeKind.DEPLOYMENT, "team-a", "web").orElseThrow();
        assertEquals(0, pending.path("status").path("availableReplicas").asInt());
        assertEquals(1, pending.path("status").path("observedGeneration").asLong());
        long gen = plane.generation("team-a", "web");
        plane.report("team-a", "web", List.of(
                new Replica(0, "12D3KooWA", gen, "Running", "", List.of(new HostPort("main", 80, "tcp", "127.0.0.1", 30001)), 5),
                new Replica(1, "12D3KooWB", gen, "Deploying", "", List.of(), 5)));
        mirror.sync(state);
        ObjectNode d = state.get(KubeKind.DEPLOYMENT, "team-a", "web").orElseThrow();
        assertEquals(2, d.path("status").path("replicas").asInt());
        assertEquals(2, d.path("status").path("updatedReplicas").asInt());
        assertEquals(1, d.path("status").path("availableReplicas").asInt());
        List<ObjectNode> pods = state.list(KubeKind.POD, "team-a");
        assertEquals(2, pods.size());
        assertEquals("Running", pods.get(0).path("status").path("phase").asText());
        assertEquals("12D3KooWA", pods.get(0).path("spec").path("nodeName").asText());
        assertEquals("Deployment", pods.get(0).path("metadata").path("ownerReferences").path(0).path("kind").asText());
        assertTrue(state.list(KubeKind.POD, "team-b").isEmpty(), "another tenant sees none of them");
        assertTrue(seen.stream().anyMatch(c -> c.kind() == KubeKind.POD && c.type().equals("ADDED")));
        long before = seen.size();
        mirror.sync(state);
        assertEquals(before, seen.size(), "an unchanged mesh publishes nothing");
        assertEquals(1, state.list(KubeKind.EVENT, "team-a").size());
    }

    @Test
    void aDeleteRemovesTheTaskAndTheObjectAndIsSeenByWatchers() throws Exception {
        state.create(KubeKind.POD, "team-a", (ObjectNode) Json.MAPPER.readTree("""
                {"apiVersion":"v1","kind":"Pod","metadata":{"name":"solo"},
                 "spec":{"containers":[{"name":"main","image":"busybox"}]}}"""), "test");
        ObjectNode gone = state.delete(KubeKind.POD, "team-a", "solo");
        assertTrue(gone.path("metadata").has("deletionTimestamp"));
        assertEquals(List.of("team-a/solo"), plane.deleted);
        assertTrue(state.get(KubeKind.POD, "team-a", "solo").isEmpty());
        assertEquals("DELETED", seen.get(seen.size() - 1).type());
        ApiException missing = assertThrows(ApiException.class, () -> state.delete(KubeKind.POD, "team-a", "solo"));
        assertEquals(404, missing.code());
        assertEquals("pods \"solo\" not found", missing.getMessage());
    }

    @Test
    void podsAndDeploymentsShareNamesAndBodiesMustMatchThePath() throws Exception {
        state.create(KubeKind.DEPLOYMENT, "team-a", deployment("web", 1, "busybox"), "test");
        ApiException clash = assertThrows(ApiException.class, () -> state.create(KubeKind.POD, "team-a",
                (ObjectNode) Json.MAPPER.readTree("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"web\"},"
                        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"i\"}]}}"), "test"));
        assertEquals(409, clash.code());
        ApiException ns = assertThrows(ApiException.class, () -> {
            ObjectNode d = deployment("other", 1, "busybox");
            ((ObjectNode) d.with("metadata")).put("namespace", "team-b");
            state.create(KubeKind.DEPLOYMENT, "team-a", d, "test");
        });
        assertEquals(400, ns.code());
        ApiException kind = assertThrows(ApiException.class, () -> state.create(KubeKind.POD, "team-a",
                deployment("x", 1, "busybox"), "test"));
        assertEquals(400, kind.code());
        ApiException badName = assertThrows(ApiException.class, () -> state.create(KubeKind.DEPLOYMENT, "team-a",
                deployment("Not_A_Label", 1, "busybox"), "test"));
        assertEquals(422, badName.code());
        ApiException selector = assertThrows(ApiException.class, () -> {
            ObjectNode d = deployment("sel", 1, "busybox");
            ((ObjectNode) d.with("spec").with("selector").with("matchLabels")).put("app", "other");
            state.create(KubeKind.DEPLOYMENT, "team-a", d, "test");
        });
        assertEquals(422, selector.code());
        assertEquals(1, plane.applied.size(), "nothing refused reached the machine plane");
    }

    @Test
    void theStoreKeepsObjectsAndNeverReusesAResourceVersionAfterARestart() throws Exception {
        state.create(KubeKind.DEPLOYMENT, "team-a", deployment("web", 1, "busybox"), "test");
        long rv = store.currentRv();
        ObjectStore reopened = ObjectStore.open(dir);
        assertTrue(reopened.get(new ObjectStore.Key(KubeKind.DEPLOYMENT, "team-a", "web")).isPresent());
        assertTrue(reopened.nextRv() > rv);
        ObjectStore.Key key = new ObjectStore.Key(KubeKind.DEPLOYMENT, "team-a", "web");
        assertFalse(reopened.get(key).orElseThrow().has(ObjectStore.MANAGED), "ownership is never shown");
        assertTrue(reopened.managed(key).toString().contains("test"), "ownership is kept: " + reopened.managed(key));
    }
}

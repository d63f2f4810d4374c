package io.hivemesh.runtime.manifest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.runtime.DeployConfig;
import io.hivemesh.api.runtime.ManifestException;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.RuntimeEngineException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ManifestsTest {
    static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
              labels: {app: web}
            spec:
              containers:
              - name: httpd
                image: localhost/busybox:latest
                command: [httpd, -f, -p, "8080"]
                env:
                - {name: GREETING, value: hello}
                ports:
                - {containerPort: 8080, hostPort: 28080}
                resources:
                  limits: {cpu: 500m, memory: 64Mi}
            """;

    static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: api}
            spec:
              replicas: 3
              selector: {matchLabels: {app: api}}
              template:
                metadata: {labels: {app: api}}
                spec:
                  containers:
                  - {name: main, image: localhost/busybox:latest, args: [sleep, "1000"]}
            """;

    @Test
    void parsesPod() {
        List<ManifestDocument> docs = Manifests.parse(POD);
        assertEquals(1, docs.size());
        ManifestDocument doc = docs.get(0);
        assertEquals("Pod", doc.kind());
        assertEquals("web", doc.name());
        ContainerSpec c = doc.containers().get(0);
        assertEquals(List.of("httpd", "-f", "-p", "8080"), c.command());
        assertEquals(Map.of("GREETING", "hello"), c.env());
        assertEquals(List.of(new PortSpec(8080, 28080, "tcp", "")), c.ports());
        assertEquals(500, c.cpuMillis().getAsLong());
        assertEquals(64L << 20, c.memoryBytes().getAsLong());
    }

    @Test
    void multiDocumentWithDeploymentReplicas() {
        List<ManifestDocument> docs = Manifests.parse(POD + "---\n" + DEPLOYMENT);
        assertEquals(2, docs.size());
        assertEquals(3, docs.get(1).replicas());
        List<PodSpec> pods = PodPlan.plan("test", "w1", docs, DeployConfig.defaults());
        assertEquals(List.of("w1-web", "w1-api-1", "w1-api-2", "w1-api-3"), pods.stream().map(PodSpec::name).toList());
        assertEquals("w1", pods.get(3).labels().get(RuntimeEngine.WORKLOAD_LABEL));
        assertEquals("api", pods.get(3).labels().get("app"));
    }

    @Test
    void configOverridesLimitsAndAddsEnvAndLabels() {
        DeployConfig config = new DeployConfig(2, Optional.of("1"), Optional.of("1Gi"), Map.of("X", "y"),
                Map.of("team", "a", RuntimeEngine.WORKLOAD_LABEL, "spoof"));
        List<PodSpec> pods = PodPlan.plan("test", "w2", Manifests.parse(POD), config);
        assertEquals(2, pods.size());
        ContainerSpec c = pods.get(0).containers().get(0);
        assertEquals(1000, c.cpuMillis().getAsLong());
        assertEquals(1L << 30, c.memoryBytes().getAsLong());
        assertEquals("y", c.env().get("X"));
        assertEquals("hello", c.env().get("GREETING"));
        assertEquals("w2", pods.get(0).labels().get(RuntimeEngine.WORKLOAD_LABEL));
        assertEquals("a", pods.get(0).labels().get("team"));
        assertEquals("test", pods.get(0).labels().get(PodPlan.ENGINE_LABEL));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "'kind: Pod\napiVersion: v1\nmetadata: {name: a}\nspec: {containers: [{name: c}]}' | spec.containers[0].image: missing",
        "'kind: Service\napiVersion: v1\nmetadata: {name: a}\nspec: {}' | kind: 'Service' is not supported",
        "'kind: Pod\napiVersion: v1\nmetadata: {name: a}\nspec: {containers: [{name: c, image: i, volumeMounts: []}]}' | spec.containers[0].volumeMounts: field is not supported",
        "'kind: Pod\napiVersion: v1\nmetadata: {name: A_b}\nspec: {containers: []}' | metadata.name: 'A_b' is not a lower-case DNS label",
        "'kind: Pod\napiVersion: v1\nmetadata: {name: a}\nspec: {containers: []}' | spec.containers: at least one container",
        "'kind: Pod\napiVersion: v1\nmetadata: {name: a}\nspec: {containers: [{name: c, image: i, ports: [{containerPort: 70000}]}]}' | spec.containers[0].ports[0].containerPort: 70000 is outside 1..65535",
        "'kind: Pod\napiVersion: v1\nmetadata: {name: a}\nspec: {containers: [{name: c, image: i, resources: {limits: {cpu: lots}}}]}' | spec.containers[0].resources.limits.cpu: 'lots' is not a CPU quantity",
        "'kind: Pod\napiVersion: apps/v1\nmetadata: {name: a}\nspec: {containers: [{name: c, image: i}]}' | apiVersion: 'apps/v1' is not supported for this kind",
        "'kind: Pod\napiVersion: v1\nspec: {containers: [{name: c, image: i}]}' | metadata: missing",
        "'kind: Pod\napiVersion: v1\nmetadata: {name: a}\nspec: {containers: [{name: c, image: i, env: [{name: X, valueFrom: {}}]}]}' | spec.containers[0].env[0].valueFrom: field is not supported",
        "'a: [unclosed' | invalid YAML in document 1",
        "'- just\n- a list' | document 1: expected a mapping, found a list",
        "'kind: Pod\napiVersion: v1\nmetadata: {name: a}\nspec: {containers: [{name: c, image: i}]}\n---\nkind: Pod\napiVersion: v1\nmetadata: {name: a}\nspec: {containers: [{name: c, image: i}]}' | document 2: metadata.name: 'a' is used by an earlier document",
    })
    void rejectsBadManifestsNamingTheField(String yaml, String expected) {
        ManifestException e = assertThrows(ManifestException.class, () -> Manifests.parse(yaml.replace("\\n", "\n")));
        assertTrue(e.getMessage().contains(expected), () -> "message '" + e.getMessage() + "' lacks '" + expected + "'");
    }

    @Test
    void rejectsEmptyAndHugeAndAliasBombs() {
        assertThrows(ManifestException.class, () -> Manifests.parse("  \n"));
        assertThrows(ManifestException.class, () -> Manifests.parse("---\n---\n"));
        assertThrows(ManifestException.class, () -> Manifests.parse("x: '" + "a".repeat(Manifests.MAX_BYTES) + "'"));
        StringBuilder bomb = new StringBuilder("a0: &a0 [x, x]\n");
        for (int i = 1; i < 30; i++) {
            bomb.append("a").append(i).append(": &a").append(i).append(" [*a").append(i - 1).append(", *a").append(i - 1).append("]\n");
        }
        assertThrows(ManifestException.class, () -> Manifests.parse(bomb.toString()));
    }

    @Test
    void rejectsBadWorkloadIdsAndConfigQuantities() {
        assertThrows(RuntimeEngineException.class, () -> PodPlan.plan("test", "Bad_Id", Manifests.parse(POD), DeployConfig.defaults()));
        DeployConfig bad = new DeployConfig(1, Optional.of("fast"), Optional.empty(), Map.of(), Map.of());
        RuntimeEngineException e = assertThrows(RuntimeEngineException.class, () -> PodPlan.plan("test", "ok", Manifests.parse(POD), bad));
        assertTrue(e.getMessage().contains("cpu limit"));
    }

    @ParameterizedTest
    @CsvSource({"500m,500", "0.5,500", "2,2000", "1.25,1250"})
    void cpuQuantities(String q, long millis) {
        assertEquals(millis, Quantities.cpuMillis(q));
    }

    @ParameterizedTest
    @CsvSource({"64Mi,67108864", "1G,1000000000", "1024,1024", "2Ki,2048"})
    void memoryQuantities(String q, long bytes) {
        assertEquals(bytes, Quantities.memoryBytes(q));
    }
}

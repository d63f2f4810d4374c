package io.hivemesh.workload.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.runtime.ManifestException;
import io.hivemesh.runtime.manifest.ManifestDocument;
import io.hivemesh.runtime.manifest.Manifests;
import java.util.List;
import org.junit.jupiter.api.Test;

class ManifestResourcesTest {
    private static final long MI = 1L << 20;
    private static final long GI = 1L << 30;
    private static final ManifestResources.Defaults DEFAULTS = ManifestResources.Defaults.STANDARD;

    private static final String POD = """
            apiVersion: v1
            kind: Pod
            metadata:
              name: web
            spec:
              containers:
                - name: nginx
                  image: docker.io/library/nginx:1.27
                  ports:
                    - containerPort: 80
                  resources:
                    requests:
                      cpu: 250m
                      memory: 64Mi
                    limits:
                      cpu: "1"
                      memory: 1Gi
            """;

    private static final String DEPLOYMENT = """
            apiVersion: apps/v1
            kind: Deployment
            metadata:
              name: api
              labels:
                app: api
            spec:
              replicas: 3
              selector:
                matchLabels:
                  app: api
              template:
                metadata:
                  labels:
                    app: api
                spec:
                  containers:
                    - name: server
                      image: docker.io/library/busybox:1.36
                      args: ["httpd", "-f", "-p", "8080"]
                      env:
                        - name: LEVEL
                          value: "123"
                        - name: FLAG
                          value: "yes"
                      resources:
                        requests:
                          cpu: 0.5
                          memory: "134217728"
                    - name: sidecar
                      image: docker.io/library/busybox:1.36
                      resources:
                        limits:
                          cpu: 2
                          memory: 2Gi
            """;

    @Test
    void podRequestsWinOverLimits() {
        ManifestResources.Parsed p = ManifestResources.parse(POD, DEFAULTS);
        assertEquals("web", p.name());
        assertEquals(1, p.replicas());
        assertEquals(250, p.cpuMillis());
        assertEquals(64 * MI, p.memoryBytes());
        assertEquals(1, p.documents().size());
    }

    @Test
    void deploymentSumsItsContainersWithLimitsWhereNoRequest() {
        ManifestResources.Parsed p = ManifestResources.parse(DEPLOYMENT, DEFAULTS);
        assertEquals("api", p.name());
        assertEquals(3, p.replicas());
        assertEquals(500 + 2000, p.cpuMillis());
        assertEquals(128 * MI + 2 * GI, p.memoryBytes());
    }

    @Test
    void containersWithoutResourcesCountAsTheDefaultsEachResourceApart() {
        String yaml = """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: plain
                spec:
                  containers:
                    - name: a
                      image: busybox
                    - name: b
                      image: busybox
                      resources:
                        requests:
                          cpu: 300m
                        limits:
                          memory: 1G
                """;
        ManifestResources.Parsed standard = ManifestResources.parse(yaml, DEFAULTS);
        assertEquals(100 + 300, standard.cpuMillis());
        assertEquals(128 * MI + 1_000_000_000L, standard.memoryBytes());
        ManifestResources.Parsed custom = ManifestResources.parse(yaml, new ManifestResources.Defaults(50, 32 * MI));
        assertEquals(50 + 300, custom.cpuMillis());
        assertEquals(32 * MI + 1_000_000_000L, custom.memoryBytes());
    }

    @Test
    void multiDocumentManifestIsOneTaskNamedByItsFirstDocument() {
        String yaml = POD + "---\n" + DEPLOYMENT.replace("replicas: 3", "replicas: 2");
        ManifestResources.Parsed p = ManifestResources.parse(yaml, DEFAULTS);
        assertEquals("web", p.name());
        assertEquals(2, p.replicas(), "the first Deployment's replicas");
        assertEquals(250 + 500 + 2000, p.cpuMillis());
        assertEquals(64 * MI + 128 * MI + 2 * GI, p.memoryBytes());
        assertEquals(2, p.documents().size());
    }

    @Test
    void deploymentWithoutReplicasHasOne() {
        ManifestResources.Parsed p = ManifestResources.parse(DEPLOYMENT.replace("  replicas: 3\n", ""), DEFAULTS);
        assertEquals(1, p.replicas());
    }

    @Test
    void invalidManifestIsRefusedWithTheValidatorsMessage() {
        String bad = POD.replace("memory: 64Mi", "memory: lots");
        ManifestException fromValidator = assertThrows(ManifestException.class, () -> Manifests.parse(bad));
        ManifestException e = assertThrows(ManifestException.class, () -> ManifestResources.parse(bad, DEFAULTS));
        assertEquals(fromValidator.getMessage(), e.getMessage());
        assertTrue(e.getMessage().contains("spec.containers[0].resources.requests.memory"), e.getMessage());

        ManifestException unknown = assertThrows(ManifestException.class,
                () -> ManifestResources.parse(POD.replace("  containers:", "  hostNetwork: true\n  containers:"), DEFAULTS));
        assertTrue(unknown.getMessage().contains("spec.hostNetwork"), unknown.getMessage());
        assertThrows(ManifestException.class, () -> ManifestResources.parse("", DEFAULTS));
        assertThrows(ManifestException.class, () -> ManifestResources.singleReplica("kind: [unclosed"));
    }

    @Test
    void requestAboveItsLimitIsRefusedNamingTheField() {
        String bad = POD.replace("cpu: 250m", "cpu: 1500m");
        ManifestException e = assertThrows(ManifestException.class, () -> ManifestResources.parse(bad, DEFAULTS));
        assertTrue(e.getMessage().contains("document 1 (Pod web): spec.containers[0].resources.requests.cpu"),
                e.getMessage());
        assertTrue(e.getMessage().contains("1500m") && e.getMessage().contains("1000m"), e.getMessage());
        String badMemory = POD.replace("memory: 1Gi", "memory: 32Mi");
        ManifestException m = assertThrows(ManifestException.class, () -> ManifestResources.parse(badMemory, DEFAULTS));
        assertTrue(m.getMessage().contains("requests.memory"), m.getMessage());
    }

    @Test
    void defaultsMustBePositive() {
        assertThrows(IllegalArgumentException.class, () -> new ManifestResources.Defaults(0, 1));
        assertThrows(IllegalArgumentException.class, () -> new ManifestResources.Defaults(1, -1));
    }

    @Test
    void singleReplicaSetsEveryDeploymentToOneAndKeepsTheRest() {
        String yaml = POD + "---\n" + DEPLOYMENT + "---\n"
                + DEPLOYMENT.replace("name: api", "name: worker").replace("  replicas: 3\n", "");
        String one = ManifestResources.singleReplica(yaml);
        List<ManifestDocument> before = Manifests.parse(yaml);
        List<ManifestDocument> after = Manifests.parse(one);
        assertEquals(3, after.size());
        for (int i = 0; i < 3; i++) {
            ManifestDocument b = before.get(i);
            ManifestDocument a = after.get(i);
            assertEquals(1, a.replicas(), a.name());
            assertEquals(new ManifestDocument(b.index(), b.kind(), b.name(), b.labels(), 1, b.restartPolicy(),
                    b.containers()), a, "only the replicas differ");
        }
        assertEquals("123", after.get(1).containers().get(0).env().get("LEVEL"), "a quoted number stays a string");
        assertEquals("yes", after.get(1).containers().get(0).env().get("FLAG"));
        ManifestResources.Parsed p = ManifestResources.parse(one, DEFAULTS);
        assertEquals(1, p.replicas());
        assertEquals(ManifestResources.parse(yaml, DEFAULTS).cpuMillis(), p.cpuMillis());
        assertEquals(ManifestResources.parse(yaml, DEFAULTS).memoryBytes(), p.memoryBytes());
    }

    @Test
    void singleReplicaOfAPodIsTheSamePod() {
        String one = ManifestResources.singleReplica(POD);
        assertEquals(Manifests.parse(POD), Manifests.parse(one));
        assertFalse(one.contains("replicas"));
    }

    @Test
    void emptyDocumentsAreSkipped() {
        String yaml = "---\n" + POD + "---\n---\n" + DEPLOYMENT;
        ManifestResources.Parsed p = ManifestResources.parse(yaml, DEFAULTS);
        assertEquals("web", p.name());
        assertEquals(250 + 500 + 2000, p.cpuMillis());
        assertEquals(2, Manifests.parse(ManifestResources.singleReplica(yaml)).size());
    }
}

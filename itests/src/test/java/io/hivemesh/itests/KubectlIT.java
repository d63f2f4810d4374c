package io.hivemesh.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The stock kubectl of the machine drives the mesh through node 1's Kubernetes-compatible API, with
 * three real nodes (separate JVMs) and real podman: apply (client-side and --server-side), rollout
 * status, get (server-side tables), -o yaml, describe, logs and logs -f, scale, delete; and the
 * API's refusals: no token, a revoked token, another tenant, malformed and oversize bodies, unknown
 * fields and kinds, a failing patch — each a proper Status, nothing half-applied; and the fabric8
 * Kubernetes client (a second, independent client) creating, watching, scaling and deleting through it.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class KubectlIT {
    private static final NodeScript SCRIPT = new NodeScript(Path.of("target/kubectl"),
            Integer.getInteger("hivemesh.it.portBase", 24000) + 5000);
    private static final Duration WAIT = Duration.ofSeconds(150);
    private static final Pattern POD_ROW = Pattern.compile("(?m)^(web-[0-9a-f]{10}-\\d+)\\s+(\\d+)/(\\d+)\\s+(\\S+)");
    private static Path work;
    private static Kubectl teamA;
    private static Kubectl teamB;
    private static final List<String> PEERS = new ArrayList<>();

    @BeforeAll
    static void startThreeNodes() throws Exception {
        work = Files.createTempDirectory("hivemesh-kubectl");
        for (int n = 1; n <= 3; n++) {
            NodeScript.Result c = SCRIPT.run("create", n);
            assertEquals(0, c.exit(), "create node " + n + ": " + c.out());
            Files.writeString(SCRIPT.nodeDir(n).resolve("etc/io.hivemesh.workload.cfg"),
                    "\nheartbeat_interval_ms = 1000\nengine = podman\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        }
        NodeScript.Result one = SCRIPT.run("start", 1);
        assertEquals(0, one.exit(), "start node 1: " + one.out());
        PEERS.add(SCRIPT.peerId(1));
        String boot = "/ip4/127.0.0.1/tcp/" + SCRIPT.port(1, 4) + "/p2p/" + PEERS.get(0);
        for (int n = 2; n <= 3; n++) {
            Files.writeString(SCRIPT.nodeDir(n).resolve("etc/io.hivemesh.discovery.cfg"), "\nbootstrap = " + boot + "\n",
                    StandardCharsets.UTF_8, StandardOpenOption.APPEND);
            NodeScript.Result s = SCRIPT.run("start", n);
            assertEquals(0, s.exit(), "start node " + n + ": " + s.out());
            PEERS.add(SCRIPT.peerId(n));
        }
        teamA = kubeconfig("itkube-a");
        teamB = kubeconfig("itkube-b");
        Files.writeString(work.resolve("web.yaml"), deployment(2, "tick"));
        Files.writeString(work.resolve("web-v2.yaml"), deployment(2, "tock"));
    }

    private static Kubectl kubeconfig(String tenant) throws Exception {
        Path file = work.resolve(tenant + ".kubeconfig");
        NodeScript.Result r = SCRIPT.run("exec", 1, "rest:kubeconfig --tenant " + tenant + " " + file);
        assertEquals(0, r.exit(), r.out());
        assertTrue(Files.isRegularFile(file), r.out());
        return new Kubectl(file, work.resolve("kube-cache-" + tenant));
    }

    private static String deployment(int replicas, String word) {
        return """
                apiVersion: apps/v1
                kind: Deployment
                metadata:
                  name: web
                  labels: {app: web}
                spec:
                  replicas: %d
                  selector:
                    matchLabels: {app: web}
                  template:
                    metadata:
                      labels: {app: web}
                    spec:
                      containers:
                      - name: main
                        image: localhost/busybox:latest
                        command: [sh, -c, "i=0; while true; do echo %s $i; i=$((i+1)); sleep 1; done"]
                        resources: {requests: {cpu: 50m, memory: 16Mi}}
                """.formatted(replicas, word);
    }

    @AfterAll
    static void destroy() throws Exception {
        for (int n = 1; n <= 3; n++) {
            SCRIPT.run("destroy", n);
        }
        // Pods outlive their node by design (a restart finds them again): a failed test must not leave any.
        for (String peer : PEERS) {
            sh("podman pod ps -q --filter label=io.hivemesh.node=" + peer + " | xargs -r podman pod rm -f -t 0");
        }
    }

    @Test
    @Order(1)
    void kubectlAppliesFollowsScalesAndDeletesADeployment() throws Exception {
        teamA.await(out -> PEERS.stream().allMatch(out::contains) && count(out, " Ready ") == 3,
                "kubectl get nodes lists the three mesh nodes as Ready", WAIT, "get", "nodes");

        Kubectl.Result applied = teamA.run("apply", "-f", work.resolve("web.yaml").toString());
        assertEquals(0, applied.exit(), applied.out());
        assertTrue(applied.out().contains("deployment.apps/web created"), applied.out());
        rolledOut();
        String deploys = teamA.run("get", "deployments").out();
        assertTrue(deploys.matches("(?s).*NAME\\s+READY\\s+UP-TO-DATE\\s+AVAILABLE\\s+AGE.*"), deploys);
        assertTrue(Pattern.compile("(?m)^web\\s+2/2\\s+2\\s+2\\s").matcher(deploys).find(), deploys);
        String pods = teamA.run("get", "pods").out();
        List<String> names = running(pods);
        assertEquals(2, names.size(), pods);

        String yaml = teamA.run("get", "pod", names.get(0), "-o", "yaml").out();
        assertTrue(yaml.contains("kind: Pod") && yaml.contains("nodeName: 12D3KooW") && yaml.contains("phase: Running"), yaml);
        String describe = teamA.run("describe", "pod", names.get(0)).out();
        assertTrue(describe.contains("Controlled By:  Deployment/web") && describe.contains("Status:         Running"),
                describe);
        String describeDeploy = teamA.run("describe", "deployment", "web").out();
        assertTrue(describeDeploy.contains("Replicas:") && describeDeploy.contains("Awarded"), describeDeploy);
        String events = teamA.run("get", "events").out();
        assertTrue(events.contains("deployment/web") && events.contains("Deployed"), events);

        String logs = teamA.await(out -> out.contains("tick "), "the pod's log has lines", WAIT, "logs", names.get(0));
        assertTrue(logs.lines().filter(l -> l.startsWith("tick ")).count() >= 1, logs);
        follow(names.get(0));

        Kubectl.Result configured = teamA.run("apply", "-f", work.resolve("web-v2.yaml").toString());
        assertEquals(0, configured.exit(), configured.out());
        assertTrue(configured.out().contains("deployment.apps/web configured"), configured.out());
        rolledOut();
        List<String> v2 = running(teamA.run("get", "pods").out());
        assertEquals(2, v2.size());
        assertTrue(v2.stream().noneMatch(names::contains), "a spec change rolls new pods: " + v2 + " vs " + names);
        teamA.await(out -> out.contains("tock "), "the updated pods run the new command", WAIT, "logs", v2.get(0));

        Kubectl.Result ssa = teamA.run("apply", "--server-side", "-f", work.resolve("web-v2.yaml").toString());
        assertEquals(0, ssa.exit(), ssa.out());
        assertTrue(ssa.out().contains("deployment.apps/web serverside-applied"), ssa.out());

        Kubectl.Result scaled = teamA.run("scale", "deployment", "web", "--replicas=3");
        assertEquals(0, scaled.exit(), scaled.out());
        assertTrue(scaled.out().contains("deployment.apps/web scaled"), scaled.out());
        rolledOut();
        assertEquals(3, running(teamA.run("get", "pods").out()).size());
        String wide = teamA.run("get", "pods", "-o", "wide").out();
        assertEquals(3, PEERS.stream().filter(wide::contains).count(), "three replicas on three distinct nodes: " + wide);

        String task = teamA.run("get", "pod", running(teamA.run("get", "pods").out()).get(0), "-o",
                "jsonpath={.metadata.annotations.hivemesh\\.io/task}").out().strip();
        assertTrue(task.matches("[0-9a-f]{32}"), task);
        Kubectl.Result deleted = teamA.run("delete", "-f", work.resolve("web.yaml").toString());
        assertEquals(0, deleted.exit(), deleted.out());
        assertTrue(deleted.out().contains("deployment.apps \"web\" deleted"), deleted.out());
        Kubectl.Result gone = teamA.run("get", "deployment", "web");
        assertNotEquals(0, gone.exit());
        assertTrue(gone.out().contains("Error from server (NotFound): deployments.apps \"web\" not found"), gone.out());
        long end = System.nanoTime() + WAIT.toNanos();
        while (pods(task) != 0 && System.nanoTime() < end) {
            Thread.sleep(500);
        }
        if (pods(task) != 0) {
            StringBuilder why = new StringBuilder("no pod of the deleted deployment is left in podman; left: ");
            why.append(sh("podman ps -a --filter label=io.hivemesh.task=" + task
                    + " --format '{{.Names}} {{.Status}} node={{index .Labels \"io.hivemesh.node\"}} {{.Labels}}'"));
            for (int n = 1; n <= 3; n++) {
                why.append("\nnode ").append(n).append(" log:\n").append(sh("grep -h " + task.substring(0, 12) + " "
                        + SCRIPT.nodeDir(n).resolve("data/log/karaf.log") + " | tail -40"));
            }
            throw new AssertionError(why.toString());
        }
        teamA.await(out -> out.contains("No resources found in itkube-a namespace."), "no pod is listed", WAIT,
                "get", "pods");
    }

    @Test
    @Order(2)
    void refusalsAreStatusObjectsAndLeaveNothingBehind() throws Exception {
        Kubectl.Result other = teamB.run("get", "deployments", "-n", "itkube-a");
        assertNotEquals(0, other.exit());
        assertTrue(other.out().contains("Error from server (Forbidden)") && other.out().contains("itkube-b"), other.out());

        Kubectl unknown = teamA.withToken(work.resolve("unknown.kubeconfig"), "unknown0.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
        Kubectl.Result none = unknown.run("get", "pods");
        assertNotEquals(0, none.exit());
        assertTrue(none.out().contains("You must be logged in to the server"), none.out());

        NodeScript.Result created = SCRIPT.run("exec", 1, "rest:token-create --tenant itkube-a --ttl 1h");
        assertEquals(0, created.exit(), created.out());
        Matcher tm = Pattern.compile("([A-Za-z0-9_-]{8,}\\.[A-Za-z0-9_-]{20,})").matcher(created.out());
        assertTrue(tm.find(), created.out());
        String token = tm.group(1);
        Kubectl revocable = teamA.withToken(work.resolve("revocable.kubeconfig"), token);
        assertEquals(0, revocable.run("get", "pods").exit(), "a fresh token works");
        NodeScript.Result revoked = SCRIPT.run("exec", 1, "rest:token-revoke " + token.substring(0, token.indexOf('.')));
        assertEquals(0, revoked.exit(), revoked.out());
        Kubectl.Result after = revocable.run("get", "pods");
        assertNotEquals(0, after.exit());
        assertTrue(after.out().contains("You must be logged in to the server"), after.out());

        Path unknownField = work.resolve("unknown-field.yaml");
        Files.writeString(unknownField, deployment(1, "x").replace("        resources:", "        sidecarMagic: true\n        resources:"));
        Kubectl.Result refused = teamA.run("apply", "-f", unknownField.toString());
        assertNotEquals(0, refused.exit());
        assertTrue(refused.out().contains("sidecarMagic"), "the refusal names the field: " + refused.out());
        assertNotEquals(0, teamA.run("get", "deployment", "web").exit(), "nothing was stored");

        Path job = work.resolve("job.yaml");
        Files.writeString(job, "apiVersion: batch/v1\nkind: Job\nmetadata: {name: j}\nspec: {template: {spec: {containers: []}}}\n");
        Kubectl.Result unvalidated = teamA.run("apply", "-f", job.toString());
        assertNotEquals(0, unvalidated.exit());
        assertTrue(unvalidated.out().contains("error validating"), "no OpenAPI for batch/v1: " + unvalidated.out());
        Kubectl.Result unknownKind = teamA.run("apply", "--validate=false", "-f", job.toString());
        assertNotEquals(0, unknownKind.exit());
        assertTrue(unknownKind.out().contains("no matches for kind \"Job\""), unknownKind.out());

        HttpClient http = HttpClient.newBuilder().sslContext(teamA.tls()).connectTimeout(Duration.ofSeconds(5)).build();
        String base = teamA.field("server");
        String bearer = "Bearer " + teamA.field("token");
        HttpResponse<String> version = http.send(HttpRequest.newBuilder(URI.create(base + "/version")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(200, version.statusCode());
        assertTrue(version.body().contains("\"minor\":\"32\""), version.body());
        HttpResponse<String> noAuth = http.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/namespaces/itkube-a/pods"))
                .build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(401, noAuth.statusCode());
        assertTrue(noAuth.body().contains("\"kind\":\"Status\"") && noAuth.body().contains("\"reason\":\"Unauthorized\""),
                noAuth.body());

        String deployments = base + "/apis/apps/v1/namespaces/itkube-a/deployments";
        HttpResponse<String> malformed = http.send(HttpRequest.newBuilder(URI.create(deployments))
                .header("Authorization", bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"apiVersion\": \"apps/v1\", \"kind\": ")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(400, malformed.statusCode(), malformed.body());
        assertTrue(malformed.body().contains("\"reason\":\"BadRequest\"") && malformed.body().contains("not valid JSON"),
                malformed.body());

        byte[] huge = new byte[4 * 1024 * 1024];
        java.util.Arrays.fill(huge, (byte) ' ');
        huge[0] = '{';
        huge[huge.length - 1] = '}';
        HttpResponse<String> oversize = http.send(HttpRequest.newBuilder(URI.create(deployments))
                .header("Authorization", bearer).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofByteArray(huge)).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(413, oversize.statusCode(), oversize.body());
        assertTrue(oversize.body().contains("\"kind\":\"Status\""), oversize.body());

        Kubectl.Result created1 = teamA.run("apply", "-f", work.resolve("web.yaml").toString());
        assertEquals(0, created1.exit(), created1.out());
        String before = teamA.run("get", "deployment", "web", "-o", "jsonpath={.metadata.resourceVersion}/{.spec.replicas}").out();
        HttpResponse<String> badPatch = http.send(HttpRequest.newBuilder(URI.create(deployments + "/web"))
                .header("Authorization", bearer).header("Content-Type", "application/json-patch+json")
                .method("PATCH", HttpRequest.BodyPublishers.ofString(
                        "[{\"op\":\"replace\",\"path\":\"/spec/replicas\",\"value\":5},"
                                + "{\"op\":\"test\",\"path\":\"/spec/replicas\",\"value\":7}]")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertTrue(badPatch.statusCode() >= 400 && badPatch.statusCode() < 500, badPatch.statusCode() + " " + badPatch.body());
        assertTrue(badPatch.body().contains("\"kind\":\"Status\""), badPatch.body());
        String afterPatch = teamA.run("get", "deployment", "web", "-o", "jsonpath={.metadata.resourceVersion}/{.spec.replicas}").out();
        assertEquals(before.split("/")[1], afterPatch.split("/")[1], "a failed patch changes nothing");
        Kubectl.Result cleaned = teamA.run("delete", "deployment", "web");
        assertEquals(0, cleaned.exit(), cleaned.out());
    }

    @Test
    @Order(3)
    void theFabric8ClientDrivesTheSameApi() throws Exception {
        io.fabric8.kubernetes.client.Config config = io.fabric8.kubernetes.client.Config.fromKubeconfig(
                Files.readString(teamA.kubeconfig()));
        // Watches over HTTP streaming, as kubectl does: this API answers no WebSocket upgrade (400).
        config.setOnlyHttpWatches(true);
        try (io.fabric8.kubernetes.client.KubernetesClient client =
                     new io.fabric8.kubernetes.client.KubernetesClientBuilder().withConfig(config).build()) {
            io.fabric8.kubernetes.api.model.apps.Deployment d = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder()
                    .withNewMetadata().withName("f8").endMetadata()
                    .withNewSpec().withReplicas(1)
                    .withNewSelector().addToMatchLabels("app", "f8").endSelector()
                    .withNewTemplate().withNewMetadata().addToLabels("app", "f8").endMetadata()
                    .withNewSpec().addNewContainer().withName("main").withImage("localhost/busybox:latest")
                    .withCommand("sh", "-c", "echo f8-hello; exec sleep 3600")
                    .withNewResources()
                    .addToRequests("cpu", new io.fabric8.kubernetes.api.model.Quantity("50m"))
                    .addToRequests("memory", new io.fabric8.kubernetes.api.model.Quantity("16Mi"))
                    .endResources().endContainer().endSpec().endTemplate().endSpec().build();
            var deployments = client.apps().deployments().inNamespace("itkube-a");
            io.fabric8.kubernetes.api.model.apps.Deployment created = deployments.resource(d).create();
            assertEquals(1L, created.getMetadata().getGeneration());
            assertTrue(created.getMetadata().getUid() != null && !created.getMetadata().getUid().isEmpty());
            deployments.withName("f8").waitUntilCondition(x -> x != null && x.getStatus() != null
                    && Integer.valueOf(1).equals(x.getStatus().getAvailableReplicas()), WAIT.toSeconds(), TimeUnit.SECONDS);
            var pods = client.pods().inNamespace("itkube-a").withLabel("app", "f8").list().getItems();
            assertEquals(1, pods.size());
            assertEquals("Running", pods.get(0).getStatus().getPhase());
            String podName = pods.get(0).getMetadata().getName();
            long end = System.nanoTime() + WAIT.toNanos();
            String log = "";
            while (!log.contains("f8-hello") && System.nanoTime() < end) {
                log = client.pods().inNamespace("itkube-a").withName(podName).getLog();
                Thread.sleep(500);
            }
            assertTrue(log.contains("f8-hello"), log);

            deployments.withName("f8").scale(2);
            deployments.withName("f8").waitUntilCondition(x -> x != null && x.getStatus() != null
                    && Integer.valueOf(2).equals(x.getStatus().getAvailableReplicas())
                    && Long.valueOf(2).equals(x.getStatus().getObservedGeneration()), WAIT.toSeconds(), TimeUnit.SECONDS);

            io.fabric8.kubernetes.client.KubernetesClientException forbidden = org.junit.jupiter.api.Assertions.assertThrows(
                    io.fabric8.kubernetes.client.KubernetesClientException.class,
                    () -> client.pods().inNamespace("itkube-b").list());
            assertEquals(403, forbidden.getCode());

            assertTrue(!deployments.withName("f8").delete().isEmpty());
            deployments.withName("f8").waitUntilCondition(java.util.Objects::isNull, WAIT.toSeconds(), TimeUnit.SECONDS);
            end = System.nanoTime() + WAIT.toNanos();
            while (!client.pods().inNamespace("itkube-a").withLabel("app", "f8").list().getItems().isEmpty()
                    && System.nanoTime() < end) {
                Thread.sleep(500);
            }
            assertTrue(client.pods().inNamespace("itkube-a").withLabel("app", "f8").list().getItems().isEmpty());
        }
    }

    private static void rolledOut() throws Exception {
        Kubectl.Result r = teamA.run(WAIT, "rollout", "status", "deployment/web", "--timeout=" + WAIT.toSeconds() + "s");
        assertEquals(0, r.exit(), r.out());
        assertTrue(r.out().contains("deployment \"web\" successfully rolled out"), r.out());
    }

    /** {@code kubectl logs -f} streams: a line newer than the first one seen arrives, then the stream is cut. */
    private static void follow(String pod) throws Exception {
        Process p = new ProcessBuilder("kubectl", "--kubeconfig", teamA.kubeconfig().toString(), "--cache-dir",
                work.resolve("kube-cache-itkube-a").toString(), "logs", "-f", pod).redirectErrorStream(true).start();
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            int first = -1;
            String line;
            List<String> seen = new ArrayList<>();
            while (System.nanoTime() < end && (line = in.readLine()) != null) {
                seen.add(line);
                Matcher m = Pattern.compile("^tick (\\d+)$").matcher(line);
                if (m.matches()) {
                    int n = Integer.parseInt(m.group(1));
                    if (first < 0) {
                        first = n;
                    } else if (n >= first + 2) {
                        return;
                    }
                }
            }
            throw new AssertionError("logs -f did not stream new lines: " + seen);
        } finally {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static List<String> running(String table) {
        List<String> out = new ArrayList<>();
        Matcher m = POD_ROW.matcher(table);
        while (m.find()) {
            if (m.group(4).equals("Running") && m.group(2).equals(m.group(3))) {
                out.add(m.group(1));
            }
        }
        return out;
    }

    private static String sh(String command) throws Exception {
        Process p = new ProcessBuilder("sh", "-c", command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return out;
    }

    private static int count(String s, String what) {
        return s.split(Pattern.quote(what), -1).length - 1;
    }

    private static int pods(String taskId) throws Exception {
        Process p = new ProcessBuilder("podman", "ps", "-q", "--filter", "label=io.hivemesh.task=" + taskId)
                .redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(30, TimeUnit.SECONDS);
        return (int) out.lines().filter(l -> !l.isBlank()).count();
    }
}

package io.hivemesh.runtime.docker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.api.runtime.DeployConfig;
import io.hivemesh.api.runtime.EngineInfo;
import io.hivemesh.api.runtime.NoSuchWorkloadException;
import io.hivemesh.api.runtime.PortMapping;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.RuntimeEngineException;
import io.hivemesh.api.runtime.WorkloadState;
import io.hivemesh.api.runtime.WorkloadStatus;
import io.hivemesh.runtime.manifest.ContainerObservation;
import io.hivemesh.runtime.manifest.ContainerSpec;
import io.hivemesh.runtime.manifest.Manifests;
import io.hivemesh.runtime.manifest.PodPlan;
import io.hivemesh.runtime.manifest.PodSpec;
import io.hivemesh.runtime.manifest.PortSpec;
import io.hivemesh.runtime.manifest.WorkloadStatuses;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * {@link RuntimeEngine} on the Docker Engine API (unix socket). A Pod becomes containers sharing one
 * network namespace: the pod's first container owns it and publishes every port of the pod; the
 * others join it with {@code NetworkMode: container:<id>}. Every container carries the workload label
 * and {@value #POD_LABEL}, so the engine keeps no state: status, list, logs and remove ask the daemon
 * by label. A deploy first removes the workload's old containers, then creates and starts the new
 * ones; if anything fails, every container it created is removed. Images missing locally are pulled
 * once ({@code POST /images/create}). Only documented, long-stable endpoints are used, so the same
 * code runs against Docker and against podman's compatible API. Thread-safe.
 */
public final class DockerEngine implements RuntimeEngine {
    public static final String NAME = "docker";
    static final String POD_LABEL = "io.hivemesh.pod";
    /** Marks the container that owns its pod's network namespace. */
    static final String OWNER_LABEL = "io.hivemesh.pod-netns-owner";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnixHttpClient http;
    private final String api;
    private final ExecutorService executor;
    private final List<UnixHttpClient.Streamed> following = new CopyOnWriteArrayList<>();

    public DockerEngine(UnixHttpClient http, String apiVersion, ExecutorService executor) {
        this.http = http;
        this.api = "/" + apiVersion.replaceFirst("^/", "");
        this.executor = executor;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletableFuture<EngineInfo> info() {
        return async(() -> {
            JsonNode v = json("GET", "/version", null, "version");
            return new EngineInfo(NAME, true, v.path("Version").asText() + " (API " + v.path("ApiVersion").asText() + ")", "");
        }).exceptionally(t -> new EngineInfo(NAME, false, "", unwrap(t).getMessage()));
    }

    @Override
    public void validate(String manifestYaml) {
        Manifests.parse(manifestYaml);
    }

    @Override
    public CompletableFuture<WorkloadStatus> deploy(String workloadId, String manifestYaml, DeployConfig config) {
        return async(() -> {
            List<PodSpec> pods = PodPlan.plan(NAME, workloadId, Manifests.parse(manifestYaml), config);
            List<String> created = new ArrayList<>();
            try {
                removeAll(containers(RuntimeEngine.WORKLOAD_LABEL + "=" + workloadId));
                for (PodSpec pod : pods) {
                    String owner = null;
                    for (ContainerSpec c : pod.containers()) {
                        String id = create(pod, c, owner);
                        created.add(id);
                        expect(send("POST", "/containers/" + id + "/start", null), "starting " + pod.name() + "-" + c.name());
                        owner = owner == null ? id : owner;
                    }
                }
            } catch (RuntimeEngineException e) {
                String message = NAME + ": deploy of workload " + workloadId + " failed: " + e.getMessage();
                try {
                    removeAll(containers(RuntimeEngine.WORKLOAD_LABEL + "=" + workloadId));
                    for (String id : created) {
                        removeContainer(id);
                    }
                    throw new RuntimeEngineException(message + " (partial containers removed)", e);
                } catch (RuntimeEngineException cleanup) {
                    if (cleanup.getMessage().startsWith(message)) {
                        throw cleanup;
                    }
                    throw new RuntimeEngineException(message + "; clean-up failed too: " + cleanup.getMessage(), e);
                }
            }
            return statusNow(workloadId);
        });
    }

    /** Creates one container (pulling its image once if the daemon lacks it); returns its id. */
    private String create(PodSpec pod, ContainerSpec c, String owner) {
        ObjectNode body = JSON.createObjectNode();
        body.put("Image", c.image());
        if (!c.command().isEmpty()) {
            ArrayNode entrypoint = body.putArray("Entrypoint");
            c.command().forEach(entrypoint::add);
        }
        if (!c.args().isEmpty() || !c.command().isEmpty()) {
            ArrayNode cmd = body.putArray("Cmd");
            c.args().forEach(cmd::add);
        }
        ArrayNode env = body.putArray("Env");
        c.env().forEach((k, v) -> env.add(k + "=" + v));
        ObjectNode labels = body.putObject("Labels");
        pod.labels().forEach(labels::put);
        labels.put(POD_LABEL, pod.name());
        if (owner == null) {
            labels.put(OWNER_LABEL, "true");
        }
        body.put("Tty", false);
        ObjectNode host = body.putObject("HostConfig");
        c.cpuMillis().ifPresent(m -> host.put("NanoCpus", m * 1_000_000L));
        c.memoryBytes().ifPresent(b -> host.put("Memory", b));
        host.putObject("RestartPolicy").put("Name", switch (pod.restartPolicy()) {
            case "Always" -> "always";
            case "OnFailure" -> "on-failure";
            default -> "no";
        });
        if (owner == null) {
            ObjectNode exposed = body.putObject("ExposedPorts");
            ObjectNode bindings = host.putObject("PortBindings");
            for (ContainerSpec member : pod.containers()) {
                for (PortSpec p : member.ports()) {
                    String key = p.containerPort() + "/" + p.protocol();
                    exposed.putObject(key);
                    if (p.hostPort() != 0) {
                        ArrayNode list = bindings.has(key) ? (ArrayNode) bindings.get(key) : bindings.putArray(key);
                        list.addObject().put("HostIp", p.hostIp()).put("HostPort", Integer.toString(p.hostPort()));
                    }
                }
            }
        } else {
            host.put("NetworkMode", "container:" + owner);
        }
        String name = pod.name() + "-" + c.name();
        String path = "/containers/create?name=" + URLEncoder.encode(name, StandardCharsets.UTF_8);
        byte[] bytes = bytes(body);
        UnixHttpClient.Response r = send("POST", path, bytes);
        if (r.status() == 404) {
            pull(c.image());
            r = send("POST", path, bytes);
        }
        expect(r, "creating container " + name);
        return parse(r).path("Id").asText();
    }

    private void pull(String image) {
        String ref = image;
        String tag = "latest";
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        if (image.contains("@")) {
            tag = "";
        } else if (colon > slash) {
            ref = image.substring(0, colon);
            tag = image.substring(colon + 1);
        }
        String path = "/images/create?fromImage=" + URLEncoder.encode(ref, StandardCharsets.UTF_8)
                + (tag.isEmpty() ? "" : "&tag=" + URLEncoder.encode(tag, StandardCharsets.UTF_8));
        UnixHttpClient.Response r = send("POST", path, null);
        expect(r, "pulling image " + image);
        // The daemon reports a failed pull inside the 200 progress stream: {"error": "..."}.
        for (String line : r.text().split("\n")) {
            if (line.contains("\"error\"")) {
                JsonNode n = parse(new UnixHttpClient.Response(200, line.getBytes(StandardCharsets.UTF_8)));
                throw new RuntimeEngineException("pulling image " + image + " failed: " + n.path("error").asText());
            }
        }
    }

    @Override
    public CompletableFuture<WorkloadStatus> status(String workloadId) {
        return async(() -> statusNow(PodPlan.checkWorkloadId(workloadId)));
    }

    private WorkloadStatus statusNow(String workloadId) {
        List<ContainerObservation> observed = observe(RuntimeEngine.WORKLOAD_LABEL + "=" + workloadId);
        if (observed.isEmpty()) {
            throw new NoSuchWorkloadException(NAME + ": no workload " + workloadId);
        }
        return WorkloadStatuses.of(workloadId, NAME, observed);
    }

    @Override
    public CompletableFuture<List<WorkloadStatus>> list() {
        return async(() -> WorkloadStatuses.group(NAME, observe(RuntimeEngine.WORKLOAD_LABEL)));
    }

    @Override
    public CompletableFuture<List<String>> logs(String workloadId, int tail) {
        return async(() -> {
            List<Container> containers = require(workloadId);
            List<String> lines = new ArrayList<>();
            for (Container c : containers) {
                String prefix = containers.size() > 1 ? c.name() + " | " : "";
                UnixHttpClient.Response r = send("GET", "/containers/" + c.id() + "/logs?stdout=1&stderr=1&tail="
                        + Math.max(0, tail), null);
                expect(r, "logs of " + c.name());
                try {
                    LogFrames.decode(new java.io.ByteArrayInputStream(r.body()), l -> lines.add(prefix + l));
                } catch (IOException e) {
                    throw new RuntimeEngineException(NAME + ": logs of " + c.name() + ": " + e.getMessage(), e);
                }
            }
            return lines;
        });
    }

    @Override
    public CompletableFuture<Void> followLogs(String workloadId, int tail, Consumer<String> onLine) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        List<UnixHttpClient.Streamed> streams = new CopyOnWriteArrayList<>();
        result.whenComplete((v, t) -> streams.forEach(s -> {
            following.remove(s);
            closeQuietly(s);
        }));
        async(() -> require(workloadId)).whenComplete((containers, failure) -> {
            if (failure != null) {
                result.completeExceptionally(unwrap(failure));
                return;
            }
            List<CompletableFuture<Void>> readers = new ArrayList<>();
            for (Container c : containers) {
                String prefix = containers.size() > 1 ? c.name() + " | " : "";
                try {
                    UnixHttpClient.Streamed s = http.open("GET", api + "/containers/" + c.id()
                            + "/logs?stdout=1&stderr=1&follow=1&tail=" + Math.max(0, tail), null);
                    streams.add(s);
                    following.add(s);
                    if (s.status != 200) {
                        throw new IOException("the daemon answered " + s.status);
                    }
                    readers.add(CompletableFuture.runAsync(() -> {
                        try {
                            LogFrames.decode(s.body, l -> onLine.accept(prefix + l));
                        } catch (IOException e) {
                            if (!result.isDone()) {
                                throw new RuntimeEngineException(NAME + ": log stream of workload " + workloadId
                                        + " broke: " + e.getMessage(), e);
                            }
                        }
                    }, r -> {
                        Thread t = new Thread(r, "hivemesh-docker-logs");
                        t.setDaemon(true);
                        t.start();
                    }));
                } catch (IOException e) {
                    result.completeExceptionally(new RuntimeEngineException(NAME + ": cannot follow logs of "
                            + c.name() + ": " + e.getMessage(), e));
                    return;
                }
            }
            CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new)).whenComplete((v, t) -> {
                if (t != null) {
                    result.completeExceptionally(unwrap(t));
                } else if (!result.isDone()) {
                    async(() -> endOfStream(workloadId)).whenComplete((v2, t2) -> {
                        if (t2 != null) {
                            result.completeExceptionally(unwrap(t2));
                        } else {
                            result.complete(null);
                        }
                    });
                }
            });
        });
        return result;
    }

    /** The log streams ended: normal if the workload stopped; an error if the daemon is gone or it still runs. */
    private Void endOfStream(String workloadId) {
        WorkloadStatus status;
        try {
            status = statusNow(workloadId);
        } catch (NoSuchWorkloadException e) {
            return null;
        } catch (RuntimeEngineException e) {
            throw new RuntimeEngineException(NAME + ": log stream of workload " + workloadId
                    + " ended: the runtime does not answer: " + e.getMessage(), e);
        }
        if (status.state() == WorkloadState.RUNNING) {
            throw new RuntimeEngineException(NAME + ": log stream of workload " + workloadId
                    + " ended while the workload still runs");
        }
        return null;
    }

    @Override
    public CompletableFuture<Void> remove(String workloadId) {
        return async(() -> {
            removeAll(require(workloadId));
            return null;
        });
    }

    /** Closes every log follower (engine deactivation). */
    public void close() {
        following.forEach(DockerEngine::closeQuietly);
        following.clear();
    }

    /** Removes containers, members before the owners of their pod's network namespace. */
    private void removeAll(List<Container> containers) {
        List<Container> ordered = new ArrayList<>(containers);
        ordered.sort(Comparator.comparing((Container c) -> c.labels().containsKey(OWNER_LABEL) ? 1 : 0));
        for (Container c : ordered) {
            removeContainer(c.id());
        }
    }

    private void removeContainer(String id) {
        UnixHttpClient.Response r = send("DELETE", "/containers/" + id + "?force=1&v=1", null);
        if (r.status() != 404) {
            expect(r, "removing container " + id);
        }
    }

    record Container(String id, String name, String state, Map<String, String> labels, List<PortMapping> ports) {
    }

    private List<Container> require(String workloadId) {
        PodPlan.checkWorkloadId(workloadId);
        List<Container> containers = containers(RuntimeEngine.WORKLOAD_LABEL + "=" + workloadId);
        if (containers.isEmpty()) {
            throw new NoSuchWorkloadException(NAME + ": no workload " + workloadId);
        }
        return containers;
    }

    private List<Container> containers(String labelFilter) {
        ObjectNode filters = JSON.createObjectNode();
        filters.putArray("label").add(labelFilter).add(PodPlan.ENGINE_LABEL + "=" + NAME);
        String path = "/containers/json?all=1&filters=" + URLEncoder.encode(filters.toString(), StandardCharsets.UTF_8);
        JsonNode list = json("GET", path, null, "listing containers");
        List<Container> out = new ArrayList<>();
        for (JsonNode c : list) {
            String name = c.path("Names").path(0).asText(c.path("Id").asText()).replaceFirst("^/", "");
            Map<String, String> labels = new HashMap<>();
            c.path("Labels").fields().forEachRemaining(e -> labels.put(e.getKey(), e.getValue().asText()));
            List<PortMapping> ports = new ArrayList<>();
            for (JsonNode p : c.path("Ports")) {
                if (p.path("PublicPort").asInt(0) != 0) {
                    ports.add(new PortMapping(name, p.path("PrivatePort").asInt(), p.path("Type").asText("tcp"),
                            p.path("IP").asText(""), p.path("PublicPort").asInt()));
                }
            }
            out.add(new Container(c.path("Id").asText(), name, c.path("State").asText(), labels, ports));
        }
        out.sort(Comparator.comparing(Container::name));
        return out;
    }

    /** Containers with their exit code and error (inspected when not running). */
    private List<ContainerObservation> observe(String labelFilter) {
        List<ContainerObservation> out = new ArrayList<>();
        for (Container c : containers(labelFilter)) {
            int exit = 0;
            String error = "";
            if (!c.state().equals("running")) {
                UnixHttpClient.Response r = send("GET", "/containers/" + c.id() + "/json", null);
                if (r.status() == 200) {
                    JsonNode state = parse(r).path("State");
                    exit = state.path("ExitCode").asInt(0);
                    error = state.path("Error").asText("");
                    if (state.path("OOMKilled").asBoolean(false)) {
                        error = error.isEmpty() ? "killed: out of memory" : error + "; killed: out of memory";
                    }
                }
            }
            out.add(new ContainerObservation(c.name(), c.labels(), c.state(), exit, error, c.ports()));
        }
        return out;
    }

    private JsonNode json(String method, String path, byte[] body, String what) {
        UnixHttpClient.Response r = send(method, path, body);
        expect(r, what);
        return parse(r);
    }

    private UnixHttpClient.Response send(String method, String path, byte[] body) {
        try {
            return http.call(method, api + path, body);
        } catch (IOException e) {
            throw new RuntimeEngineException(NAME + ": the daemon at " + http.socket() + " does not answer "
                    + method + " " + path.replaceFirst("\\?.*", "") + ": " + e.getMessage(), e);
        }
    }

    private static void expect(UnixHttpClient.Response r, String what) {
        if (r.status() / 100 != 2) {
            String message = r.text().strip();
            try {
                JsonNode n = JSON.readTree(r.body());
                if (n != null && n.has("message")) {
                    message = n.path("message").asText();
                }
            } catch (IOException notJson) {
                // keep the raw text
            }
            throw new RuntimeEngineException(what + " failed (HTTP " + r.status() + "): " + message);
        }
    }

    private static JsonNode parse(UnixHttpClient.Response r) {
        try {
            return JSON.readTree(r.body());
        } catch (IOException e) {
            throw new RuntimeEngineException(NAME + ": the daemon answered with invalid JSON: " + e.getMessage(), e);
        }
    }

    private static byte[] bytes(JsonNode node) {
        try {
            return JSON.writeValueAsBytes(node);
        } catch (IOException e) {
            throw new RuntimeEngineException(NAME + ": cannot encode a request: " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(UnixHttpClient.Streamed s) {
        try {
            s.close();
        } catch (IOException ignored) {
            // already closed
        }
    }

    private <T> CompletableFuture<T> async(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, executor);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new RuntimeEngineException(NAME + " engine is stopped"));
        }
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}

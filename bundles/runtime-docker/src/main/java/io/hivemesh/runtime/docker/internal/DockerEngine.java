package io.hivemesh.runtime.docker.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.api.runtime.EngineInfo;
import io.hivemesh.api.runtime.PortMapping;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.RuntimeEngineException;
import io.hivemesh.runtime.manifest.ContainerObservation;
import io.hivemesh.runtime.manifest.ContainerSpec;
import io.hivemesh.runtime.manifest.PodPlan;
import io.hivemesh.runtime.manifest.PodSpec;
import io.hivemesh.runtime.manifest.PortSpec;
import io.hivemesh.runtime.spi.ContainerRuntimeEngine;
import io.hivemesh.runtime.spi.ContainerRuntimeEngine.LogStream;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;

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
public final class DockerEngine extends ContainerRuntimeEngine<DockerEngine.Container> {
    public static final String NAME = "docker";
    static final String POD_LABEL = "io.hivemesh.pod";
    /** Marks the container that owns its pod's network namespace. */
    static final String OWNER_LABEL = "io.hivemesh.pod-netns-owner";
    private static final ObjectMapper JSON = new ObjectMapper();

    private final UnixHttpClient http;
    private final String api;

    public DockerEngine(UnixHttpClient http, String apiVersion, ExecutorService executor) {
        super(NAME, executor);
        this.http = http;
        this.api = "/" + apiVersion.replaceFirst("^/", "");
    }

    @Override
    protected EngineInfo probe() {
        JsonNode v = json("GET", "/version", null, "version");
        return new EngineInfo(NAME, true, v.path("Version").asText() + " (API " + v.path("ApiVersion").asText() + ")", "");
    }

    @Override
    protected void apply(String workloadId, List<PodSpec> pods) {
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
            throw deployFailed(workloadId, e.getMessage(), e, "containers", () -> {
                removeAll(containers(RuntimeEngine.WORKLOAD_LABEL + "=" + workloadId));
                for (String id : created) {
                    removeContainer(id);
                }
            });
        }
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
    protected String containerName(Container container) {
        return container.name();
    }

    @Override
    protected List<String> logLines(Container c, int tail) {
        UnixHttpClient.Response r = send("GET", "/containers/" + c.id() + "/logs?stdout=1&stderr=1&tail=" + tail, null);
        expect(r, "logs of " + c.name());
        List<String> lines = new ArrayList<>();
        try {
            LogFrames.decode(new java.io.ByteArrayInputStream(r.body()), lines::add);
        } catch (IOException e) {
            throw new RuntimeEngineException(NAME + ": logs of " + c.name() + ": " + e.getMessage(), e);
        }
        return lines;
    }

    @Override
    protected LogStream openLogStream(String workloadId, Container c, int tail) throws IOException {
        UnixHttpClient.Streamed s = http.open("GET", api + "/containers/" + c.id()
                + "/logs?stdout=1&stderr=1&follow=1&tail=" + tail, null);
        if (s.status != 200) {
            closeQuietly(s);
            throw new IOException("the daemon answered " + s.status);
        }
        return new LogStream() {
            @Override
            public void readAll(Consumer<String> onLine, BooleanSupplier abandoned) {
                try {
                    LogFrames.decode(s.body, onLine);
                } catch (IOException e) {
                    if (!abandoned.getAsBoolean()) {
                        throw new RuntimeEngineException(NAME + ": log stream of workload " + workloadId
                                + " broke: " + e.getMessage(), e);
                    }
                }
            }

            @Override
            public void close() {
                closeQuietly(s);
            }
        };
    }

    @Override
    public CompletableFuture<Void> remove(String workloadId) {
        return async(() -> {
            removeAll(requireContainers(workloadId));
            return null;
        });
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

    @Override
    protected List<Container> containers(String labelFilter) {
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
    @Override
    protected List<ContainerObservation> observe(String labelFilter) {
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
}

package io.hivemesh.rest.internal.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.api.workload.MachinePlane.Event;
import io.hivemesh.api.workload.MachinePlane.MeshNode;
import io.hivemesh.api.workload.MachinePlane.Replica;
import io.hivemesh.api.workload.MachinePlane.Task;
import io.hivemesh.rest.internal.http.Json;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

/**
 * Kubernetes views of what the machine plane reports: the status of a Deployment or Pod, the pods of
 * a Deployment (one per replica), Events, Nodes and Namespaces. Pure functions of their inputs.
 */
public final class MeshViews {
    /** Annotation naming the machine-plane task behind an object. */
    public static final String TASK_ANNOTATION = "hivemesh.io/task";
    /** Annotation naming the replica index behind a pod. */
    public static final String REPLICA_ANNOTATION = "hivemesh.io/replica";

    private MeshViews() {
    }

    /** A stable UUID (name-based) for something that has no stored uid. */
    public static String uid(String... parts) {
        return UUID.nameUUIDFromBytes(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8)).toString();
    }

    static String shortHash(String... parts) {
        try {
            MessageDigest md = MessageDigest.getInstance("SHA-256");
            byte[] d = md.digest(String.join("\u0000", parts).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(d, 0, 5);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static boolean live(Replica r) {
        return !r.state().equals("Removed") && !r.state().equals("Failed");
    }

    static int specReplicas(ObjectNode deployment) {
        JsonNode r = deployment.path("spec").path("replicas");
        return r.isIntegralNumber() ? r.asInt() : 1;
    }

    /** The status of a Deployment from its task, {@code status.observedGeneration} = the generation the mesh has. */
    public static ObjectNode deploymentStatus(ObjectNode deployment, Optional<Task> task, long observedGeneration,
                                              long nowMillis) {
        ObjectNode s = Json.object();
        int wanted = specReplicas(deployment);
        int all = 0;
        int updated = 0;
        int available = 0;
        if (task.isPresent()) {
            Task t = task.get();
            for (Replica r : t.assignments()) {
                if (!live(r)) {
                    continue;
                }
                all++;
                if (r.generation() == t.generation()) {
                    updated++;
                    if (r.running()) {
                        available++;
                    }
                }
            }
        }
        s.put("observedGeneration", observedGeneration);
        s.put("replicas", all);
        s.put("updatedReplicas", updated);
        s.put("readyReplicas", available);
        s.put("availableReplicas", available);
        if (wanted > available) {
            s.put("unavailableReplicas", wanted - available);
        }
        ArrayNode conditions = s.putArray("conditions");
        String at = Times.rfc3339(nowMillis);
        boolean done = updated >= wanted && available >= updated && all == updated;
        conditions.addObject().put("type", "Available").put("status", available >= wanted ? "True" : "False")
                .put("reason", available >= wanted ? "MinimumReplicasAvailable" : "MinimumReplicasUnavailable")
                .put("message", available >= wanted ? "Deployment has minimum availability."
                        : "Deployment does not have minimum availability.")
                .put("lastUpdateTime", at).put("lastTransitionTime", at);
        conditions.addObject().put("type", "Progressing").put("status", "True")
                .put("reason", done ? "NewReplicaSetAvailable" : "ReplicaSetUpdated")
                .put("message", done ? "the mesh runs every replica of generation " + task.map(Task::generation).orElse(0L)
                        : "the mesh is rolling out replicas (" + available + " of " + wanted + " running)")
                .put("lastUpdateTime", at).put("lastTransitionTime", at);
        return s;
    }

    /** The pod view of one replica of {@code owner} (a stored Pod, or a Deployment whose pods these are). */
    public static ObjectNode pod(ObjectNode owner, Task task, Replica r, String name, long nowMillis) {
        boolean isDeployment = owner.path("kind").asText().equals("Deployment");
        ObjectNode pod;
        JsonNode podSpec;
        if (isDeployment) {
            pod = Json.object();
            pod.put("apiVersion", "v1").put("kind", "Pod");
            ObjectNode md = pod.putObject("metadata");
            md.put("name", name).put("namespace", task.tenant());
            md.put("uid", uid("pod", task.taskId(), Long.toString(r.generation()), Integer.toString(r.index())));
            md.put("creationTimestamp", Times.rfc3339(firstSeen(task, r)));
            JsonNode labels = owner.path("spec").path("template").path("metadata").path("labels");
            if (labels.isObject()) {
                md.set("labels", labels.deepCopy());
            }
            ArrayNode refs = md.putArray("ownerReferences");
            refs.addObject().put("apiVersion", "apps/v1").put("kind", "Deployment")
                    .put("name", owner.path("metadata").path("name").asText())
                    .put("uid", owner.path("metadata").path("uid").asText()).put("controller", true);
            podSpec = owner.path("spec").path("template").path("spec");
            pod.set("spec", podSpec.isObject() ? podSpec.deepCopy() : Json.object());
        } else {
            pod = owner.deepCopy();
            pod.remove("status");
            podSpec = pod.path("spec");
        }
        ObjectNode md = (ObjectNode) pod.with("metadata");
        ObjectNode ann = (ObjectNode) md.with("annotations");
        ann.put(TASK_ANNOTATION, task.taskId());
        ann.put(REPLICA_ANNOTATION, Integer.toString(r.index()));
        ((ObjectNode) pod.with("spec")).put("nodeName", r.node());
        pod.set("status", podStatus(pod.path("spec"), r, nowMillis));
        return pod;
    }

    /** A stored Pod whose replica is not placed yet. */
    public static ObjectNode pendingPodStatus(String why) {
        ObjectNode s = Json.object();
        s.put("phase", "Pending");
        s.putArray("conditions").addObject().put("type", "PodScheduled").put("status", "False")
                .put("reason", "Unschedulable").put("message", why);
        return s;
    }

    private static long firstSeen(Task t, Replica r) {
        return r.generation() == t.generation() ? t.updatedMillis() : t.createdMillis();
    }

    static ObjectNode podStatus(JsonNode spec, Replica r, long nowMillis) {
        ObjectNode s = Json.object();
        boolean running = r.running();
        String phase = switch (r.state()) {
            case "Running" -> "Running";
            case "Failed" -> "Failed";
            case "Removed" -> "Succeeded";
            default -> "Pending";
        };
        s.put("phase", phase);
        String at = Times.rfc3339(nowMillis);
        ArrayNode conditions = s.putArray("conditions");
        conditions.addObject().put("type", "PodScheduled").put("status", "True").put("lastTransitionTime", at);
        conditions.addObject().put("type", "Initialized").put("status", "True").put("lastTransitionTime", at);
        conditions.addObject().put("type", "ContainersReady").put("status", running ? "True" : "False")
                .put("lastTransitionTime", at);
        conditions.addObject().put("type", "Ready").put("status", running ? "True" : "False").put("lastTransitionTime", at);
        if (!r.reason().isEmpty()) {
            s.put("message", r.reason());
        }
        String hostIp = r.ports().isEmpty() ? "" : r.ports().get(0).hostIp();
        if (!hostIp.isEmpty()) {
            s.put("hostIP", hostIp);
        }
        if (running) {
            s.put("startTime", at);
        }
        ArrayNode cs = s.putArray("containerStatuses");
        for (JsonNode c : spec.path("containers")) {
            ObjectNode st = cs.addObject();
            st.put("name", c.path("name").asText()).put("image", c.path("image").asText())
                    .put("ready", running).put("restartCount", 0).put("started", running);
            ObjectNode state = st.putObject("state");
            if (running) {
                state.putObject("running").put("startedAt", at);
            } else if (r.state().equals("Failed")) {
                state.putObject("terminated").put("reason", "Error").put("message", r.reason()).put("exitCode", 1);
            } else {
                state.putObject("waiting").put("reason", r.state().equals("Pending") ? "Pending" : "ContainerCreating")
                        .put("message", r.reason());
            }
        }
        return s;
    }

    /** The pod name of replica {@code r} of Deployment {@code name}: {@code <name>-<hash of task and generation>-<replica>}. */
    public static String podName(String deployment, Task t, Replica r) {
        return deployment + "-" + shortHash(t.taskId(), Long.toString(r.generation())) + "-" + r.index();
    }

    /** Core v1 Event for {@code e}, about {@code involved} (a stored Pod or Deployment). */
    public static ObjectNode event(Event e, ObjectNode involved, int index) {
        ObjectNode ev = Json.object();
        ev.put("apiVersion", "v1").put("kind", "Event");
        String objName = involved.path("metadata").path("name").asText();
        String ns = involved.path("metadata").path("namespace").asText();
        ObjectNode md = ev.putObject("metadata");
        md.put("name", objName + "." + shortHash(e.taskId(), Long.toString(e.atMillis()), Integer.toString(index)));
        md.put("namespace", ns);
        md.put("uid", uid("event", e.taskId(), Long.toString(e.atMillis()), Integer.toString(index)));
        md.put("creationTimestamp", Times.rfc3339(e.atMillis()));
        ObjectNode io = ev.putObject("involvedObject");
        io.put("kind", involved.path("kind").asText()).put("name", objName).put("namespace", ns)
                .put("uid", involved.path("metadata").path("uid").asText())
                .put("apiVersion", involved.path("apiVersion").asText());
        ev.put("reason", e.kind());
        ev.put("message", e.message());
        ev.put("type", e.kind().equals("Failed") || e.kind().equals("Lost") || e.kind().equals("Pending")
                ? "Warning" : "Normal");
        ev.putObject("source").put("component", "hivemesh-machine-plane").put("host", e.node());
        ev.put("firstTimestamp", Times.rfc3339(e.atMillis()));
        ev.put("lastTimestamp", Times.rfc3339(e.atMillis()));
        ev.put("count", 1);
        ev.put("reportingComponent", "hivemesh-machine-plane");
        ev.put("reportingInstance", e.node());
        return ev;
    }

    /** A mesh node as a Node, its capacity as capacity and what is free as allocatable. */
    public static ObjectNode node(MeshNode n, String self, String agent, long nowMillis) {
        ObjectNode o = Json.object();
        o.put("apiVersion", "v1").put("kind", "Node");
        ObjectNode md = o.putObject("metadata");
        md.put("name", n.peer()).put("uid", uid("node", n.peer()));
        md.put("creationTimestamp", Times.rfc3339(n.atMillis()));
        ObjectNode labels = md.putObject("labels");
        labels.put("kubernetes.io/hostname", n.peer());
        labels.put("hivemesh.io/role", n.peer().equals(self) ? "self" : "peer");
        ObjectNode st = o.putObject("status");
        st.putObject("capacity").put("cpu", n.cpuMillis() + "m").put("memory", n.memoryBytes())
                .put("pods", "1000");
        st.putObject("allocatable").put("cpu", n.freeCpuMillis() + "m").put("memory", n.freeMemoryBytes())
                .put("pods", "1000");
        boolean fresh = nowMillis - n.atMillis() < 60_000 || n.peer().equals(self);
        st.putArray("conditions").addObject().put("type", "Ready").put("status", fresh ? "True" : "Unknown")
                .put("reason", fresh ? "HeartbeatReceived" : "NodeStatusUnknown")
                .put("lastHeartbeatTime", Times.rfc3339(n.atMillis()))
                .put("message", n.replicas() + " replica(s) running");
        st.putObject("nodeInfo").put("kubeletVersion", agent).put("containerRuntimeVersion", "hivemesh")
                .put("operatingSystem", "linux").put("architecture", System.getProperty("os.arch", ""));
        return o;
    }

    public static ObjectNode namespace(String name) {
        ObjectNode o = Json.object();
        o.put("apiVersion", "v1").put("kind", "Namespace");
        o.putObject("metadata").put("name", name).put("uid", uid("namespace", name));
        o.putObject("status").put("phase", "Active");
        return o;
    }

    /** Whether every {@code key=value} of {@code selector} (a label selector's matchLabels) is in {@code labels}. */
    public static boolean matches(JsonNode selector, JsonNode labels) {
        for (Iterator<Map.Entry<String, JsonNode>> it = selector.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            if (!labels.path(e.getKey()).asText("\u0000").equals(e.getValue().asText())) {
                return false;
            }
        }
        return true;
    }

    static List<Replica> liveReplicas(Task t) {
        List<Replica> out = new ArrayList<>();
        for (Replica r : t.assignments()) {
            if (live(r)) {
                out.add(r);
            }
        }
        return out;
    }
}

package io.hivemesh.rest.internal.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.Json;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

/**
 * Server-side {@code Table} answers for {@code kubectl get}: the columns kubectl shows for each kind,
 * cells formatted here (AGE included), and each row's object metadata (or the whole object when
 * asked with {@code includeObject=Object}).
 */
public final class Tables {
    private record Column(String name, String type, String format, String description, int priority) {
    }

    private Tables() {
    }

    public static ObjectNode table(KubeKind kind, List<ObjectNode> objects, long rv, boolean includeObject, long now) {
        ObjectNode t = Json.object();
        t.put("kind", "Table").put("apiVersion", "meta.k8s.io/v1");
        t.putObject("metadata").put("resourceVersion", Long.toString(rv));
        ArrayNode defs = t.putArray("columnDefinitions");
        for (Column c : columns(kind)) {
            defs.addObject().put("name", c.name()).put("type", c.type()).put("format", c.format())
                    .put("description", c.description()).put("priority", c.priority());
        }
        ArrayNode rows = t.putArray("rows");
        for (ObjectNode o : objects) {
            ObjectNode row = rows.addObject();
            ArrayNode cells = row.putArray("cells");
            cells(kind, o, now).forEach(cell -> {
                if (cell instanceof Integer i) {
                    cells.add(i);
                } else {
                    cells.add(String.valueOf(cell));
                }
            });
            if (includeObject) {
                row.set("object", o);
            } else {
                ObjectNode partial = row.putObject("object");
                partial.put("kind", "PartialObjectMetadata").put("apiVersion", "meta.k8s.io/v1");
                partial.set("metadata", o.path("metadata").deepCopy());
            }
        }
        return t;
    }

    private static List<Column> columns(KubeKind kind) {
        Column name = new Column("Name", "string", "name", "Name must be unique within a namespace.", 0);
        Column age = new Column("Age", "string", "", "Time since the object was created.", 0);
        return switch (kind) {
            case POD -> List.of(name,
                    new Column("Ready", "string", "", "Ready containers of all containers.", 0),
                    new Column("Status", "string", "", "The phase of the pod, or why it is not running.", 0),
                    new Column("Restarts", "string", "", "Container restarts.", 0), age,
                    new Column("IP", "string", "", "The host IP its ports are published on.", 1),
                    new Column("Node", "string", "", "The mesh node (PeerId) that runs it.", 1));
            case DEPLOYMENT -> List.of(name,
                    new Column("Ready", "string", "", "Running replicas of the wanted ones.", 0),
                    new Column("Up-to-date", "integer", "", "Replicas of the current generation.", 0),
                    new Column("Available", "integer", "", "Running replicas of the current generation.", 0), age,
                    new Column("Containers", "string", "", "Container names of the pod template.", 1),
                    new Column("Images", "string", "", "Images of the pod template.", 1),
                    new Column("Selector", "string", "", "The label selector.", 1));
            case NODE -> List.of(name,
                    new Column("Status", "string", "", "Whether the node was heard from lately.", 0),
                    new Column("Roles", "string", "", "self for this node, peer otherwise.", 0), age,
                    new Column("Version", "string", "", "The node's agent version.", 0),
                    new Column("CPU-Free", "string", "", "Unreserved CPU of the node's capacity.", 1),
                    new Column("Memory-Free", "string", "", "Unreserved memory of the node's capacity.", 1));
            case EVENT -> List.of(
                    new Column("Last Seen", "string", "", "When it last happened.", 0),
                    new Column("Type", "string", "", "Normal or Warning.", 0),
                    new Column("Reason", "string", "", "What happened, in one word.", 0),
                    new Column("Object", "string", "", "The object it is about.", 0),
                    new Column("Message", "string", "", "What happened.", 0));
            case NAMESPACE -> List.of(name,
                    new Column("Status", "string", "", "The phase of the namespace.", 0), age);
        };
    }

    private static List<Object> cells(KubeKind kind, ObjectNode o, long now) {
        JsonNode md = o.path("metadata");
        String name = md.path("name").asText();
        String age = Times.age(Times.parse(md.path("creationTimestamp").asText(""), 0), now);
        JsonNode st = o.path("status");
        List<Object> c = new ArrayList<>();
        switch (kind) {
            case POD -> {
                int total = o.path("spec").path("containers").size();
                int ready = 0;
                for (JsonNode cs : st.path("containerStatuses")) {
                    if (cs.path("ready").asBoolean()) {
                        ready++;
                    }
                }
                String status = md.has("deletionTimestamp") ? "Terminating" : st.path("phase").asText("Pending");
                for (JsonNode cs : st.path("containerStatuses")) {
                    String w = cs.path("state").path("waiting").path("reason").asText("");
                    if (!w.isEmpty() && !md.has("deletionTimestamp")) {
                        status = w;
                    }
                }
                c.add(name);
                c.add(ready + "/" + total);
                c.add(status);
                c.add("0");
                c.add(age);
                c.add(st.path("hostIP").asText("<none>"));
                c.add(o.path("spec").path("nodeName").asText("<none>"));
            }
            case DEPLOYMENT -> {
                int wanted = o.path("spec").path("replicas").asInt(1);
                c.add(name);
                c.add(st.path("readyReplicas").asInt(0) + "/" + wanted);
                c.add(st.path("updatedReplicas").asInt(0));
                c.add(st.path("availableReplicas").asInt(0));
                c.add(age);
                List<String> names = new ArrayList<>();
                List<String> images = new ArrayList<>();
                for (JsonNode ct : o.path("spec").path("template").path("spec").path("containers")) {
                    names.add(ct.path("name").asText());
                    images.add(ct.path("image").asText());
                }
                c.add(String.join(",", names));
                c.add(String.join(",", images));
                List<String> sel = new ArrayList<>();
                for (Iterator<Map.Entry<String, JsonNode>> it = o.path("spec").path("selector").path("matchLabels").fields();
                     it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    sel.add(e.getKey() + "=" + e.getValue().asText());
                }
                c.add(String.join(",", sel));
            }
            case NODE -> {
                String ready = "Unknown";
                for (JsonNode cond : st.path("conditions")) {
                    if (cond.path("type").asText().equals("Ready")) {
                        ready = cond.path("status").asText().equals("True") ? "Ready" : "NotReady";
                    }
                }
                c.add(name);
                c.add(ready);
                c.add(md.path("labels").path("hivemesh.io/role").asText("<none>"));
                c.add(age);
                c.add(st.path("nodeInfo").path("kubeletVersion").asText(""));
                c.add(st.path("allocatable").path("cpu").asText(""));
                c.add(st.path("allocatable").path("memory").asText(""));
            }
            case EVENT -> {
                c.add(Times.age(Times.parse(o.path("lastTimestamp").asText(""), 0), now));
                c.add(o.path("type").asText());
                c.add(o.path("reason").asText());
                c.add(o.path("involvedObject").path("kind").asText().toLowerCase() + "/"
                        + o.path("involvedObject").path("name").asText());
                c.add(o.path("message").asText());
            }
            case NAMESPACE -> {
                c.add(name);
                c.add(st.path("phase").asText("Active"));
                c.add(age);
            }
        }
        return c;
    }
}

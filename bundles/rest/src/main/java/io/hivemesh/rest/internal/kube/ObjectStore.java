package io.hivemesh.rest.internal.kube;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.rest.internal.http.SecureFiles;
import io.hivemesh.rest.internal.http.Json;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The objects clients wrote (Pods and Deployments), one JSON file each under
 * {@code <dir>/<plural>/<namespace>/<name>.json}, written atomically, and the one resourceVersion
 * counter of the API. The counter never goes back across restarts: a ceiling is reserved on disk
 * ahead of use ({@value #RESERVE} at a time).
 */
public final class ObjectStore {
    static final int RESERVE = 1000;
    /** Where a stored object keeps its field ownership (server-side apply); never shown to clients. */
    static final String MANAGED = "hivemesh.io/managedFields";

    /** An object's identity. */
    public record Key(KubeKind kind, String namespace, String name) implements Comparable<Key> {
        @Override
        public int compareTo(Key o) {
            int c = kind.compareTo(o.kind);
            if (c == 0) {
                c = namespace.compareTo(o.namespace);
            }
            return c != 0 ? c : name.compareTo(o.name);
        }
    }

    private final Path dir;
    private final Map<Key, ObjectNode> objects = new TreeMap<>();
    private final List<String> problems = new ArrayList<>();
    private long rv;
    private long ceiling;

    private ObjectStore(Path dir) {
        this.dir = dir;
    }

    /** Opens (creating) the store; unreadable files are skipped and named in {@link #problems()}. */
    public static ObjectStore open(Path dir) {
        ObjectStore s = new ObjectStore(dir);
        try {
            Files.createDirectories(dir);
            s.load();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the API object store in " + dir, e);
        }
        return s;
    }

    private void load() throws IOException {
        Path rvFile = dir.resolve("resource-version");
        long max = 0;
        if (Files.exists(rvFile)) {
            try {
                max = Long.parseLong(Files.readString(rvFile, StandardCharsets.US_ASCII).strip());
            } catch (NumberFormatException e) {
                problems.add(rvFile + ": not a number, counting on from the objects' versions");
            }
        }
        for (KubeKind kind : KubeKind.values()) {
            if (!kind.stored()) {
                continue;
            }
            Path kindDir = dir.resolve(kind.plural());
            if (!Files.isDirectory(kindDir)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(kindDir, 2)) {
                for (Path f : files.filter(p -> p.toString().endsWith(".json")).toList()) {
                    try {
                        JsonNode n = Json.MAPPER.readTree(f.toFile());
                        if (n == null || !n.isObject()) {
                            throw new IOException("not a JSON object");
                        }
                        ObjectNode o = (ObjectNode) n;
                        String ns = o.path("metadata").path("namespace").asText();
                        String name = o.path("metadata").path("name").asText();
                        objects.put(new Key(kind, ns, name), o);
                        max = Math.max(max, parseRv(o));
                    } catch (IOException e) {
                        problems.add(f + ": unreadable (" + e.getMessage() + "), left alone");
                    }
                }
            }
        }
        rv = max;
        reserve();
    }

    private static long parseRv(ObjectNode o) {
        try {
            return Long.parseLong(o.path("metadata").path("resourceVersion").asText("0"));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private void reserve() {
        ceiling = rv + RESERVE;
        SecureFiles.write(dir.resolve("resource-version"), Long.toString(ceiling).getBytes(StandardCharsets.US_ASCII));
    }

    public synchronized List<String> problems() {
        return List.copyOf(problems);
    }

    /** A new resourceVersion, higher than every one given before (also across restarts). */
    public synchronized long nextRv() {
        rv++;
        if (rv >= ceiling) {
            reserve();
        }
        return rv;
    }

    /** The latest resourceVersion given. */
    public synchronized long currentRv() {
        return rv;
    }

    public synchronized Optional<ObjectNode> get(Key key) {
        ObjectNode o = objects.get(key);
        return Optional.ofNullable(o == null ? null : shown(o));
    }

    /** The field ownership stored with an object (null when none). */
    public synchronized com.fasterxml.jackson.databind.JsonNode managed(Key key) {
        ObjectNode o = objects.get(key);
        return o == null || !o.has(MANAGED) ? null : o.get(MANAGED).deepCopy();
    }

    private static ObjectNode shown(ObjectNode stored) {
        ObjectNode c = stored.deepCopy();
        c.remove(MANAGED);
        return c;
    }

    /** The objects of {@code kind} in {@code namespace} (every namespace when null), by name. */
    public synchronized List<ObjectNode> list(KubeKind kind, String namespace) {
        List<ObjectNode> out = new ArrayList<>();
        for (Map.Entry<Key, ObjectNode> e : objects.entrySet()) {
            if (e.getKey().kind() == kind && (namespace == null || e.getKey().namespace().equals(namespace))) {
                out.add(shown(e.getValue()));
            }
        }
        return out;
    }

    /** The namespaces that hold at least one object. */
    public synchronized List<String> namespaces() {
        return objects.keySet().stream().map(Key::namespace).distinct().sorted().toList();
    }

    /** Stores {@code object} with a new resourceVersion (set in it), keeping its ownership, and returns a copy. */
    public synchronized ObjectNode put(Key key, ObjectNode object) {
        ObjectNode old = objects.get(key);
        return put(key, object, old == null ? null : old.get(MANAGED));
    }

    /** Stores {@code object} and its field ownership ({@code managed}, null: none) with a new resourceVersion. */
    public synchronized ObjectNode put(Key key, ObjectNode object, com.fasterxml.jackson.databind.JsonNode managed) {
        ObjectNode o = object.deepCopy();
        o.remove(MANAGED);
        if (managed != null && !managed.isNull()) {
            o.set(MANAGED, managed.deepCopy());
        }
        ((ObjectNode) o.with("metadata")).put("resourceVersion", Long.toString(nextRv()));
        SecureFiles.write(file(key), Json.bytes(o));
        objects.put(key, o);
        return shown(o);
    }

    /** Removes an object; returns whether it was there. */
    public synchronized boolean remove(Key key) {
        if (objects.remove(key) == null) {
            return false;
        }
        try {
            Files.deleteIfExists(file(key));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete " + file(key), e);
        }
        return true;
    }

    private Path file(Key key) {
        return dir.resolve(key.kind().plural()).resolve(key.namespace()).resolve(key.name() + ".json");
    }
}

package io.hivemesh.workload.internal;

import io.hivemesh.api.runtime.ManifestException;
import io.hivemesh.runtime.manifest.ManifestDocument;
import io.hivemesh.runtime.manifest.Manifests;
import io.hivemesh.runtime.manifest.Quantities;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * What a manifest asks of the mesh: the task's name (the first document's {@code metadata.name}),
 * its replica count (the first Deployment's {@code spec.replicas}; 1 when it has only Pods) and what
 * one replica needs. A node running a replica runs every document of the manifest once, so a
 * replica needs the sum over all documents' containers, each container counted with its
 * {@code resources.requests}, else its {@code resources.limits}, else the {@link Defaults} (CPU and
 * memory apart). A request above its limit is refused. Validation is
 * {@link Manifests#parse(String)}'s; its {@link ManifestException} (naming the document and field)
 * is passed on unchanged. Stateless.
 */
public final class ManifestResources {
    private static final String CONTAINERS = "containers";

    private ManifestResources() {
    }

    /** What a container without requests or limits is counted as. */
    public record Defaults(long cpuMillis, long memoryBytes) {
        /** 100 m CPU and 128 MiB. */
        public static final Defaults STANDARD = new Defaults(100, 128L << 20);

        public Defaults {
            if (cpuMillis <= 0 || memoryBytes <= 0) {
                throw new IllegalArgumentException("default resources must be above zero, not " + cpuMillis
                        + "m CPU and " + memoryBytes + " bytes");
            }
        }
    }

    /** A parsed manifest: task name, replicas wanted, CPU (millicores) and memory (bytes) per replica. */
    public record Parsed(String name, int replicas, long cpuMillis, long memoryBytes, List<ManifestDocument> documents) {
        public Parsed {
            documents = List.copyOf(documents);
        }
    }

    /** Parses and validates {@code yaml}; throws {@link ManifestException} naming the bad field. */
    public static Parsed parse(String yaml, Defaults defaults) {
        List<ManifestDocument> documents = Manifests.parse(yaml);
        List<Map<String, Object>> raw = rawDocuments(yaml);
        if (raw.size() != documents.size()) {
            throw new IllegalStateException("manifest: " + raw.size() + " raw documents for " + documents.size()
                    + " validated ones");
        }
        long cpu = 0;
        long memory = 0;
        int replicas = -1;
        for (int d = 0; d < documents.size(); d++) {
            ManifestDocument doc = documents.get(d);
            if (replicas < 0 && doc.kind().equals("Deployment")) {
                replicas = doc.replicas();
            }
            String at = doc.kind().equals("Deployment") ? "spec.template.spec" : "spec";
            List<Map<String, Object>> containers = containers(raw.get(d), doc.kind());
            for (int c = 0; c < doc.containers().size(); c++) {
                String path = "document " + doc.index() + " (" + doc.kind() + " " + doc.name() + "): " + at
                        + ".containers[" + c + "].resources";
                Map<String, Object> requests = requests(containers.get(c));
                OptionalLong cpuRequest = quantity(requests, "cpu", path);
                OptionalLong memoryRequest = quantity(requests, "memory", path);
                OptionalLong cpuLimit = doc.containers().get(c).cpuMillis();
                OptionalLong memoryLimit = doc.containers().get(c).memoryBytes();
                check(cpuRequest, cpuLimit, path + ".requests.cpu", "m");
                check(memoryRequest, memoryLimit, path + ".requests.memory", " bytes");
                try {
                    cpu = Math.addExact(cpu, pick(cpuRequest, cpuLimit, defaults.cpuMillis()));
                    memory = Math.addExact(memory, pick(memoryRequest, memoryLimit, defaults.memoryBytes()));
                } catch (ArithmeticException e) {
                    throw new ManifestException(path + ": the resources of one replica add up to more than "
                            + Long.MAX_VALUE);
                }
            }
        }
        return new Parsed(documents.get(0).name(), replicas < 0 ? 1 : replicas, cpu, memory, documents);
    }

    /**
     * {@code yaml} with every Deployment's {@code spec.replicas} set to 1 (comments and empty
     * documents are not kept); throws {@link ManifestException} if {@code yaml} is invalid.
     */
    public static String singleReplica(String yaml) {
        Manifests.parse(yaml);
        List<Map<String, Object>> docs = rawDocuments(yaml);
        for (Map<String, Object> doc : docs) {
            if ("Deployment".equals(doc.get("kind"))) {
                map(doc.get("spec")).put("replicas", 1);
            }
        }
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        options.setExplicitStart(docs.size() > 1);
        Yaml dumper = new Yaml(new SafeConstructor(new LoaderOptions()), new Representer(options), options);
        String out = dumper.dumpAll(docs.iterator());
        Manifests.parse(out);
        return out;
    }

    /** The non-empty documents of a manifest {@link Manifests#parse} accepted, as SnakeYAML maps. */
    private static List<Map<String, Object>> rawDocuments(String yaml) {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(Manifests.MAX_BYTES);
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object doc : new Yaml(new SafeConstructor(options)).loadAll(yaml)) {
            if (doc != null) {
                out.add(map(doc));
            }
        }
        return out;
    }

    private static List<Map<String, Object>> containers(Map<String, Object> doc, String kind) {
        Map<String, Object> spec = map(doc.get("spec"));
        if (kind.equals("Deployment")) {
            spec = map(map(spec.get("template")).get("spec"));
        }
        List<Map<String, Object>> out = new ArrayList<>();
        for (Object c : (List<?>) spec.get(CONTAINERS)) {
            out.add(map(c));
        }
        return out;
    }

    private static Map<String, Object> requests(Map<String, Object> container) {
        Object resources = container.get("resources");
        if (resources == null) {
            return Map.of();
        }
        Object requests = map(resources).get("requests");
        return requests == null ? Map.of() : map(requests);
    }

    private static OptionalLong quantity(Map<String, Object> requests, String kind, String path) {
        Object v = requests.get(kind);
        if (v == null) {
            return OptionalLong.empty();
        }
        // Manifests.parse has checked these already; this only converts them.
        try {
            String s = String.valueOf(v);
            return OptionalLong.of(kind.equals("cpu") ? Quantities.cpuMillis(s) : Quantities.memoryBytes(s));
        } catch (IllegalArgumentException e) {
            throw new ManifestException(path + ".requests." + kind + ": " + e.getMessage());
        }
    }

    private static void check(OptionalLong request, OptionalLong limit, String path, String unit) {
        if (request.isPresent() && limit.isPresent() && request.getAsLong() > limit.getAsLong()) {
            throw new ManifestException(path + ": the request (" + request.getAsLong() + unit
                    + ") is above the limit (" + limit.getAsLong() + unit + ")");
        }
    }

    private static long pick(OptionalLong request, OptionalLong limit, long fallback) {
        return request.isPresent() ? request.getAsLong() : limit.orElse(fallback);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object o) {
        if (!(o instanceof Map<?, ?>)) {
            throw new IllegalStateException("manifest: a validated document lacks a mapping");
        }
        return (Map<String, Object>) o;
    }
}

package io.hivemesh.runtime.manifest;

import io.hivemesh.api.runtime.ManifestException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.regex.Pattern;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Parses and validates Kubernetes manifests (SnakeYAML, safe constructor, bounded size, aliases and
 * nesting). Supported: {@code v1 Pod} and {@code apps/v1 Deployment}, several per stream. Every
 * field outside the supported subset is rejected rather than ignored, so a manifest never runs with
 * less than it asked for; every error names the document, the field path and what is wrong.
 * Stateless and thread-safe.
 */
public final class Manifests {
    /** Largest manifest accepted, in bytes of UTF-8. */
    public static final int MAX_BYTES = 1 << 20;
    private static final int MAX_DOCUMENTS = 64;
    private static final int MAX_CONTAINERS = 16;
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern ENV_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,254}");
    private static final Pattern LABEL_KEY = Pattern.compile("([a-z0-9.-]{1,253}/)?[A-Za-z0-9]([-A-Za-z0-9_.]{0,61}[A-Za-z0-9])?");
    private static final Set<String> TOP = Set.of("apiVersion", "kind", "metadata", "spec");
    private static final Set<String> METADATA = Set.of("name", "labels", "annotations", "namespace");
    private static final Set<String> POD_SPEC = Set.of("containers", "restartPolicy");
    private static final Set<String> DEPLOYMENT_SPEC = Set.of("replicas", "selector", "template");
    private static final Set<String> TEMPLATE = Set.of("metadata", "spec");
    private static final Set<String> CONTAINER = Set.of("name", "image", "command", "args", "env", "ports",
            "resources", "imagePullPolicy");
    private static final Set<String> PORT = Set.of("containerPort", "hostPort", "protocol", "name", "hostIP");
    private static final Set<String> RESOURCES = Set.of("limits", "requests");
    private static final Set<String> QUANTITIES = Set.of("cpu", "memory");
    private static final Set<String> RESTART = Set.of("Always", "OnFailure", "Never");

    private Manifests() {
    }

    /** Parses and validates every document; throws {@link ManifestException} naming the first bad field. */
    public static List<ManifestDocument> parse(String yaml) {
        if (yaml == null || yaml.isBlank()) {
            throw new ManifestException("manifest is empty");
        }
        if (yaml.getBytes(StandardCharsets.UTF_8).length > MAX_BYTES) {
            throw new ManifestException("manifest is larger than " + MAX_BYTES + " bytes");
        }
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setNestingDepthLimit(20);
        options.setCodePointLimit(MAX_BYTES);
        Yaml parser = new Yaml(new SafeConstructor(options));
        List<ManifestDocument> documents = new ArrayList<>();
        Set<String> names = new HashSet<>();
        int index = 0;
        try {
            for (Object raw : parser.loadAll(yaml)) {
                index++;
                if (raw == null) {
                    continue;
                }
                if (documents.size() == MAX_DOCUMENTS) {
                    throw new ManifestException("manifest has more than " + MAX_DOCUMENTS + " documents");
                }
                ManifestDocument doc = document(index, raw);
                if (!names.add(doc.name())) {
                    throw new ManifestException("document " + index + ": metadata.name: '" + doc.name()
                            + "' is used by an earlier document");
                }
                documents.add(doc);
            }
        } catch (YAMLException e) {
            String detail = e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage().strip();
            throw new ManifestException("invalid YAML in document " + Math.max(index, 1) + ": " + detail);
        }
        if (documents.isEmpty()) {
            throw new ManifestException("manifest has no document");
        }
        return documents;
    }

    private static ManifestDocument document(int index, Object raw) {
        Ctx ctx = new Ctx("document " + index + ": ");
        Map<String, Object> top = ctx.map(raw, "");
        ctx.only(top, TOP, "");
        String kind = ctx.string(top, "kind", "");
        String apiVersion = ctx.string(top, "apiVersion", "");
        Map<String, Object> metadata = ctx.map(ctx.required(top, "metadata", ""), "metadata");
        ctx.only(metadata, METADATA, "metadata");
        String name = ctx.string(metadata, "name", "metadata");
        if (!DNS_LABEL.matcher(name).matches()) {
            throw ctx.error("metadata.name", "'" + name + "' is not a lower-case DNS label (a-z, 0-9, '-', at most 63)");
        }
        ctx.prefix = "document " + index + " (" + kind + " " + name + "): ";
        Map<String, String> labels = ctx.labels(metadata.get("labels"), "metadata.labels");
        Map<String, Object> spec = ctx.map(ctx.required(top, "spec", ""), "spec");
        switch (kind) {
            case "Pod" -> {
                ctx.expect(apiVersion, "v1", "apiVersion");
                return pod(ctx, index, kind, name, labels, 1, spec, "spec");
            }
            case "Deployment" -> {
                ctx.expect(apiVersion, "apps/v1", "apiVersion");
                ctx.only(spec, DEPLOYMENT_SPEC, "spec");
                int replicas = 1;
                if (spec.containsKey("replicas")) {
                    replicas = ctx.integer(spec.get("replicas"), "spec.replicas", 1, 100);
                }
                Map<String, Object> template = ctx.map(ctx.required(spec, "template", "spec"), "spec.template");
                ctx.only(template, TEMPLATE, "spec.template");
                Map<String, String> podLabels = Map.of();
                if (template.containsKey("metadata")) {
                    Map<String, Object> tm = ctx.map(template.get("metadata"), "spec.template.metadata");
                    ctx.only(tm, Set.of("labels", "annotations"), "spec.template.metadata");
                    podLabels = ctx.labels(tm.get("labels"), "spec.template.metadata.labels");
                }
                Map<String, String> all = new LinkedHashMap<>(labels);
                all.putAll(podLabels);
                Map<String, Object> podSpec = ctx.map(ctx.required(template, "spec", "spec.template"), "spec.template.spec");
                return pod(ctx, index, kind, name, all, replicas, podSpec, "spec.template.spec");
            }
            default -> throw ctx.error("kind", "'" + kind + "' is not supported (supported: Pod, Deployment)");
        }
    }

    private static ManifestDocument pod(Ctx ctx, int index, String kind, String name, Map<String, String> labels,
                                        int replicas, Map<String, Object> spec, String at) {
        ctx.only(spec, POD_SPEC, at);
        String restart = "Always";
        if (spec.containsKey("restartPolicy")) {
            restart = ctx.string(spec, "restartPolicy", at);
            if (!RESTART.contains(restart)) {
                throw ctx.error(at + ".restartPolicy", "'" + restart + "' is not one of Always, OnFailure, Never");
            }
        }
        List<Object> raw = ctx.list(ctx.required(spec, "containers", at), at + ".containers");
        if (raw.isEmpty()) {
            throw ctx.error(at + ".containers", "at least one container is required");
        }
        if (raw.size() > MAX_CONTAINERS) {
            throw ctx.error(at + ".containers", "more than " + MAX_CONTAINERS + " containers");
        }
        List<ContainerSpec> containers = new ArrayList<>();
        Set<String> names = new HashSet<>();
        Set<String> hostPorts = new HashSet<>();
        for (int i = 0; i < raw.size(); i++) {
            ContainerSpec c = container(ctx, raw.get(i), at + ".containers[" + i + "]");
            if (!names.add(c.name())) {
                throw ctx.error(at + ".containers[" + i + "].name", "'" + c.name() + "' is used by an earlier container");
            }
            for (PortSpec p : c.ports()) {
                if (p.hostPort() != 0 && !hostPorts.add(p.hostPort() + "/" + p.protocol())) {
                    throw ctx.error(at + ".containers[" + i + "].ports", "hostPort " + p.hostPort()
                            + " is published twice in this pod");
                }
            }
            containers.add(c);
        }
        return new ManifestDocument(index, kind, name, labels, replicas, restart, containers);
    }

    private static ContainerSpec container(Ctx ctx, Object raw, String at) {
        Map<String, Object> c = ctx.map(raw, at);
        ctx.only(c, CONTAINER, at);
        String name = ctx.string(c, "name", at);
        if (!DNS_LABEL.matcher(name).matches()) {
            throw ctx.error(at + ".name", "'" + name + "' is not a lower-case DNS label");
        }
        String image = ctx.string(c, "image", at);
        if (image.isBlank() || image.chars().anyMatch(Character::isWhitespace)) {
            throw ctx.error(at + ".image", "'" + image + "' is not an image reference");
        }
        List<String> command = ctx.strings(c.get("command"), at + ".command");
        List<String> args = ctx.strings(c.get("args"), at + ".args");
        Map<String, String> env = new LinkedHashMap<>();
        if (c.containsKey("env")) {
            List<Object> list = ctx.list(c.get("env"), at + ".env");
            for (int i = 0; i < list.size(); i++) {
                String e = at + ".env[" + i + "]";
                Map<String, Object> var = ctx.map(list.get(i), e);
                ctx.only(var, Set.of("name", "value"), e);
                String key = ctx.string(var, "name", e);
                if (!ENV_NAME.matcher(key).matches()) {
                    throw ctx.error(e + ".name", "'" + key + "' is not a valid environment variable name");
                }
                Object value = var.get("value");
                env.put(key, value == null ? "" : ctx.scalar(value, e + ".value"));
            }
        }
        List<PortSpec> ports = new ArrayList<>();
        if (c.containsKey("ports")) {
            List<Object> list = ctx.list(c.get("ports"), at + ".ports");
            for (int i = 0; i < list.size(); i++) {
                String p = at + ".ports[" + i + "]";
                Map<String, Object> port = ctx.map(list.get(i), p);
                ctx.only(port, PORT, p);
                int containerPort = ctx.integer(ctx.required(port, "containerPort", p), p + ".containerPort", 1, 65535);
                int hostPort = port.containsKey("hostPort")
                        ? ctx.integer(port.get("hostPort"), p + ".hostPort", 1, 65535) : 0;
                String protocol = port.containsKey("protocol") ? ctx.string(port, "protocol", p) : "TCP";
                if (!protocol.equals("TCP") && !protocol.equals("UDP")) {
                    throw ctx.error(p + ".protocol", "'" + protocol + "' is not supported (TCP, UDP)");
                }
                String hostIp = port.containsKey("hostIP") ? ctx.string(port, "hostIP", p) : "";
                ports.add(new PortSpec(containerPort, hostPort, protocol.toLowerCase(java.util.Locale.ROOT), hostIp));
            }
        }
        OptionalLong cpu = OptionalLong.empty();
        OptionalLong memory = OptionalLong.empty();
        if (c.containsKey("resources")) {
            Map<String, Object> res = ctx.map(c.get("resources"), at + ".resources");
            ctx.only(res, RESOURCES, at + ".resources");
            for (String kind : List.of("requests", "limits")) {
                if (!res.containsKey(kind)) {
                    continue;
                }
                String r = at + ".resources." + kind;
                Map<String, Object> q = ctx.map(res.get(kind), r);
                ctx.only(q, QUANTITIES, r);
                try {
                    if (q.containsKey("cpu")) {
                        long v = Quantities.cpuMillis(ctx.scalar(q.get("cpu"), r + ".cpu"));
                        cpu = kind.equals("limits") ? OptionalLong.of(v) : cpu;
                    }
                } catch (IllegalArgumentException e) {
                    throw ctx.error(r + ".cpu", e.getMessage());
                }
                try {
                    if (q.containsKey("memory")) {
                        long v = Quantities.memoryBytes(ctx.scalar(q.get("memory"), r + ".memory"));
                        memory = kind.equals("limits") ? OptionalLong.of(v) : memory;
                    }
                } catch (IllegalArgumentException e) {
                    throw ctx.error(r + ".memory", e.getMessage());
                }
            }
        }
        return new ContainerSpec(name, image, command, args, env, ports, cpu, memory);
    }

    /** Field access with error messages that carry the document and the field path. */
    private static final class Ctx {
        String prefix;

        Ctx(String prefix) {
            this.prefix = prefix;
        }

        ManifestException error(String path, String what) {
            return new ManifestException(prefix + (path.isEmpty() ? "" : path + ": ") + what);
        }

        private static String join(String at, String key) {
            return at.isEmpty() ? key : at + "." + key;
        }

        Object required(Map<String, Object> map, String key, String at) {
            Object v = map.get(key);
            if (v == null) {
                throw error(join(at, key), "missing");
            }
            return v;
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map(Object v, String at) {
            if (!(v instanceof Map<?, ?> m)) {
                throw error(at, "expected a mapping, found " + describe(v));
            }
            for (Object k : m.keySet()) {
                if (!(k instanceof String)) {
                    throw error(at, "key " + k + " is not a string");
                }
            }
            return (Map<String, Object>) m;
        }

        @SuppressWarnings("unchecked")
        List<Object> list(Object v, String at) {
            if (!(v instanceof List<?>)) {
                throw error(at, "expected a list, found " + describe(v));
            }
            return (List<Object>) v;
        }

        void only(Map<String, Object> map, Set<String> allowed, String at) {
            for (String key : map.keySet()) {
                if (!allowed.contains(key)) {
                    throw error(join(at, key), "field is not supported");
                }
            }
        }

        String string(Map<String, Object> map, String key, String at) {
            Object v = required(map, key, at);
            if (!(v instanceof String s)) {
                throw error(join(at, key), "expected a string, found " + describe(v));
            }
            return s;
        }

        String scalar(Object v, String at) {
            if (v instanceof String || v instanceof Number || v instanceof Boolean) {
                return String.valueOf(v);
            }
            throw error(at, "expected a scalar, found " + describe(v));
        }

        int integer(Object v, String at, int min, int max) {
            if (!(v instanceof Integer i)) {
                throw error(at, "expected an integer, found " + describe(v));
            }
            if (i < min || i > max) {
                throw error(at, i + " is outside " + min + ".." + max);
            }
            return i;
        }

        void expect(String actual, String expected, String at) {
            if (!expected.equals(actual)) {
                throw error(at, "'" + actual + "' is not supported for this kind (expected " + expected + ")");
            }
        }

        List<String> strings(Object v, String at) {
            if (v == null) {
                return List.of();
            }
            List<Object> list = list(v, at);
            List<String> out = new ArrayList<>();
            for (int i = 0; i < list.size(); i++) {
                out.add(scalar(list.get(i), at + "[" + i + "]"));
            }
            return out;
        }

        Map<String, String> labels(Object v, String at) {
            if (v == null) {
                return Map.of();
            }
            Map<String, String> out = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : map(v, at).entrySet()) {
                if (!LABEL_KEY.matcher(e.getKey()).matches()) {
                    throw error(at, "'" + e.getKey() + "' is not a valid label key");
                }
                String value = scalar(e.getValue(), at + "." + e.getKey());
                if (value.length() > 63) {
                    throw error(at + "." + e.getKey(), "label value longer than 63 characters");
                }
                out.put(e.getKey(), value);
            }
            return out;
        }

        private static String describe(Object v) {
            if (v == null) {
                return "nothing";
            }
            if (v instanceof Map) {
                return "a mapping";
            }
            if (v instanceof List) {
                return "a list";
            }
            return "'" + v + "'";
        }
    }
}

package io.hivemesh.runtime.podman.internal;

import io.hivemesh.runtime.manifest.ContainerSpec;
import io.hivemesh.runtime.manifest.PodSpec;
import io.hivemesh.runtime.manifest.PortSpec;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.representer.Representer;

/** Renders planned pods as the multi-document {@code v1 Pod} YAML that {@code podman kube play} reads. */
final class KubeYaml {
    private KubeYaml() {
    }

    static String render(List<PodSpec> pods) {
        DumperOptions options = new DumperOptions();
        options.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        Yaml yaml = new Yaml(new Representer(options), options);
        List<Object> docs = new ArrayList<>();
        for (PodSpec pod : pods) {
            docs.add(pod(pod));
        }
        return yaml.dumpAll(docs.iterator());
    }

    private static Map<String, Object> pod(PodSpec pod) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("apiVersion", "v1");
        doc.put("kind", "Pod");
        Map<String, Object> metadata = new LinkedHashMap<>();
        metadata.put("name", pod.name());
        metadata.put("labels", new LinkedHashMap<>(pod.labels()));
        doc.put("metadata", metadata);
        Map<String, Object> spec = new LinkedHashMap<>();
        spec.put("restartPolicy", pod.restartPolicy());
        List<Object> containers = new ArrayList<>();
        for (ContainerSpec c : pod.containers()) {
            containers.add(container(c));
        }
        spec.put("containers", containers);
        doc.put("spec", spec);
        return doc;
    }

    private static Map<String, Object> container(ContainerSpec c) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", c.name());
        out.put("image", c.image());
        if (!c.command().isEmpty()) {
            out.put("command", new ArrayList<>(c.command()));
        }
        if (!c.args().isEmpty()) {
            out.put("args", new ArrayList<>(c.args()));
        }
        if (!c.env().isEmpty()) {
            List<Object> env = new ArrayList<>();
            c.env().forEach((k, v) -> env.add(new LinkedHashMap<>(Map.of("name", k, "value", v))));
            out.put("env", env);
        }
        if (!c.ports().isEmpty()) {
            List<Object> ports = new ArrayList<>();
            for (PortSpec p : c.ports()) {
                Map<String, Object> port = new LinkedHashMap<>();
                port.put("containerPort", p.containerPort());
                if (p.hostPort() != 0) {
                    port.put("hostPort", p.hostPort());
                }
                if (!p.hostIp().isEmpty()) {
                    port.put("hostIP", p.hostIp());
                }
                port.put("protocol", p.protocol().toUpperCase(Locale.ROOT));
                ports.add(port);
            }
            out.put("ports", ports);
        }
        Map<String, Object> limits = new LinkedHashMap<>();
        c.cpuMillis().ifPresent(m -> limits.put("cpu", m + "m"));
        c.memoryBytes().ifPresent(b -> limits.put("memory", Long.toString(b)));
        if (!limits.isEmpty()) {
            out.put("resources", new LinkedHashMap<>(Map.of("limits", limits)));
        }
        return out;
    }
}

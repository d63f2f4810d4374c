package io.hivemesh.workload.internal;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.representer.Representer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.IntSupplier;

/**
 * Publishes a replica's container ports on its node: every {@code containerPort} without a
 * {@code hostPort} gets a free port of this machine (so that replicas of one task on several nodes
 * of one machine never collide), reported back in the replica's status. Ports with a
 * {@code hostPort} keep it.
 */
final class HostPorts {
    private HostPorts() {
    }

    /** A port that was free a moment ago (the kernel's choice). */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException("no free port on this machine", e);
        }
    }

    /** {@code yaml} (already validated) with a host port chosen by {@code pick} for each unpublished container port. */
    @SuppressWarnings("unchecked")
    static String assign(String yaml, IntSupplier pick) {
        LoaderOptions lo = new LoaderOptions();
        Yaml loader = new Yaml(new SafeConstructor(lo));
        List<Object> docs = new ArrayList<>();
        for (Object d : loader.loadAll(yaml)) {
            if (d instanceof Map<?, ?> doc) {
                Object spec = doc.get("spec");
                if ("Deployment".equals(doc.get("kind")) && spec instanceof Map<?, ?> s
                        && s.get("template") instanceof Map<?, ?> t) {
                    spec = t.get("spec");
                }
                if (spec instanceof Map<?, ?> podSpec && podSpec.get("containers") instanceof List<?> containers) {
                    for (Object c : containers) {
                        if (c instanceof Map<?, ?> container && container.get("ports") instanceof List<?> ports) {
                            for (Object p : ports) {
                                if (p instanceof Map<?, ?> port && !port.containsKey("hostPort")) {
                                    ((Map<String, Object>) port).put("hostPort", pick.getAsInt());
                                }
                            }
                        }
                    }
                }
            }
            docs.add(d);
        }
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        return new Yaml(new SafeConstructor(lo), new Representer(o), o).dumpAll(docs.iterator());
    }
}

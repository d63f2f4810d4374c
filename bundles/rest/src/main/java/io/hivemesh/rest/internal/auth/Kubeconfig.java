package io.hivemesh.rest.internal.auth;

import org.yaml.snakeyaml.DumperOptions;
import org.yaml.snakeyaml.Yaml;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A kubeconfig (apiVersion v1, kind Config) that stock kubectl uses as is: one cluster with the
 * server URL and the CA ({@code certificate-authority-data}), one user with a bearer token, and one
 * context whose namespace is the tenant, made current.
 */
public final class Kubeconfig {
    private Kubeconfig() {
    }

    public static String yaml(String server, String caPem, String tenant, String token) {
        String cluster = "hivemesh";
        String user = tenant;
        String context = tenant + "@hivemesh";
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("apiVersion", "v1");
        root.put("kind", "Config");
        root.put("clusters", List.of(Map.of("name", cluster, "cluster", ordered(
                "server", server,
                "certificate-authority-data", Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.US_ASCII))))));
        root.put("users", List.of(ordered("name", user, "user", Map.of("token", token))));
        root.put("contexts", List.of(ordered("name", context, "context",
                ordered("cluster", cluster, "user", user, "namespace", tenant))));
        root.put("current-context", context);
        root.put("preferences", Map.of());
        DumperOptions o = new DumperOptions();
        o.setDefaultFlowStyle(DumperOptions.FlowStyle.BLOCK);
        o.setWidth(Integer.MAX_VALUE);
        return new Yaml(o).dump(root);
    }

    private static Map<String, Object> ordered(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }
}

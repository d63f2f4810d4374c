package io.hivemesh.rest.internal.kube;

import java.util.List;
import java.util.Optional;

/** The kinds the Kubernetes-compatible API serves, with their group, version, plural and scope. */
public enum KubeKind {
    POD("", "v1", "Pod", "pods", "pod", true, List.of("po")),
    DEPLOYMENT("apps", "v1", "Deployment", "deployments", "deployment", true, List.of("deploy")),
    EVENT("", "v1", "Event", "events", "event", true, List.of("ev")),
    NODE("", "v1", "Node", "nodes", "node", false, List.of("no")),
    NAMESPACE("", "v1", "Namespace", "namespaces", "namespace", false, List.of("ns"));

    private final String group;
    private final String version;
    private final String kind;
    private final String plural;
    private final String singular;
    private final boolean namespaced;
    private final List<String> shortNames;

    KubeKind(String group, String version, String kind, String plural, String singular, boolean namespaced,
             List<String> shortNames) {
        this.group = group;
        this.version = version;
        this.kind = kind;
        this.plural = plural;
        this.singular = singular;
        this.namespaced = namespaced;
        this.shortNames = shortNames;
    }

    public String group() {
        return group;
    }

    public String version() {
        return version;
    }

    public String kind() {
        return kind;
    }

    public String plural() {
        return plural;
    }

    public String singular() {
        return singular;
    }

    public boolean namespaced() {
        return namespaced;
    }

    public List<String> shortNames() {
        return shortNames;
    }

    /** {@code v1} or {@code apps/v1}. */
    public String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** Whether objects of this kind are written by clients (the others are views of the mesh). */
    public boolean stored() {
        return this == POD || this == DEPLOYMENT;
    }

    /** The kind served at {@code /api/v1/<plural>} or {@code /apis/<group>/<version>/<plural>}. */
    public static Optional<KubeKind> of(String group, String version, String plural) {
        for (KubeKind k : values()) {
            if (k.group.equals(group) && k.version.equals(version) && k.plural.equals(plural)) {
                return Optional.of(k);
            }
        }
        return Optional.empty();
    }
}

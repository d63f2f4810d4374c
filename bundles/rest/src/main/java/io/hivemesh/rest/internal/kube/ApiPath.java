package io.hivemesh.rest.internal.kube;

import io.hivemesh.rest.internal.http.ApiException;

import java.util.Optional;

/**
 * A Kubernetes API path taken apart: {@code /api/v1[/namespaces/{ns}]/{plural}[/{name}[/{sub}]]} and
 * {@code /apis/{group}/{version}/...}, or one of the discovery documents ({@code /api}, {@code /apis},
 * {@code /api/v1}, {@code /apis/{group}/{version}}).
 */
public record ApiPath(String group, String version, String namespace, KubeKind kind, String name, String sub,
                      boolean discovery) {

    /** Parses {@code path} (the request URI without query); empty for paths this API does not serve. */
    public static Optional<ApiPath> parse(String path) {
        if (path.length() > 1 && path.endsWith("/")) {
            path = path.substring(0, path.length() - 1);
        }
        String[] p = path.split("/", -1);
        // p[0] is "" (leading slash)
        int i;
        String group;
        String version;
        if (p.length >= 2 && p[1].equals("api")) {
            group = "";
            if (p.length == 2) {
                return Optional.of(new ApiPath("", "", null, null, null, null, true));
            }
            version = p[2];
            i = 3;
        } else if (p.length >= 2 && p[1].equals("apis")) {
            if (p.length == 2) {
                return Optional.of(new ApiPath("", "", null, null, null, null, true));
            }
            if (p.length == 3) {
                return Optional.of(new ApiPath(p[2], "", null, null, null, null, true));
            }
            group = p[2];
            version = p[3];
            i = 4;
        } else {
            return Optional.empty();
        }
        if (i == p.length) {
            return Optional.of(new ApiPath(group, version, null, null, null, null, true));
        }
        String ns = null;
        if (p[i].equals("namespaces") && p.length > i + 2) {
            ns = segment(p[i + 1]);
            i += 2;
        }
        String plural = p[i];
        Optional<KubeKind> kind = KubeKind.of(group, version, plural);
        if (kind.isEmpty()) {
            return Optional.empty();
        }
        String name = p.length > i + 1 ? segment(p[i + 1]) : null;
        String sub = p.length > i + 2 ? p[i + 2] : null;
        if (p.length > i + 3) {
            return Optional.empty();
        }
        if (kind.get().namespaced() == false && ns != null) {
            return Optional.empty();
        }
        return Optional.of(new ApiPath(group, version, ns, kind.get(), name, sub, false));
    }

    private static String segment(String s) {
        if (s.isEmpty() || s.length() > 253) {
            throw ApiException.badRequest("invalid name in the path: '" + (s.length() > 64 ? s.substring(0, 64) + "..." : s) + "'");
        }
        return s;
    }

    /** Whether this is the collection (no name). */
    public boolean collection() {
        return name == null;
    }

    public Optional<String> ns() {
        return Optional.ofNullable(namespace);
    }
}

package io.hivemesh.rest.internal.ui;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** The dashboard's files, read once from the bundle's resources; only these paths are served. */
final class DashboardAssets {
    /** Same origin only: no inline script, no external resource; the page reaches only /ui/events. */
    static final String CSP = "default-src 'none'; script-src 'self'; style-src 'self'; connect-src 'self';"
            + " img-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";

    record Asset(String contentType, byte[] bytes) {
    }

    private final Map<String, Asset> byPath;

    private DashboardAssets(Map<String, Asset> byPath) {
        this.byPath = byPath;
    }

    static DashboardAssets load() {
        Map<String, Asset> m = new LinkedHashMap<>();
        Asset index = new Asset("text/html;charset=utf-8", read("index.html"));
        m.put("/", index);
        m.put("/index.html", index);
        m.put("/dashboard.js", new Asset("text/javascript;charset=utf-8", read("dashboard.js")));
        m.put("/dashboard.css", new Asset("text/css;charset=utf-8", read("dashboard.css")));
        return new DashboardAssets(Map.copyOf(m));
    }

    /** The file at {@code path} (the part after {@code /ui}), or null. */
    Asset get(String path) {
        return byPath.get(path);
    }

    Set<String> paths() {
        return new java.util.TreeSet<>(byPath.keySet());
    }

    private static byte[] read(String name) {
        try (InputStream in = DashboardAssets.class.getResourceAsStream("static/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the bundle lacks the dashboard resource static/" + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("reading the dashboard resource static/" + name, e);
        }
    }
}

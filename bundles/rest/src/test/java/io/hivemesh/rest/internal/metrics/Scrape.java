package io.hivemesh.rest.internal.metrics;

import io.prometheus.metrics.model.registry.MultiCollector;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

/** Writes collectors through {@link NodeMetrics} (the servlet's path) and parses the text back. */
final class Scrape {
    private Scrape() {
    }

    static String text(NodeMetrics m) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            m.write(out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static Map<String, Exposition.Family> of(MultiCollector... collectors) {
        return Exposition.parse(text(new NodeMetrics(List.of(collectors), false)));
    }
}

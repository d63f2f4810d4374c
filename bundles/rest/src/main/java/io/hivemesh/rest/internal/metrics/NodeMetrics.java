package io.hivemesh.rest.internal.metrics;

import io.prometheus.metrics.config.EscapingScheme;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.instrumentation.jvm.JvmMetrics;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.registry.PrometheusRegistry;
import java.io.IOException;
import java.io.OutputStream;
import java.util.List;

/**
 * The node's registry: the hivemesh collectors and the client library's JVM instrumentation, in a
 * registry of its own (not the library's static default, so a bundle restart starts clean), written
 * in the Prometheus text format 0.0.4.
 */
public final class NodeMetrics {
    /** {@code text/plain; version=0.0.4; charset=utf-8}. */
    public static final String CONTENT_TYPE = PrometheusTextFormatWriter.CONTENT_TYPE;

    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final PrometheusTextFormatWriter writer = PrometheusTextFormatWriter.create();

    public NodeMetrics(List<MultiCollector> collectors, boolean jvm) {
        collectors.forEach(registry::register);
        if (jvm) {
            JvmMetrics.builder().register(registry);
        }
    }

    /** Collects every family now and writes them to {@code out}. */
    public void write(OutputStream out) throws IOException {
        writer.write(out, registry.scrape(), EscapingScheme.UNDERSCORE_ESCAPING);
    }
}

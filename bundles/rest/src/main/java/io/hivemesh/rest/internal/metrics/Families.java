package io.hivemesh.rest.internal.metrics;

import io.prometheus.metrics.model.snapshots.CounterSnapshot;
import io.prometheus.metrics.model.snapshots.CounterSnapshot.CounterDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot;
import io.prometheus.metrics.model.snapshots.GaugeSnapshot.GaugeDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.Map;

/**
 * Builds metric families from values read at scrape time. Names follow the Prometheus conventions:
 * {@code hivemesh_} prefix, base units, the unit as the last word of the name ({@code _bytes},
 * {@code _seconds}); the writer adds {@code _total} to counters.
 */
final class Families {
    private Families() {
    }

    static GaugeSnapshot gauge(String name, String help, double value) {
        return GaugeSnapshot.builder().name(name).help(help)
                .dataPoint(GaugeDataPointSnapshot.builder().value(value).build()).build();
    }

    /** A gauge with one label: one data point per entry of {@code byLabel}. */
    static GaugeSnapshot gauge(String name, String help, String label, Map<String, ? extends Number> byLabel) {
        GaugeSnapshot.Builder b = GaugeSnapshot.builder().name(name).help(help);
        byLabel.forEach((v, n) -> b.dataPoint(GaugeDataPointSnapshot.builder()
                .labels(Labels.of(label, v)).value(n.doubleValue()).build()));
        return b.build();
    }

    static CounterSnapshot counter(String name, String help, Unit unit, double value) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        if (unit != null) {
            b.unit(unit);
        }
        return b.dataPoint(CounterDataPointSnapshot.builder().value(value).build()).build();
    }

    static CounterSnapshot counter(String name, String help, String label, Map<String, ? extends Number> byLabel) {
        CounterSnapshot.Builder b = CounterSnapshot.builder().name(name).help(help);
        byLabel.forEach((v, n) -> b.dataPoint(CounterDataPointSnapshot.builder()
                .labels(Labels.of(label, v)).value(n.doubleValue()).build()));
        return b.build();
    }
}

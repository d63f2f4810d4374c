package io.hivemesh.rest.internal.metrics;

import io.hivemesh.api.workload.MachinePlane;
import io.hivemesh.api.workload.MachinePlane.Event;
import io.hivemesh.api.workload.MachinePlane.Task;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Supplier;

/**
 * {@code hivemesh_workload_apply_duration_seconds}: from an apply (the task's {@code Applied} or
 * {@code Updated} event) to every replica of that generation running (its {@code Available} event,
 * which the owner records when the last wanted replica reports Running). Observed at scrape time from
 * the events of the tasks this node owns, each generation once, and only generations that became
 * available after this collector started (events from before a restart are not counted again).
 * A generation that never becomes available is never observed. Thread-safe.
 */
public final class ApplyLatency implements MultiCollector {
    /** Bucket bounds in seconds: a local podman start takes about a second, a mesh-wide apply longer. */
    static final double[] BOUNDS = {0.5, 1, 2, 5, 10, 20, 30, 60, 120, 300, 600};

    private final Supplier<Optional<MachinePlane>> plane;
    private final long sinceMillis;
    private final Histogram histogram = Histogram.builder()
            .name("hivemesh_workload_apply_duration_seconds")
            .help("Time from applying a task generation to all its replicas running, for tasks this node owns.")
            .unit(Unit.SECONDS)
            .classicOnly()
            .classicUpperBounds(BOUNDS)
            .withoutExemplars()
            .build();
    /** Task id → generations already observed (pruned to tasks still owned at each scrape). */
    private final Map<String, Set<Long>> observed = new HashMap<>();

    public ApplyLatency(Supplier<Optional<MachinePlane>> plane, long sinceMillis) {
        this.plane = plane;
        this.sinceMillis = sinceMillis;
    }

    @Override
    public synchronized MetricSnapshots collect() {
        plane.get().ifPresent(this::observe);
        return new MetricSnapshots(histogram.collect());
    }

    private void observe(MachinePlane p) {
        Set<String> owned = new HashSet<>();
        for (Task t : p.tasks(null)) {
            owned.add(t.taskId());
            Map<Long, Long> applied = new HashMap<>();
            Set<Long> seen = observed.computeIfAbsent(t.taskId(), k -> new HashSet<>());
            for (Event e : p.events(t.tenant(), t.name())) {
                if (!e.taskId().equals(t.taskId())) {
                    continue;
                }
                switch (e.kind()) {
                    case "Applied", "Updated" -> applied.put(e.generation(), e.atMillis());
                    case "Available" -> {
                        Long at = applied.get(e.generation());
                        if (at != null && e.atMillis() >= sinceMillis && e.atMillis() >= at
                                && seen.add(e.generation())) {
                            histogram.observe((e.atMillis() - at) / 1000.0);
                        }
                    }
                    default -> {
                    }
                }
            }
        }
        observed.keySet().retainAll(owned);
    }
}

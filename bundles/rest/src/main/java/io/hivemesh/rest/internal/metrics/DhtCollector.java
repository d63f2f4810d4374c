package io.hivemesh.rest.internal.metrics;

import io.hivemesh.api.routing.QueryStats;
import io.hivemesh.api.routing.RoutingTableInfo;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.ClassicHistogramBuckets;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot;
import io.prometheus.metrics.model.snapshots.HistogramSnapshot.HistogramDataPointSnapshot;
import io.prometheus.metrics.model.snapshots.Labels;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import io.prometheus.metrics.model.snapshots.Unit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * The DHT's families, read at scrape time from {@link RoutingTableInfo}: this node's queries by kind
 * as a histogram of their durations (its {@code _count} is the number of queries) and their
 * failures, the routing table's size and the records and provider keys stored here.
 */
public final class DhtCollector implements MultiCollector {
    private final Supplier<Optional<RoutingTableInfo>> dht;

    public DhtCollector(Supplier<Optional<RoutingTableInfo>> dht) {
        this.dht = dht;
    }

    @Override
    public MetricSnapshots collect() {
        Optional<RoutingTableInfo> d = dht.get();
        if (d.isEmpty()) {
            return new MetricSnapshots();
        }
        RoutingTableInfo info = d.get();
        List<MetricSnapshot> out = new ArrayList<>();
        int peers = info.buckets().values().stream().mapToInt(List::size).sum();
        out.add(Families.gauge("hivemesh_dht_routing_table_peers", "Peers in the DHT routing table.", peers));
        out.add(Families.gauge("hivemesh_dht_stored_records", "DHT records held in this node's record store.",
                info.storedRecords()));
        out.add(Families.gauge("hivemesh_dht_stored_provider_keys",
                "Provider keys held in this node's provider store.", info.storedProviderKeys()));
        List<QueryStats> stats = info.queryStats();
        if (!stats.isEmpty()) {
            HistogramSnapshot.Builder h = HistogramSnapshot.builder().name("hivemesh_dht_query_duration_seconds")
                    .help("Duration of the DHT queries this node started, from the call to its completion, by kind.")
                    .unit(Unit.SECONDS);
            Map<String, Long> failures = new LinkedHashMap<>();
            for (QueryStats q : stats) {
                h.dataPoint(HistogramDataPointSnapshot.builder()
                        .labels(Labels.of("kind", q.kind()))
                        .classicHistogramBuckets(buckets(q))
                        .sum(q.sumSeconds())
                        .build());
                failures.put(q.kind(), q.failures());
            }
            out.add(h.build());
            out.add(Families.counter("hivemesh_dht_query_failures",
                    "DHT queries this node started that failed (timed out, no peer answered, refused), by kind.",
                    "kind", failures));
        }
        return new MetricSnapshots(out);
    }

    /** Cumulative counts as the API gives them, per-bucket counts as the client library wants them. */
    private static ClassicHistogramBuckets buckets(QueryStats q) {
        int n = q.upperBounds().size();
        double[] bounds = new double[n];
        long[] counts = new long[n];
        long previous = 0;
        for (int i = 0; i < n; i++) {
            bounds[i] = q.upperBounds().get(i);
            long cumulative = q.cumulativeCounts().get(i);
            counts[i] = Math.max(0, cumulative - previous);
            previous = Math.max(previous, cumulative);
        }
        return ClassicHistogramBuckets.of(bounds, counts);
    }
}

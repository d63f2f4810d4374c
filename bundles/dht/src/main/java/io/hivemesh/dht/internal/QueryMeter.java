package io.hivemesh.dht.internal;

import io.hivemesh.api.routing.QueryStats;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.DoubleAdder;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;

/**
 * Counts the DHT queries this node starts and how long each took until its future completed, per
 * kind ({@link QueryStats#KINDS}), in fixed histogram buckets. Thread-safe; a snapshot read while
 * queries complete may be off by the queries completing at that moment.
 */
final class QueryMeter {
    /** Bucket upper bounds in seconds (a lookup takes from milliseconds on a LAN to its timeout). */
    static final double[] BOUNDS = {0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60};

    private static final class Kind {
        final AtomicLongArray buckets = new AtomicLongArray(BOUNDS.length + 1);
        final LongAdder failures = new LongAdder();
        final DoubleAdder sumSeconds = new DoubleAdder();
    }

    private final LongSupplier nanoTime;
    private final Map<String, Kind> kinds = new LinkedHashMap<>();

    QueryMeter(LongSupplier nanoTime) {
        this.nanoTime = nanoTime;
        for (String k : QueryStats.KINDS) {
            kinds.put(k, new Kind());
        }
    }

    /** Times {@code query} (started now) as one query of {@code kind}; returns it unchanged. */
    <T> CompletableFuture<T> time(String kind, CompletableFuture<T> query) {
        Kind k = kinds.get(kind);
        if (k == null) {
            throw new IllegalArgumentException("unknown DHT query kind '" + kind + "'");
        }
        long start = nanoTime.getAsLong();
        query.whenComplete((v, e) -> record(k, (nanoTime.getAsLong() - start) / 1e9, e != null));
        return query;
    }

    private static void record(Kind k, double seconds, boolean failed) {
        int i = 0;
        while (i < BOUNDS.length && seconds > BOUNDS[i]) {
            i++;
        }
        k.buckets.incrementAndGet(i);
        k.sumSeconds.add(Math.max(0, seconds));
        if (failed) {
            k.failures.increment();
        }
    }

    List<QueryStats> snapshot() {
        List<QueryStats> out = new ArrayList<>();
        List<Double> bounds = new ArrayList<>();
        for (double b : BOUNDS) {
            bounds.add(b);
        }
        bounds.add(Double.POSITIVE_INFINITY);
        kinds.forEach((name, k) -> {
            List<Long> cumulative = new ArrayList<>();
            long total = 0;
            for (int i = 0; i < k.buckets.length(); i++) {
                total += k.buckets.get(i);
                cumulative.add(total);
            }
            out.add(new QueryStats(name, total, k.failures.sum(), k.sumSeconds.sum(), bounds, cumulative));
        });
        return out;
    }
}

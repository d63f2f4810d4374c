package io.hivemesh.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hivemesh.api.routing.QueryStats;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class QueryMeterTest {
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private final QueryMeter meter = new QueryMeter(now::get);

    private QueryStats of(String kind) {
        return meter.snapshot().stream().filter(q -> q.kind().equals(kind)).findFirst().orElseThrow();
    }

    @Test
    void timesEachQueryUntilItsFutureCompletesIntoCumulativeBuckets() {
        CompletableFuture<Integer> fast = new CompletableFuture<>();
        assertSame(fast, meter.time("put_value", fast));
        CompletableFuture<Integer> slow = meter.time("put_value", new CompletableFuture<>());
        CompletableFuture<Integer> failed = meter.time("get_value", new CompletableFuture<>());
        CompletableFuture<Integer> open = meter.time("find_peer", new CompletableFuture<>());
        now.addAndGet(3_000_000L);       // 3 ms
        fast.complete(1);
        now.addAndGet(1_997_000_000L);   // 2 s
        slow.complete(2);
        failed.completeExceptionally(new IllegalStateException("no peer answered"));

        QueryStats put = of("put_value");
        assertEquals(2, put.count());
        assertEquals(0, put.failures());
        assertEquals(2.003, put.sumSeconds(), 1e-9);
        assertEquals(Double.POSITIVE_INFINITY, put.upperBounds().get(put.upperBounds().size() - 1));
        int b5ms = put.upperBounds().indexOf(0.005);
        int b1s = put.upperBounds().indexOf(1.0);
        int b25s = put.upperBounds().indexOf(2.5);
        assertEquals(1, put.cumulativeCounts().get(b5ms));
        assertEquals(1, put.cumulativeCounts().get(b1s));
        assertEquals(2, put.cumulativeCounts().get(b25s));
        assertEquals(2, put.cumulativeCounts().get(put.cumulativeCounts().size() - 1));
        assertEquals(1, of("get_value").failures());
        assertEquals(1, of("get_value").count());
        assertEquals(0, of("find_peer").count(), "a query still running is not counted yet");
        assertEquals(QueryStats.KINDS, meter.snapshot().stream().map(QueryStats::kind).toList());
        open.cancel(true);
        assertEquals(1, of("find_peer").failures(), "a cancelled query counts as failed");
    }

    @Test
    void anUnknownKindIsABug() {
        assertThrows(IllegalArgumentException.class, () -> meter.time("nope", new CompletableFuture<>()));
        assertEquals(List.of(), meter.snapshot().stream().filter(q -> q.count() > 0).toList());
    }
}

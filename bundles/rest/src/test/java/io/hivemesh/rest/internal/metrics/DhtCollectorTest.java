package io.hivemesh.rest.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.multiformats.Multihash;
import io.hivemesh.api.routing.QueryStats;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DhtCollectorTest {
    private static final double INF = Double.POSITIVE_INFINITY;
    private final RoutingTableInfoFake dht = new RoutingTableInfoFake();
    private final ServiceSlot<io.hivemesh.api.routing.RoutingTableInfo> slot = new ServiceSlot<>();

    @Test
    void queriesAsAHistogramPerKindWithFailuresAndTableSizes() {
        slot.bind(dht);
        dht.records = 7;
        dht.providerKeys = 3;
        dht.buckets.put(250, List.of(peer(), peer()));
        dht.buckets.put(253, List.of(peer()));
        dht.queries = List.of(
                new QueryStats("get_value", 5, 1, 2.5, List.of(0.1, 1.0, INF), List.of(2L, 4L, 5L)),
                new QueryStats("find_peer", 0, 0, 0, List.of(0.1, 1.0, INF), List.of(0L, 0L, 0L)));

        Map<String, Exposition.Family> f = Scrape.of(new DhtCollector(slot));

        Exposition.Family h = f.get("hivemesh_dht_query_duration_seconds");
        assertEquals("histogram", h.type());
        String n = "hivemesh_dht_query_duration_seconds";
        assertEquals(2, h.value(n + "_bucket", "kind", "get_value", "le", "0.1"));
        assertEquals(4, h.value(n + "_bucket", "kind", "get_value", "le", "1.0"));
        assertEquals(5, h.value(n + "_bucket", "kind", "get_value", "le", "+Inf"));
        assertEquals(5, h.value(n + "_count", "kind", "get_value"));
        assertEquals(2.5, h.value(n + "_sum", "kind", "get_value"));
        assertEquals(0, h.value(n + "_count", "kind", "find_peer"));
        assertEquals(1, f.get("hivemesh_dht_query_failures_total").value("hivemesh_dht_query_failures_total", "kind", "get_value"));
        assertEquals(3, f.get("hivemesh_dht_routing_table_peers").value("hivemesh_dht_routing_table_peers"));
        assertEquals(7, f.get("hivemesh_dht_stored_records").value("hivemesh_dht_stored_records"));
        assertEquals(3, f.get("hivemesh_dht_stored_provider_keys").value("hivemesh_dht_stored_provider_keys"));
    }

    @Test
    void aDhtWithoutQueryStatsStillReportsItsTable() {
        slot.bind(dht);
        Map<String, Exposition.Family> f = Scrape.of(new DhtCollector(slot));
        assertTrue(f.containsKey("hivemesh_dht_routing_table_peers"));
        assertFalse(f.containsKey("hivemesh_dht_query_duration_seconds"));
    }

    @Test
    void queryStatsWithoutAnInfBucketAreRefusedByTheApi() {
        assertThrows(IllegalArgumentException.class,
                () -> new QueryStats("get_value", 1, 0, 1, List.of(0.1, 1.0), List.of(0L, 1L)));
        assertThrows(IllegalArgumentException.class,
                () -> new QueryStats("get_value", 1, 0, 1, List.of(0.1, INF), List.of(1L)));
    }

    private static int peers;

    private static PeerId peer() {
        return PeerId.fromMultihash(Multihash.sha256(new byte[] {(byte) peers++}));
    }
}

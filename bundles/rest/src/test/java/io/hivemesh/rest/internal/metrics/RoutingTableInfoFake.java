package io.hivemesh.rest.internal.metrics;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.QueryStats;
import io.hivemesh.api.routing.RoutingTableInfo;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;

/** The DHT's operator view with the sizes and query stats a test sets. */
final class RoutingTableInfoFake implements RoutingTableInfo {
    final SortedMap<Integer, List<PeerId>> buckets = new TreeMap<>();
    volatile int records;
    volatile int providerKeys;
    volatile List<QueryStats> queries = List.of();

    @Override
    public String mode() {
        return "server";
    }

    @Override
    public String protocol() {
        return "/ipfs/kad/1.0.0";
    }

    @Override
    public SortedMap<Integer, List<PeerId>> buckets() {
        return buckets;
    }

    @Override
    public int storedRecords() {
        return records;
    }

    @Override
    public int storedProviderKeys() {
        return providerKeys;
    }

    @Override
    public List<QueryStats> queryStats() {
        return queries;
    }
}

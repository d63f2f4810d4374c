package io.hivemesh.api.routing;

import io.hivemesh.api.peer.PeerId;
import java.util.List;
import java.util.SortedMap;

/** What an operator sees of the DHT (the {@code dht:table} command). Thread-safe. */
public interface RoutingTableInfo {

    /** {@code server} (serves and announces the protocol) or {@code client} (queries only). */
    String mode();

    /** The Kademlia protocol id in use, e.g. {@code /ipfs/kad/1.0.0}. */
    String protocol();

    /**
     * The non-empty k-buckets by index (the common-prefix length of the peers' SHA-256 key with this
     * node's), each least recently seen peer first.
     */
    SortedMap<Integer, List<PeerId>> buckets();

    /** Records and provider keys held in this node's stores. */
    int storedRecords();

    int storedProviderKeys();

    /**
     * What this node's own DHT queries did since it started (a read-only view for metrics), one entry
     * per kind of query ({@link QueryStats#KINDS}); empty when the implementation does not count them.
     *
     * @since 0.4
     */
    default List<QueryStats> queryStats() {
        return List.of();
    }
}

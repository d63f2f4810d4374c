package io.hivemesh.api.routing;

import io.hivemesh.api.multiformats.Cid;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;

/** Who provides which content, announced in and found through the DHT. Thread-safe. */
public interface ContentRouting {

    /** Announces this node as a provider of {@code cid}; completes with the number of peers told. */
    CompletableFuture<Integer> provide(Cid cid);

    /**
     * Finds up to {@code limit} providers of {@code cid}, handing each to {@code onProvider} as soon
     * as it is found (at most once per peer, on a lookup thread); completes with the count found.
     * Cancelling the returned future stops the lookup.
     */
    CompletableFuture<Integer> findProviders(Cid cid, int limit, Consumer<PeerInfo> onProvider);
}

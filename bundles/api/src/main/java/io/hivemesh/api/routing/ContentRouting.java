package io.hivemesh.api.routing;

import io.hivemesh.api.multiformats.Cid;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.CompletableFuture;
import org.osgi.annotation.versioning.ProviderType;

/**
 * Who provides which content, announced in and found through the DHT. CIDs with the same multihash
 * are one provider key (a provider of one is found for the other). Implemented by the DHT only
 * ({@link ProviderType}: methods may be added in minor versions). Thread-safe.
 */
@ProviderType
public interface ContentRouting {

    /**
     * Announces this node as a provider of {@code cid} and keeps announcing it (reproviding, across
     * restarts) until {@link #withdraw withdrawn}; completes with the number of peers told.
     */
    CompletableFuture<Integer> provide(Cid cid);

    /**
     * Stops providing {@code cid}: this node no longer reprovides it (now or after a restart) and
     * drops its own entry from its local provider store. Kademlia has no remote delete, so nothing is
     * sent: the entries other peers hold stay findable until they expire, at most the DHT's provider
     * TTL after the last announcement (config {@code io.hivemesh.dht}, {@code provider_ttl_s}, 48 h
     * by default); whoever finds a provider must confirm with it. Withdrawing a CID this node does not
     * provide changes nothing. Completes once the change is on disk; fails if it cannot be written.
     */
    CompletableFuture<Void> withdraw(Cid cid);

    /**
     * The CIDs this node provides and reprovides now, as last {@link #provide provided} (a key
     * provided before this was recorded shows as a CIDv1 with the raw codec), in no particular order.
     */
    Set<Cid> provided();

    /**
     * Finds up to {@code limit} providers of {@code cid}, handing each to {@code onProvider} as soon
     * as it is found (at most once per peer, on a lookup thread); completes with the count found.
     * Cancelling the returned future stops the lookup.
     */
    CompletableFuture<Integer> findProviders(Cid cid, int limit, Consumer<PeerInfo> onProvider);
}

package io.hivemesh.pubsub.internal;

import io.hivemesh.api.discovery.Discovery;
import io.hivemesh.api.discovery.DiscoverySource;
import io.hivemesh.api.net.PeerStore;
import io.hivemesh.api.peer.PeerId;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiConsumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where peers offered by gossipsub peer exchange go (the {@link PubSubService#onPeerExchange} sink;
 * it runs on the service's event thread, never the router's). A signed peer record that came with
 * the peer is handed to the {@link PeerStore} ({@link PeerStore#addSignedPeerRecord}: verified, its
 * addresses certified); a record that does not verify is logged at debug, counted and otherwise
 * ignored (the peer id is still used: PX gave it, not the record). Then the peer goes to
 * {@link Discovery} (when one is bound) with whatever addresses the store now knows for it, possibly
 * none. Thread-safe.
 */
public final class PeerExchangeIntake implements BiConsumer<PeerId, byte[]> {
    private static final Logger LOG = LoggerFactory.getLogger(PeerExchangeIntake.class);

    /** Counters for operators and tests. */
    public record Stats(long offered, long recordsAccepted, long recordsRefused, long reported) {
    }

    private final PeerStore store;
    private final Supplier<Discovery> discovery;
    private final AtomicLong offered = new AtomicLong();
    private final AtomicLong accepted = new AtomicLong();
    private final AtomicLong refused = new AtomicLong();
    private final AtomicLong reported = new AtomicLong();

    /**
     * @param store the host's peer store
     * @param discovery the Discovery service, or null while none is bound
     */
    public PeerExchangeIntake(PeerStore store, Supplier<Discovery> discovery) {
        this.store = store;
        this.discovery = discovery;
    }

    @Override
    public void accept(PeerId peer, byte[] signedPeerRecord) {
        offered.incrementAndGet();
        if (signedPeerRecord != null && signedPeerRecord.length > 0) {
            try {
                if (store.addSignedPeerRecord(peer, signedPeerRecord)) {
                    accepted.incrementAndGet();
                }
            } catch (IllegalArgumentException e) {
                refused.incrementAndGet();
                LOG.debug("pubsub peer exchange: {}", e.getMessage());
            } catch (UnsupportedOperationException e) {
                LOG.debug("pubsub peer exchange: the record of {} is unused: {}", peer, e.getMessage());
            }
        }
        Discovery d = discovery.get();
        if (d != null) {
            d.report(peer, store.addresses(peer), DiscoverySource.PEER_EXCHANGE);
            reported.incrementAndGet();
        }
    }

    public Stats stats() {
        return new Stats(offered.get(), accepted.get(), refused.get(), reported.get());
    }
}

package io.hivemesh.pubsub.internal;

import io.hivemesh.api.pubsub.PubSubEvent;
import io.hivemesh.api.pubsub.PubSubMessage;
import io.hivemesh.api.peer.PeerId;

/**
 * What the router tells the layer above it. Called on the router thread; implementations must return
 * quickly and never block (hand the work to a bounded queue).
 */
public interface RouterListener {

    /** A validated message of a subscribed topic (own publications only when {@link GossipSettings#emitSelf()}). */
    void deliver(PubSubMessage message);

    /** A change in the overlay (peer joined/left, subscribed/unsubscribed, grafted/pruned). */
    void event(PubSubEvent event);

    /**
     * A peer offered by peer exchange in a PRUNE from a peer whose score is at least
     * {@link ScoreThresholds#acceptPx()}; {@code signedPeerRecord} is the sealed envelope as received
     * (empty when the sender gave none) and is not verified by the router.
     */
    void peerExchange(PeerId peer, byte[] signedPeerRecord);
}

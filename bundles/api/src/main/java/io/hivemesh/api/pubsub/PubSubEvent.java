package io.hivemesh.api.pubsub;

import io.hivemesh.api.peer.PeerId;

/** What changed in the pubsub overlay, as {@link PubSub#listen} reports it. */
public sealed interface PubSubEvent {

    PeerId peer();

    /** {@code peer} opened a pubsub stream with {@code protocol}. */
    record PeerJoined(PeerId peer, String protocol) implements PubSubEvent {
    }

    /** {@code peer}'s pubsub streams are gone. */
    record PeerLeft(PeerId peer) implements PubSubEvent {
    }

    /** {@code peer} announced a subscription to {@code topic}. */
    record Subscribed(PeerId peer, String topic) implements PubSubEvent {
    }

    /** {@code peer} announced it left {@code topic}. */
    record Unsubscribed(PeerId peer, String topic) implements PubSubEvent {
    }

    /** {@code peer} joined this node's mesh for {@code topic}. */
    record Grafted(PeerId peer, String topic) implements PubSubEvent {
    }

    /** {@code peer} left this node's mesh for {@code topic}. */
    record Pruned(PeerId peer, String topic) implements PubSubEvent {
    }
}

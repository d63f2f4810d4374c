package io.hivemesh.api.pubsub;

/**
 * Message counters of the pubsub router since it started.
 *
 * @param received  messages received from peers on topics this node routes, duplicates excluded
 * @param delivered received messages that passed validation (delivered to subscribers and forwarded)
 * @param rejected  received messages refused: bad signature, malformed or too large, or rejected by a validator
 * @param ignored   received messages dropped without penalty: validator IGNORE or timeout, full validation queue
 * @param published this node's own messages sent to at least the peers it chose (publications that succeeded)
 */
public record PubSubStats(long received, long delivered, long rejected, long ignored, long published) {
}

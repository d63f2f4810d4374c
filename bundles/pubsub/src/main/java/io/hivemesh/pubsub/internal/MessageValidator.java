package io.hivemesh.pubsub.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.pubsub.PubSubMessage;
import io.hivemesh.api.pubsub.ValidationResult;
import java.util.function.Consumer;

/**
 * The application's verdict on a message that passed the router's own checks (seen cache, signature,
 * size). Called on the router thread; must not block. {@code done} may be called from any thread, at
 * most once (later calls are ignored); the router re-enters through its executor. A verdict that does
 * not arrive within {@link GossipSettings#validationTimeout()} counts as {@link ValidationResult#IGNORE}
 * (checked at each heartbeat).
 */
@FunctionalInterface
public interface MessageValidator {

    /** A validator that accepts everything (for topics without validators). */
    MessageValidator ACCEPT_ALL = (from, message, done) -> done.accept(ValidationResult.ACCEPT);

    /**
     * @param receivedFrom the peer that sent this copy (this node for its own publications)
     * @param message      the message
     * @param done         receives the verdict, at most once, from any thread
     */
    void validate(PeerId receivedFrom, PubSubMessage message, Consumer<ValidationResult> done);
}

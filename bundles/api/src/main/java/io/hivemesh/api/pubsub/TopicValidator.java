package io.hivemesh.api.pubsub;

import io.hivemesh.api.peer.PeerId;
import java.util.concurrent.CompletionStage;

/**
 * Validates messages of one or more topics before they are delivered or forwarded. Whiteboard:
 * register an implementation as an OSGi service with {@value #TOPIC} set to the topic name(s). Every
 * validator of a topic must accept a message for it to pass; the first {@link ValidationResult#REJECT}
 * rejects it (and penalises the sender under peer scoring), {@link ValidationResult#IGNORE} drops it
 * without penalty. Validation is asynchronous and bounded: an answer that takes longer than the
 * configured validation timeout counts as IGNORE, and validations beyond the configured queue are
 * dropped (as IGNORE). Validators also run for this node's own publications.
 */
@FunctionalInterface
public interface TopicValidator {

    /** Service property naming the topic(s) this validator checks. */
    String TOPIC = "hivemesh.topic";

    /**
     * @param receivedFrom the peer that sent this copy (this node for its own publications)
     * @param message      the message, already checked for signature and size
     */
    CompletionStage<ValidationResult> validate(PeerId receivedFrom, PubSubMessage message);
}

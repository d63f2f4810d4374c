package io.hivemesh.api.pubsub;

import io.hivemesh.api.HivemeshException;

/** Why a {@link PubSub#publish} failed; the message names the topic and the limit or cause. */
public class PublishException extends HivemeshException {

    private static final long serialVersionUID = 1L;

    /** The cause, for callers that act on it. */
    public enum Reason {
        /** No peer is subscribed to the topic (and publishing to zero peers is not allowed). */
        NO_PEERS,
        /** The message exceeds the configured maximum. */
        TOO_LARGE,
        /** A local {@link TopicValidator} rejected or ignored it. */
        REJECTED,
        /** The same message (same id) was already published or seen. */
        DUPLICATE,
        /** The pubsub service is stopping or stopped. */
        NOT_RUNNING
    }

    private final Reason reason;

    public PublishException(Reason reason, String message) {
        super(message);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}

package io.hivemesh.api.pubsub;

/** A {@link TopicValidator}'s verdict. */
public enum ValidationResult {
    /** Deliver and forward. */
    ACCEPT,
    /** Invalid: drop, do not forward, and penalise the sender (peer scoring P4). */
    REJECT,
    /** Drop and do not forward, without penalty (e.g. stale or irrelevant). */
    IGNORE
}

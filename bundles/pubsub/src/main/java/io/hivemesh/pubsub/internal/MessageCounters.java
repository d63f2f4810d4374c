package io.hivemesh.pubsub.internal;

import io.hivemesh.api.pubsub.PubSubStats;
import java.util.concurrent.atomic.LongAdder;

/**
 * The router's message counters ({@link PubSubStats}): written on the router thread, read from any.
 */
final class MessageCounters {
    final LongAdder received = new LongAdder();
    final LongAdder delivered = new LongAdder();
    final LongAdder rejected = new LongAdder();
    final LongAdder ignored = new LongAdder();
    final LongAdder published = new LongAdder();

    PubSubStats snapshot() {
        return new PubSubStats(received.sum(), delivered.sum(), rejected.sum(), ignored.sum(), published.sum());
    }
}

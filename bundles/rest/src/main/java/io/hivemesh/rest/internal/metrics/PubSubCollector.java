package io.hivemesh.rest.internal.metrics;

import io.hivemesh.api.pubsub.PubSub;
import io.hivemesh.api.pubsub.PubSubStats;
import io.prometheus.metrics.model.registry.MultiCollector;
import io.prometheus.metrics.model.snapshots.MetricSnapshot;
import io.prometheus.metrics.model.snapshots.MetricSnapshots;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/** Gossipsub's families, read at scrape time: messages in, out, rejected and ignored, peers, topics. */
public final class PubSubCollector implements MultiCollector {
    private final Supplier<Optional<PubSub>> pubsub;

    public PubSubCollector(Supplier<Optional<PubSub>> pubsub) {
        this.pubsub = pubsub;
    }

    @Override
    public MetricSnapshots collect() {
        Optional<PubSub> p = pubsub.get();
        if (p.isEmpty()) {
            return new MetricSnapshots();
        }
        List<MetricSnapshot> out = new ArrayList<>();
        out.add(Families.gauge("hivemesh_pubsub_peers", "Peers this node speaks pubsub with.", p.get().peers().size()));
        out.add(Families.gauge("hivemesh_pubsub_topics", "Topics this node is subscribed to.", p.get().topics().size()));
        p.get().stats().ifPresent((PubSubStats s) -> {
            out.add(Families.counter("hivemesh_pubsub_messages_received",
                    "Pubsub messages received from peers on topics this node routes, duplicates excluded.", null,
                    s.received()));
            out.add(Families.counter("hivemesh_pubsub_messages_delivered",
                    "Received pubsub messages that passed validation (delivered and forwarded).", null, s.delivered()));
            out.add(Families.counter("hivemesh_pubsub_messages_rejected",
                    "Received pubsub messages refused: bad signature, malformed or too large, or rejected by a validator.",
                    null, s.rejected()));
            out.add(Families.counter("hivemesh_pubsub_messages_ignored",
                    "Received pubsub messages dropped without penalty (validator IGNORE or timeout, full queue).",
                    null, s.ignored()));
            out.add(Families.counter("hivemesh_pubsub_messages_published",
                    "Pubsub messages this node published successfully.", null, s.published()));
        });
        return new MetricSnapshots(out);
    }
}

package io.hivemesh.rest.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.hivemesh.api.pubsub.PubSubStats;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class PubSubCollectorTest {
    @Test
    void messageCountersPeersAndTopics() {
        PubSubFake p = new PubSubFake();
        p.topics = Set.of("a", "b");
        p.stats = Optional.of(new PubSubStats(10, 7, 2, 1, 4));
        ServiceSlot<io.hivemesh.api.pubsub.PubSub> slot = new ServiceSlot<>();
        slot.bind(p);

        Map<String, Exposition.Family> f = Scrape.of(new PubSubCollector(slot));

        assertEquals(10, f.get("hivemesh_pubsub_messages_received_total").value("hivemesh_pubsub_messages_received_total"));
        assertEquals(7, f.get("hivemesh_pubsub_messages_delivered_total").value("hivemesh_pubsub_messages_delivered_total"));
        assertEquals(2, f.get("hivemesh_pubsub_messages_rejected_total").value("hivemesh_pubsub_messages_rejected_total"));
        assertEquals(1, f.get("hivemesh_pubsub_messages_ignored_total").value("hivemesh_pubsub_messages_ignored_total"));
        assertEquals(4, f.get("hivemesh_pubsub_messages_published_total").value("hivemesh_pubsub_messages_published_total"));
        assertEquals(2, f.get("hivemesh_pubsub_topics").value("hivemesh_pubsub_topics"));
        assertEquals(0, f.get("hivemesh_pubsub_peers").value("hivemesh_pubsub_peers"));
        assertEquals("counter", f.get("hivemesh_pubsub_messages_rejected_total").type());
    }

    @Test
    void withoutCountersOnlyTheOverlaySizes() {
        ServiceSlot<io.hivemesh.api.pubsub.PubSub> slot = new ServiceSlot<>();
        slot.bind(new PubSubFake());
        Map<String, Exposition.Family> f = Scrape.of(new PubSubCollector(slot));
        assertEquals(Set.of("hivemesh_pubsub_peers", "hivemesh_pubsub_topics"), f.keySet());
        assertFalse(Scrape.of(new PubSubCollector(new ServiceSlot<>())).containsKey("hivemesh_pubsub_peers"));
    }
}

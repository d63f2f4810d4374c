package io.hivemesh.rest.internal.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeMetricsTest {
    @Test
    void withNoSubsystemTheJvmFamiliesAndTheEmptyApplyHistogramParse() {
        ServiceSlot<io.hivemesh.api.workload.MachinePlane> none = new ServiceSlot<>();
        NodeMetrics m = new NodeMetrics(List.of(new TransportCollector(new ServiceSlot<>(), new ServiceSlot<>()),
                new DhtCollector(new ServiceSlot<>()), new PubSubCollector(new ServiceSlot<>()),
                new WorkloadCollector(none), new ApplyLatency(none, 0)), true);
        Map<String, Exposition.Family> f = Exposition.parse(Scrape.text(m));
        assertTrue(f.get("jvm_memory_used_bytes").samples().stream()
                .anyMatch(s -> s.labels().get("area").equals("heap") && s.value() > 0), f.keySet().toString());
        assertTrue(f.get("jvm_threads_current").samples().get(0).value() >= 1);
        assertTrue(f.containsKey("hivemesh_workload_apply_duration_seconds"));
        assertEquals(List.of("hivemesh_workload_apply_duration_seconds"),
                f.keySet().stream().filter(k -> k.startsWith("hivemesh_")).toList());
        f.values().forEach(family -> assertTrue(family.help() != null && !family.help().isEmpty(), family.name()));
        assertTrue(NodeMetrics.CONTENT_TYPE.startsWith("text/plain; version=0.0.4"), NodeMetrics.CONTENT_TYPE);
    }

    @Test
    void theParserRefusesBrokenExpositions() {
        assertThrows(IllegalArgumentException.class, () -> Exposition.parse("x 1\n"));
        assertThrows(IllegalArgumentException.class, () -> Exposition.parse("# TYPE x gauge\nx{a=\"b} 1\n"));
        assertThrows(IllegalArgumentException.class, () -> Exposition.parse("# TYPE x gauge\ny 1\n"));
        assertThrows(IllegalArgumentException.class, () -> Exposition.parse("# TYPE x gauge\nx one\n"));
        assertThrows(IllegalArgumentException.class, () -> Exposition.parse(
                "# TYPE h histogram\nh_bucket{le=\"1\"} 2\nh_bucket{le=\"+Inf\"} 1\nh_count 1\n"));
        assertThrows(IllegalArgumentException.class, () -> Exposition.parse(
                "# TYPE h histogram\nh_bucket{le=\"1\"} 1\nh_count 1\n"));
        assertEquals(1.0, Exposition.parse("# TYPE x gauge\nx{a=\"q\\\"\\n\"} 1\n").get("x").value("x", "a", "q\"\n"));
    }
}

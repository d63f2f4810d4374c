package io.hivemesh.rest.internal.metrics;

import static io.hivemesh.rest.internal.metrics.MachinePlaneFake.replica;
import static io.hivemesh.rest.internal.metrics.MachinePlaneFake.task;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.hivemesh.api.workload.MachinePlane;
import java.util.List;
import org.junit.jupiter.api.Test;

class ApplyLatencyTest {
    private static final String N = "hivemesh_workload_apply_duration_seconds";
    private final MachinePlaneFake plane = new MachinePlaneFake();
    private final ServiceSlot<MachinePlane> slot = new ServiceSlot<>();
    private final ApplyLatency latency = new ApplyLatency(slot, 10_000);

    private Exposition.Family scrape() {
        return Scrape.of(latency).get(N);
    }

    @Test
    void fromApplyToAvailableOncePerGeneration() {
        slot.bind(plane);
        plane.tasks.add(task("t1", 2, 1, List.of(replica(0, 2, "Running"))));
        plane.event("t1", 1, "Applied", 20_000);
        plane.event("t1", 1, "Deployed", 21_000);
        plane.event("t1", 1, "Available", 21_500);   // 1.5 s
        plane.event("t1", 2, "Updated", 30_000);
        plane.event("t1", 2, "Available", 34_000);   // 4 s

        Exposition.Family h = scrape();
        assertEquals("histogram", h.type());
        assertEquals(2, h.value(N + "_count"));
        assertEquals(5.5, h.value(N + "_sum"), 1e-9);
        assertEquals(0, h.value(N + "_bucket", "le", "1.0"));
        assertEquals(1, h.value(N + "_bucket", "le", "2.0"));
        assertEquals(2, h.value(N + "_bucket", "le", "5.0"));

        // a replica flaps and the generation is Available again: the apply is not counted twice
        plane.event("t1", 2, "Available", 90_000);
        assertEquals(2, scrape().value(N + "_count"));
    }

    @Test
    void generationsAvailableBeforeStartOrWithoutAnApplyAreNotObserved() {
        slot.bind(plane);
        plane.tasks.add(task("t1", 1, 1, List.of(replica(0, 1, "Running"))));
        plane.tasks.add(task("t2", 1, 1, List.of(replica(0, 1, "Running"))));
        plane.event("t1", 1, "Applied", 1_000);
        plane.event("t1", 1, "Available", 5_000);  // before this collector started (a restart)
        plane.event("t2", 1, "Available", 50_000); // apply event not known (dropped from the event log)
        plane.event("t2", 2, "Applied", 60_000);   // never Available
        assertEquals(0, scrape().value(N + "_count"));
    }

    @Test
    void withoutAMachinePlaneAnEmptyHistogram() {
        assertEquals(0, scrape().value(N + "_count"));
    }
}

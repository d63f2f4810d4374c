package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.ContentRouting;
import io.hivemesh.api.runtime.RuntimeEngines;
import io.hivemesh.protocol.MachineMessage.WorkloadEvent;

import java.time.Clock;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * What the machine-plane roles share on one node: its identity and wire, its store, capacity and
 * reservations, the runtime engines, the provider records (when a DHT is there), the event log,
 * the clock, one scheduler thread pool and the settings.
 */
public record MachineContext(PeerId self, MachineWire wire, WorkloadStore store, Reservations reservations,
                             Supplier<Capacity> capacity, RuntimeEngines engines, Supplier<ContentRouting> providers,
                             TaskEvents events, StatusReporter reporter, Clock clock,
                             ScheduledExecutorService executor, MachineSettings settings,
                             ManifestResources.Defaults defaults) {

    /** Records an event of this node about a task and gossips it on the events topic. */
    public void event(String taskId, long generation, String kind, String message) {
        WorkloadEvent e = new WorkloadEvent(taskId, generation, self, kind, message, clock.millis());
        events.add(e);
        wire.publish(MachineTransport.EVENTS_TOPIC, e).exceptionally(x -> null);
    }
}

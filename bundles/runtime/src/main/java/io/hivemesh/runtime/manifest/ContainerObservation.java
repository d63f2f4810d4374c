package io.hivemesh.runtime.manifest;

import io.hivemesh.api.runtime.PortMapping;
import java.util.List;
import java.util.Map;

/**
 * One container as a runtime reported it: its name, labels, the runtime's state word
 * ({@code created}, {@code running}, {@code exited}, {@code dead}, ...), exit code, the runtime's
 * error text (empty if none) and the ports it bound.
 */
public record ContainerObservation(String name, Map<String, String> labels, String state, int exitCode,
                                   String error, List<PortMapping> ports) {
    public ContainerObservation {
        labels = Map.copyOf(labels);
        ports = List.copyOf(ports);
    }
}

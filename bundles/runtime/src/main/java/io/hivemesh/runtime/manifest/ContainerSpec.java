package io.hivemesh.runtime.manifest;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Collections;
import java.util.OptionalLong;

/**
 * One container of a pod: {@code command} replaces the image entrypoint and {@code args} its
 * command (Kubernetes semantics); env keeps its order; limits in millicores and bytes.
 */
public record ContainerSpec(String name, String image, List<String> command, List<String> args,
                            Map<String, String> env, List<PortSpec> ports, OptionalLong cpuMillis,
                            OptionalLong memoryBytes) {
    public ContainerSpec {
        command = List.copyOf(command);
        args = List.copyOf(args);
        env = Collections.unmodifiableMap(new LinkedHashMap<>(env));
        ports = List.copyOf(ports);
    }
}

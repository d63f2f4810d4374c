package io.hivemesh.runtime.manifest;

/**
 * A container port; {@code hostPort} 0 means not published on the host; {@code protocol} is
 * {@code tcp} or {@code udp}; {@code hostIp} empty means every host address.
 */
public record PortSpec(int containerPort, int hostPort, String protocol, String hostIp) {
}

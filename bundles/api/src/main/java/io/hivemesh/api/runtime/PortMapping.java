package io.hivemesh.api.runtime;

/** A container port bound on the host, as the runtime actually bound it. */
public record PortMapping(String container, int containerPort, String protocol, String hostIp, int hostPort) {
}

package io.hivemesh.transport.internal;

import io.hivemesh.api.multiformats.Multiaddr;
import java.time.Duration;
import java.util.List;

/**
 * Settings of a {@link Libp2pHost}.
 *
 * @param listen addresses to listen on ({@code /ip4|ip6/.../tcp/N}, port 0 allowed)
 * @param dialTimeout TCP connect timeout
 * @param upgradeTimeout time allowed for multistream + Noise + muxer selection
 * @param maxConnections open connections above which new inbound ones are refused
 * @param maxStreamsPerConnection concurrent inbound streams per connection
 * @param maxWindow largest yamux receive window per stream (auto-tuned up to this)
 * @param idleTimeout connections without streams or traffic for this long are closed
 * @param ioThreads Netty event loop threads
 */
public record HostConfig(List<Multiaddr> listen, Duration dialTimeout, Duration upgradeTimeout, int maxConnections,
        int maxStreamsPerConnection, int maxWindow, Duration idleTimeout, int ioThreads) {

    public static HostConfig defaults(List<Multiaddr> listen) {
        return new HostConfig(listen, Duration.ofSeconds(10), Duration.ofSeconds(15), 1024, 512,
                16 * 1024 * 1024, Duration.ofMinutes(5), 2);
    }
}

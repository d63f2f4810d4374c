package io.hivemesh.transport.internal;

import io.hivemesh.api.multiformats.Multiaddr;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Settings of a {@link Libp2pHost}.
 *
 * @param listen addresses to listen on ({@code /ip4|ip6/.../tcp/N}, port 0 allowed)
 * @param dialTimeout overall deadline of a dial (every address, DNS included)
 * @param upgradeTimeout time allowed for multistream + Noise + muxer selection
 * @param maxWindow largest yamux receive window per stream (auto-tuned up to this)
 * @param idleTimeout connections without streams or traffic for this long are closed
 * @param ioThreads Netty event loop threads
 * @param perf whether {@code /perf/1.0.0} is served (a free traffic source otherwise: off by default)
 * @param limits the resource manager's limits
 * @param peerBook the file the peer store is kept in ({@code null}: in memory only)
 */
public record HostConfig(List<Multiaddr> listen, Duration dialTimeout, Duration upgradeTimeout, int maxWindow,
        Duration idleTimeout, int ioThreads, boolean perf, ResourceScopes.Config limits, Path peerBook) {

    public static HostConfig defaults(List<Multiaddr> listen) {
        return new HostConfig(listen, Duration.ofSeconds(10), Duration.ofSeconds(10), 16 * 1024 * 1024,
                Duration.ofMinutes(5), 2, false, ResourceScopes.Config.defaults(Runtime.getRuntime().maxMemory()), null);
    }

    public HostConfig withPerf(boolean on) {
        return new HostConfig(listen, dialTimeout, upgradeTimeout, maxWindow, idleTimeout, ioThreads, on, limits,
                peerBook);
    }

    public HostConfig withLimits(ResourceScopes.Config l) {
        return new HostConfig(listen, dialTimeout, upgradeTimeout, maxWindow, idleTimeout, ioThreads, perf, l, peerBook);
    }

    public HostConfig withIdleTimeout(Duration d) {
        return new HostConfig(listen, dialTimeout, upgradeTimeout, maxWindow, d, ioThreads, perf, limits, peerBook);
    }

    public HostConfig withPeerBook(Path file) {
        return new HostConfig(listen, dialTimeout, upgradeTimeout, maxWindow, idleTimeout, ioThreads, perf, limits, file);
    }
}

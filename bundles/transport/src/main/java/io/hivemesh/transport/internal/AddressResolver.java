package io.hivemesh.transport.internal;

import io.hivemesh.api.multiformats.Multiaddr;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Turns a dialable transport address into the socket addresses it names, without blocking the
 * caller. Implementations must be thread-safe.
 */
public interface AddressResolver {
    /**
     * The socket addresses of {@code address}, a {@code /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>}
     * multiaddr without {@code /p2p}: the address itself for {@code /ip4} and {@code /ip6}; for
     * {@code /dns4} the A records (IPv4 only), for {@code /dns6} the AAAA records (IPv6 only), for
     * {@code /dns} both, each with the port. The list is never empty on success.
     *
     * <p>The future fails with a {@code HivemeshException} naming the host and why (unknown name,
     * no address of the family, timeout) or the unsupported address. Cancelling it abandons the
     * resolution.
     */
    CompletableFuture<List<InetSocketAddress>> resolve(Multiaddr address);
}

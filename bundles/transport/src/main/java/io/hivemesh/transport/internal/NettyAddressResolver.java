package io.hivemesh.transport.internal;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.multiformats.MultiaddrProtocol;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.nio.NioDatagramChannel;
import io.netty.resolver.ResolvedAddressTypes;
import io.netty.resolver.dns.DnsNameResolver;
import io.netty.resolver.dns.DnsNameResolverBuilder;
import io.netty.util.concurrent.Future;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;

/**
 * {@link AddressResolver} on Netty's asynchronous DNS resolver: {@code /etc/hosts} first (so
 * {@code localhost} resolves without any network), then the name servers of
 * {@code /etc/resolv.conf}, with Netty's cache. {@code /ip4} and {@code /ip6} are returned as they
 * are, without a lookup.
 *
 * <p>One Netty resolver per family selection ({@code /dns4}: A only, {@code /dns6}: AAAA only,
 * {@code /dns}: both, IPv4 listed first), all on one event loop that the caller owns; results are
 * completed on that event loop (the completion only hands the list on). Thread-safe; {@link #close}
 * releases the resolvers' sockets but not the event loop.
 */
public final class NettyAddressResolver implements AddressResolver, AutoCloseable {
    private final DnsNameResolver ipv4;
    private final DnsNameResolver ipv6;
    private final DnsNameResolver both;

    /**
     * @param eventLoop runs the resolvers' I/O (typically one loop of the host's group)
     * @param queryTimeout the longest one DNS query may take (a dial's deadline bounds the whole
     *     resolution on top of this)
     */
    public NettyAddressResolver(EventLoop eventLoop, Duration queryTimeout) {
        Objects.requireNonNull(eventLoop, "eventLoop");
        Objects.requireNonNull(queryTimeout, "queryTimeout");
        ipv4 = build(eventLoop, queryTimeout, ResolvedAddressTypes.IPV4_ONLY);
        ipv6 = build(eventLoop, queryTimeout, ResolvedAddressTypes.IPV6_ONLY);
        both = build(eventLoop, queryTimeout, ResolvedAddressTypes.IPV4_PREFERRED);
    }

    private static DnsNameResolver build(EventLoop loop, Duration timeout, ResolvedAddressTypes types) {
        return new DnsNameResolverBuilder(loop)
                .datagramChannelType(NioDatagramChannel.class)
                .resolvedAddressTypes(types)
                .queryTimeoutMillis(Math.max(1, timeout.toMillis()))
                .build();
    }

    @Override
    public CompletableFuture<List<InetSocketAddress>> resolve(Multiaddr address) {
        List<Multiaddr.Component> parts = address.components();
        if (parts.size() != 2 || parts.get(1).protocol() != MultiaddrProtocol.TCP) {
            return CompletableFuture.failedFuture(new HivemeshException("cannot resolve " + address
                    + ": expected /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>"));
        }
        MultiaddrProtocol kind = parts.get(0).protocol();
        int port = Integer.parseInt(parts.get(1).valueString());
        String host = parts.get(0).valueString();
        DnsNameResolver resolver;
        switch (kind) {
            case IP4, IP6 -> {
                return CompletableFuture.completedFuture(List.of(DialAddresses.literal(address)));
            }
            case DNS4 -> resolver = ipv4;
            case DNS6 -> resolver = ipv6;
            case DNS -> resolver = both;
            default -> {
                return CompletableFuture.failedFuture(new HivemeshException("cannot resolve " + address
                        + ": /" + kind.protocolName() + " is not a host name or IP address"));
            }
        }
        CompletableFuture<List<InetSocketAddress>> result = new CompletableFuture<>();
        Future<List<InetAddress>> lookup;
        try {
            lookup = resolver.resolveAll(host);
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(new HivemeshException("cannot resolve " + host + ": " + e, e));
        }
        lookup.addListener(f -> {
            if (!f.isSuccess()) {
                Throwable e = f.cause();
                result.completeExceptionally(new HivemeshException("cannot resolve " + host + ": "
                        + (e == null ? "cancelled" : e.getMessage() != null ? e.getMessage() : e.toString()), e));
                return;
            }
            List<InetSocketAddress> out = new ArrayList<>();
            for (InetAddress a : lookup.getNow()) {
                if (kind == MultiaddrProtocol.DNS || (kind == MultiaddrProtocol.DNS4) == (a instanceof Inet4Address)) {
                    out.add(new InetSocketAddress(a, port));
                }
            }
            if (out.isEmpty()) {
                result.completeExceptionally(new HivemeshException(host + " has no "
                        + (kind == MultiaddrProtocol.DNS4 ? "IPv4" : kind == MultiaddrProtocol.DNS6 ? "IPv6" : "IP")
                        + " address"));
            } else {
                result.complete(List.copyOf(out));
            }
        });
        result.whenComplete((r, e) -> {
            if (result.isCancelled()) {
                lookup.cancel(false);
            }
        });
        return result;
    }

    /** Closes the three resolvers; resolutions in progress fail. */
    @Override
    public void close() {
        ipv4.close();
        ipv6.close();
        both.close();
    }
}

package io.hivemesh.transport.internal;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.multiformats.MultiaddrProtocol;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Conversions between multiaddrs and socket addresses, and the expansion of wildcard listen addresses. */
final class HostAddresses {
    private static final Logger LOG = LoggerFactory.getLogger(HostAddresses.class);

    private HostAddresses() {
    }

    /**
     * The socket address of {@code /ip4|ip6/<addr>/tcp/<port>}; DNS names are refused (listen
     * addresses never are names; dialing resolves names asynchronously, see {@link NettyAddressResolver}).
     */
    static InetSocketAddress toSocketAddress(Multiaddr address) {
        List<Multiaddr.Component> parts = address.components();
        if (parts.size() != 2 || parts.get(1).protocol() != MultiaddrProtocol.TCP) {
            throw new HivemeshException("unsupported address " + address + " (expected /ip4|ip6/<address>/tcp/<port>)");
        }
        MultiaddrProtocol proto = parts.get(0).protocol();
        if (proto != MultiaddrProtocol.IP4 && proto != MultiaddrProtocol.IP6) {
            throw new HivemeshException("not an IP address: " + address);
        }
        int port = Integer.parseInt(parts.get(1).valueString());
        try {
            return new InetSocketAddress(InetAddress.getByName(parts.get(0).valueString()), port);
        } catch (UnknownHostException e) {
            throw new HivemeshException("invalid IP address in " + address + ": " + e.getMessage(), e);
        }
    }

    static Multiaddr toMultiaddr(SocketAddress socket) {
        InetSocketAddress s = (InetSocketAddress) socket;
        InetAddress a = s.getAddress();
        String family = a instanceof Inet6Address ? "ip6" : "ip4";
        String host = a.getHostAddress();
        int scope = host.indexOf('%');
        if (scope >= 0) {
            host = host.substring(0, scope);
        }
        return Multiaddr.parse("/" + family + "/" + host + "/tcp/" + s.getPort());
    }

    /**
     * A wildcard listen address becomes one address per local interface address of the family that
     * was asked for ({@code requested}): a dual-stack JVM reports a bound {@code 0.0.0.0} as {@code ::},
     * which would otherwise announce IPv6 addresses only.
     */
    static List<Multiaddr> expand(InetSocketAddress actual, InetAddress requested) {
        InetAddress bound = actual.getAddress();
        if (!bound.isAnyLocalAddress()) {
            return List.of(toMultiaddr(actual));
        }
        InetAddress a = requested.isAnyLocalAddress() ? requested : bound;
        Set<Multiaddr> out = new LinkedHashSet<>();
        try {
            for (NetworkInterface ni : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (!ni.isUp()) {
                    continue;
                }
                for (InetAddress ia : Collections.list(ni.getInetAddresses())) {
                    if ((ia instanceof Inet6Address) == (a instanceof Inet6Address) && !ia.isLinkLocalAddress()) {
                        out.add(toMultiaddr(new InetSocketAddress(ia, actual.getPort())));
                    }
                }
            }
        } catch (SocketException e) {
            LOG.warn("cannot list network interfaces: {}", e.getMessage());
        }
        return new ArrayList<>(out);
    }
}

package io.hivemesh.transport.internal;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.multiformats.MultiaddrProtocol;
import io.hivemesh.api.multiformats.MultiformatException;
import io.hivemesh.api.peer.PeerId;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * What the {@link Dialer} can dial, and in which order: the filter and the ranking rule.
 *
 * <p>Dialable: {@code /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>}, optionally followed by
 * {@code /p2p/<id>}, which must then be the dialed peer; port 0, unspecified ({@code 0.0.0.0},
 * {@code ::}) and multicast addresses are not dialable.
 *
 * <p>Ranking ({@link #scope}): loopback first, then private (RFC 1918, IPv6 unique-local
 * {@code fc00::/7}, shared {@code 100.64.0.0/10}) and link-local, then everything else (public).
 * Within one scope the families are interleaved as RFC 8305 (happy eyeballs) does, IPv6 first:
 * the 1st IPv6, the 1st IPv4, the 2nd IPv6, the 2nd IPv4, ...; within one family the order of
 * arrival (input order, then the resolver's order) is kept.
 *
 * <p>Stateless and thread-safe.
 */
final class DialAddresses {
    /** Rank of loopback addresses (best). */
    static final int LOOPBACK = 0;
    /** Rank of private and link-local addresses. */
    static final int PRIVATE = 1;
    /** Rank of every other address. */
    static final int PUBLIC = 2;

    private DialAddresses() {
    }

    /**
     * The transport part of {@code address} (without {@code /p2p}) if the host can dial it for
     * {@code peer}.
     *
     * @throws HivemeshException saying why {@code address} is not dialable
     */
    static Multiaddr dialable(Multiaddr address, PeerId peer) {
        List<Multiaddr.Component> parts = address.components();
        if (parts.size() == 3 && parts.get(2).protocol() == MultiaddrProtocol.P2P) {
            PeerId id;
            try {
                id = PeerId.fromMultihash(address.peerIdHash().orElseThrow());
            } catch (MultiformatException e) {
                throw new HivemeshException("its /p2p value is not a valid peer id: " + e.getMessage(), e);
            }
            if (!id.equals(peer)) {
                throw new HivemeshException("it names another peer, " + id);
            }
            parts = parts.subList(0, 2);
        }
        if (parts.size() != 2 || parts.get(1).protocol() != MultiaddrProtocol.TCP || !isHost(parts.get(0).protocol())) {
            throw new HivemeshException("unsupported (this host dials /ip4|ip6|dns|dns4|dns6/<host>/tcp/<port>"
                    + " with an optional /p2p/<id>)");
        }
        if (port(parts.get(1)) == 0) {
            throw new HivemeshException("TCP port 0 cannot be dialed");
        }
        Multiaddr transport = Multiaddr.of(parts);
        InetSocketAddress literal = literal(transport);
        if (literal != null) {
            InetAddress a = literal.getAddress();
            if (a.isAnyLocalAddress()) {
                throw new HivemeshException("the unspecified address cannot be dialed");
            }
            if (a.isMulticastAddress()) {
                throw new HivemeshException("a multicast address cannot be dialed");
            }
        }
        return transport;
    }

    /**
     * The socket address of a dialable {@code /ip4} or {@code /ip6} transport address (built from
     * its bytes, no lookup); {@code null} for a DNS name.
     */
    static InetSocketAddress literal(Multiaddr transport) {
        Multiaddr.Component host = transport.components().get(0);
        if (host.protocol() != MultiaddrProtocol.IP4 && host.protocol() != MultiaddrProtocol.IP6) {
            return null;
        }
        try {
            return new InetSocketAddress(InetAddress.getByAddress(host.value()), port(transport.components().get(1)));
        } catch (UnknownHostException e) {
            throw new HivemeshException("invalid IP address " + host + ": " + e.getMessage(), e);
        }
    }

    /** Whether a resolved address of {@code /dns4|dns6|dns} may be dialed: see {@link #dialable}. */
    static boolean dialableResolved(InetSocketAddress socket) {
        InetAddress a = socket.getAddress();
        return a != null && !a.isAnyLocalAddress() && !a.isMulticastAddress();
    }

    /** The rank of {@code a}: {@link #LOOPBACK}, {@link #PRIVATE} or {@link #PUBLIC}. */
    static int scope(InetAddress a) {
        if (a.isLoopbackAddress()) {
            return LOOPBACK;
        }
        if (a.isLinkLocalAddress() || a.isSiteLocalAddress()) {
            return PRIVATE;
        }
        byte[] b = a.getAddress();
        if (a instanceof Inet6Address) {
            return (b[0] & 0xfe) == 0xfc ? PRIVATE : PUBLIC;
        }
        return (b[0] & 0xff) == 100 && (b[1] & 0xc0) == 64 ? PRIVATE : PUBLIC;
    }

    /** {@code host:port}, with an IPv6 host in RFC 5952 form and brackets. */
    static String text(InetSocketAddress socket) {
        InetAddress a = socket.getAddress();
        if (a instanceof Inet6Address) {
            String host = new Multiaddr.Component(MultiaddrProtocol.IP6, a.getAddress()).valueString();
            return "[" + host + "]:" + socket.getPort();
        }
        return a.getHostAddress() + ":" + socket.getPort();
    }

    private static boolean isHost(MultiaddrProtocol p) {
        return switch (p) {
            case IP4, IP6, DNS, DNS4, DNS6 -> true;
            default -> false;
        };
    }

    private static int port(Multiaddr.Component tcp) {
        return Integer.parseInt(tcp.valueString());
    }
}

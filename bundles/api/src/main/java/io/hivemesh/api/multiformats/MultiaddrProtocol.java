package io.hivemesh.api.multiformats;

import java.util.Objects;

/**
 * The multiaddr protocols Hivemesh understands, with their codes and value sizes from the
 * multiformats protocol table. Any other protocol is rejected by {@link Multiaddr}.
 *
 * <p>Immutable and thread-safe.
 */
public enum MultiaddrProtocol {
    /** IPv4 address, 4 bytes. */
    IP4(4, "ip4", 32),
    /** TCP port, 2 bytes big-endian. */
    TCP(6, "tcp", 16),
    /** DNS name resolvable to IPv4 and IPv6 addresses. */
    DNS(53, "dns", -1),
    /** DNS name resolvable to IPv4 addresses only. */
    DNS4(54, "dns4", -1),
    /** DNS name resolvable to IPv6 addresses only. */
    DNS6(55, "dns6", -1),
    /** DNS name whose {@code _dnsaddr} TXT records hold multiaddrs. */
    DNSADDR(56, "dnsaddr", -1),
    /** IPv6 address, 16 bytes. */
    IP6(41, "ip6", 128),
    /** UDP port, 2 bytes big-endian. */
    UDP(273, "udp", 16),
    /** Circuit relay hop; no value. */
    P2P_CIRCUIT(290, "p2p-circuit", 0),
    /** Unix domain socket path; a path protocol: its text value is the rest of the address. */
    UNIX(400, "unix", -1),
    /** Peer identity: a multihash (a PeerId); {@code ipfs} is accepted as a legacy name. */
    P2P(421, "p2p", -1),
    /** TLS security; no value. */
    TLS(448, "tls", 0),
    /** Noise security; no value. */
    NOISE(454, "noise", 0),
    /** QUIC version 1 (RFC 9000); no value. */
    QUIC_V1(461, "quic-v1", 0),
    /** WebSocket; no value. */
    WS(477, "ws", 0),
    /** Secure WebSocket; no value. */
    WSS(478, "wss", 0);

    /** How a protocol's value is sized in the binary form. */
    public enum SizeKind {
        /** A fixed number of bits ({@link #fixedBits()}), no length prefix. */
        FIXED,
        /** No value at all. */
        NONE,
        /** A varint byte length followed by that many bytes. */
        LENGTH_PREFIXED
    }

    private final int code;
    private final String protocolName;
    private final int bits;

    MultiaddrProtocol(int code, String protocolName, int bits) {
        this.code = code;
        this.protocolName = protocolName;
        this.bits = bits;
    }

    /** The multicodec code. */
    public int code() {
        return code;
    }

    /** The canonical text name, e.g. {@code "quic-v1"}. */
    public String protocolName() {
        return protocolName;
    }

    /** How the value is sized. */
    public SizeKind sizeKind() {
        return bits > 0 ? SizeKind.FIXED : bits == 0 ? SizeKind.NONE : SizeKind.LENGTH_PREFIXED;
    }

    /** The value size in bits for {@link SizeKind#FIXED}, otherwise 0. */
    public int fixedBits() {
        return Math.max(bits, 0);
    }

    /** Whether this is a path protocol, whose text value runs to the end of the address ({@link #UNIX}). */
    public boolean isPath() {
        return this == UNIX;
    }

    /**
     * The protocol with {@code code}.
     *
     * @throws MultiformatException naming the code in hex if no supported protocol has it
     */
    public static MultiaddrProtocol byCode(int code) {
        for (MultiaddrProtocol p : values()) {
            if (p.code == code) {
                return p;
            }
        }
        throw new MultiformatException("multiaddr: unknown protocol code " + Text.hex(code & 0xffffffffL));
    }

    /**
     * The protocol named {@code name}; {@code "ipfs"} is {@link #P2P}.
     *
     * @throws MultiformatException naming the protocol if it is not supported
     */
    public static MultiaddrProtocol byName(String name) {
        Objects.requireNonNull(name, "name");
        if (name.equals("ipfs")) {
            return P2P;
        }
        for (MultiaddrProtocol p : values()) {
            if (p.protocolName.equals(name)) {
                return p;
            }
        }
        throw new MultiformatException("multiaddr: unknown protocol " + Text.quote(name));
    }
}

package io.hivemesh.pubsub.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.regex.Pattern;

/**
 * An IPv4 or IPv6 address prefix ({@code 10.0.0.0/8}, {@code fd00::/8}, or a single address) parsed
 * from a literal: the IP colocation whitelist of {@link ScoreParams}. Parsing never resolves names
 * (a string that is not an address literal is refused). Immutable.
 */
final class IpPrefix {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final byte[] address;
    private final int bits;

    private IpPrefix(byte[] address, int bits) {
        this.address = address;
        this.bits = bits;
    }

    /**
     * Parses {@code address[/bits]}.
     *
     * @throws IllegalArgumentException naming {@code text} when it is not an address literal or the
     *     prefix length is out of range
     */
    static IpPrefix parse(String text) {
        int slash = text.indexOf('/');
        String host = slash < 0 ? text : text.substring(0, slash);
        byte[] bytes = literal(host);
        if (bytes == null) {
            throw new IllegalArgumentException("IP prefix '" + text + "': not an IPv4 or IPv6 address literal");
        }
        int max = bytes.length * 8;
        int bits = max;
        if (slash >= 0) {
            try {
                bits = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                bits = -1;
            }
            if (bits < 0 || bits > max) {
                throw new IllegalArgumentException("IP prefix '" + text + "': prefix length must be 0.." + max);
            }
        }
        return new IpPrefix(bytes, bits);
    }

    /** Whether {@code ip} (an address literal; anything else never matches) falls in this prefix. */
    boolean contains(String ip) {
        byte[] other = ip == null ? null : literal(ip);
        if (other == null || other.length != address.length) {
            return false;
        }
        int full = bits / 8;
        for (int i = 0; i < full; i++) {
            if (other[i] != address[i]) {
                return false;
            }
        }
        int rest = bits % 8;
        if (rest == 0) {
            return true;
        }
        int mask = (0xff << (8 - rest)) & 0xff;
        return (other[full] & mask) == (address[full] & mask);
    }

    /** The address bytes of an IPv4 dotted quad or an IPv6 literal, or null; never a DNS lookup. */
    static byte[] literal(String host) {
        boolean v4 = IPV4.matcher(host).matches();
        if (!v4 && host.indexOf(':') < 0) {
            return null;
        }
        if (v4) {
            for (String part : host.split("\\.")) {
                if (Integer.parseInt(part) > 255) {
                    return null;
                }
            }
        }
        try {
            // a dotted quad or a string with ':' is taken as a literal by InetAddress: no resolution
            return InetAddress.getByName(host).getAddress();
        } catch (UnknownHostException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        try {
            return InetAddress.getByAddress(address).getHostAddress() + "/" + bits;
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}

package io.hivemesh.api.multiformats;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Converts multiaddr component values between text and binary and validates binary values.
 * Messages carry no "multiaddr" prefix: {@link Multiaddr} adds the component context.
 */
final class MultiaddrValues {
    /** The longest DNS name accepted, in UTF-8 bytes. */
    static final int MAX_DNS_LENGTH = 255;
    private static final byte[] EMPTY = new byte[0];

    private MultiaddrValues() {
    }

    /** The binary value of {@code text} for {@code protocol}; {@code text} is "" for value-less protocols. */
    static byte[] parse(MultiaddrProtocol protocol, String text) {
        return switch (protocol) {
            case IP4 -> IpText.parseIp4(text);
            case IP6 -> IpText.parseIp6(text);
            case TCP, UDP -> parsePort(text);
            case DNS, DNS4, DNS6, DNSADDR -> checkName(utf8(text));
            case P2P -> parsePeer(text);
            case UNIX -> checkPath(utf8(text));
            default -> {
                if (!text.isEmpty()) {
                    throw new MultiformatException("takes no value");
                }
                yield EMPTY;
            }
        };
    }

    /** Checks a binary value (without its length prefix) for {@code protocol}. */
    static void validate(MultiaddrProtocol protocol, byte[] value) {
        switch (protocol.sizeKind()) {
            case FIXED -> {
                int expected = protocol.fixedBits() / 8;
                if (value.length != expected) {
                    throw new MultiformatException("value must be " + expected + " bytes, got " + value.length);
                }
            }
            case NONE -> {
                if (value.length != 0) {
                    throw new MultiformatException("takes no value, got " + value.length + " bytes");
                }
            }
            case LENGTH_PREFIXED -> {
                switch (protocol) {
                    case P2P -> checkPeer(Multihash.decode(value));
                    case UNIX -> checkPath(value);
                    default -> checkName(value);
                }
            }
        }
    }

    /** The canonical text of a valid binary value; "" for value-less protocols. */
    static String format(MultiaddrProtocol protocol, byte[] value) {
        return switch (protocol) {
            case IP4 -> IpText.formatIp4(value, 0);
            case IP6 -> IpText.formatIp6(value);
            case TCP, UDP -> Integer.toString(((value[0] & 0xff) << 8) | (value[1] & 0xff));
            case P2P -> Multibase.Encoding.BASE58BTC.encodeRaw(value);
            case DNS, DNS4, DNS6, DNSADDR, UNIX -> new String(value, StandardCharsets.UTF_8);
            default -> "";
        };
    }

    private static byte[] parsePort(String text) {
        if (text.isEmpty() || text.length() > 5) {
            throw new MultiformatException("invalid port " + Text.quote(text));
        }
        int port = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new MultiformatException("invalid port " + Text.quote(text));
            }
            port = port * 10 + (c - '0');
        }
        if (port > 0xffff) {
            throw new MultiformatException("port " + port + " out of range 0-65535");
        }
        return new byte[] {(byte) (port >>> 8), (byte) port};
    }

    /**
     * A peer id: a base58btc multihash ({@code Qm...}, {@code 1...}) or a CIDv1 with codec
     * {@code libp2p-key} in any multibase. The binary value is the multihash.
     */
    private static byte[] parsePeer(String text) {
        if (text.startsWith("Qm") || text.startsWith("1")) {
            return checkPeer(Multihash.decode(Multibase.Encoding.BASE58BTC.decodeRaw(text))).toBytes();
        }
        Cid cid = Cid.parse(text);
        if (cid.codec() != Multicodec.LIBP2P_KEY) {
            throw new MultiformatException("CID codec " + Multicodec.name(cid.codec()) + " is not libp2p-key");
        }
        return checkPeer(cid.multihash()).toBytes();
    }

    /**
     * Peer ids are identity or sha2-256 multihashes (libp2p peer-ids spec); their base58btc text
     * starts {@code 1} or {@code Qm}, which keeps the text form parseable.
     */
    private static Multihash checkPeer(Multihash mh) {
        if (mh.code() != Multihash.IDENTITY && mh.code() != Multihash.SHA2_256) {
            throw new MultiformatException("peer id multihash must be identity or sha2-256, not " + mh.name());
        }
        return mh;
    }

    private static byte[] checkName(byte[] name) {
        if (name.length == 0) {
            throw new MultiformatException("empty name");
        }
        if (name.length > MAX_DNS_LENGTH) {
            throw new MultiformatException("name of " + name.length + " bytes exceeds " + MAX_DNS_LENGTH);
        }
        String s = utf8(name);
        if (s.indexOf('/') >= 0) {
            throw new MultiformatException("name contains '/'");
        }
        checkNoControl(s);
        return name;
    }

    private static byte[] checkPath(byte[] path) {
        if (path.length < 2 || path[0] != '/') {
            throw new MultiformatException("path must be '/' followed by at least one character");
        }
        checkNoControl(utf8(path));
        return path;
    }

    private static void checkNoControl(String s) {
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c < 0x20 || c == 0x7f) {
                throw new MultiformatException("control character " + Text.quote(c) + " at index " + i);
            }
        }
    }

    private static byte[] utf8(String s) {
        try {
            ByteBuffer b = StandardCharsets.UTF_8.newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(s));
            byte[] out = new byte[b.remaining()];
            b.get(out);
            return out;
        } catch (CharacterCodingException e) {
            throw new MultiformatException("not valid Unicode (unpaired surrogate)", e);
        }
    }

    private static String utf8(byte[] b) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(b))
                    .toString();
        } catch (CharacterCodingException e) {
            throw new MultiformatException("not valid UTF-8", e);
        }
    }
}

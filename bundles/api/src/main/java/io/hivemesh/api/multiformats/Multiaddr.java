package io.hivemesh.api.multiformats;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A multiaddr: a sequence of protocol components, each a protocol and its value, in text
 * ({@code /ip4/127.0.0.1/udp/1234}) and binary ({@code <varint code><value>...}) form.
 *
 * <p>Only the protocols of {@link MultiaddrProtocol} are accepted. Bounds: the binary form is at most
 * {@value #MAX_BYTES} bytes and the text at most {@value #MAX_TEXT_LENGTH} characters; DNS names are
 * 1 to 255 UTF-8 bytes without {@code '/'} or control characters; a {@code /p2p} value is an
 * identity or sha2-256 {@link Multihash}, as PeerIds are (whether an identity multihash holds a
 * valid key is checked by {@code PeerId}, not here). A {@code /unix} path takes the rest of the text address, so it must
 * be the last component (this keeps text and binary forms one-to-one); its value is the path with
 * its leading {@code '/'}, e.g. {@code /unix/tmp/p.sock} holds {@code "/tmp/p.sock"}.
 *
 * <p>The text form is canonical: IPv6 per RFC 5952, {@code /p2p} values as base58btc multihashes
 * (also when given as a CIDv1 or as {@code /ipfs}); the empty multiaddr is {@code "/"}.
 *
 * <p>Immutable and thread-safe; equality is by binary form.
 */
public final class Multiaddr {
    /** The longest binary multiaddr accepted. */
    public static final int MAX_BYTES = 1024;
    /** The longest text multiaddr accepted. */
    public static final int MAX_TEXT_LENGTH = 4096;

    private static final Multiaddr EMPTY = new Multiaddr(List.of(), new byte[0]);

    /**
     * One component: a protocol and its binary value (empty for protocols without one). The value
     * is validated on construction and copied in and out.
     *
     * @param protocol the protocol
     * @param value the binary value, without a length prefix
     */
    public record Component(MultiaddrProtocol protocol, byte[] value) {
        /**
         * @throws MultiformatException if {@code value} is not a valid value for {@code protocol}
         */
        public Component {
            Objects.requireNonNull(protocol, "protocol");
            value = Objects.requireNonNull(value, "value").clone();
            try {
                MultiaddrValues.validate(protocol, value);
            } catch (MultiformatException e) {
                throw new MultiformatException("multiaddr /" + protocol.protocolName() + ": " + e.getMessage(), e);
            }
        }

        /**
         * The component for a text value, e.g. {@code of(TCP, "4001")}; {@code ""} for protocols
         * without a value.
         *
         * @throws MultiformatException if the text is not a valid value for {@code protocol}
         */
        public static Component of(MultiaddrProtocol protocol, String valueText) {
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(valueText, "valueText");
            byte[] value;
            try {
                value = MultiaddrValues.parse(protocol, valueText);
            } catch (MultiformatException e) {
                throw new MultiformatException("multiaddr /" + protocol.protocolName() + " "
                        + Text.quote(valueText) + ": " + e.getMessage(), e);
            }
            return new Component(protocol, value);
        }

        /** A copy of the binary value. */
        @Override
        public byte[] value() {
            return value.clone();
        }

        /** The value's canonical text ({@code ""} for protocols without a value). */
        public String valueString() {
            return MultiaddrValues.format(protocol, value);
        }

        int encodedLength() {
            int n = Varint.size(protocol.code()) + value.length;
            return protocol.sizeKind() == MultiaddrProtocol.SizeKind.LENGTH_PREFIXED ? n + Varint.size(value.length) : n;
        }

        void writeTo(ByteBuffer out) {
            Varint.write(protocol.code(), out);
            if (protocol.sizeKind() == MultiaddrProtocol.SizeKind.LENGTH_PREFIXED) {
                Varint.write(value.length, out);
            }
            out.put(value);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Component c && protocol == c.protocol && Arrays.equals(value, c.value);
        }

        @Override
        public int hashCode() {
            return 31 * protocol.hashCode() + Arrays.hashCode(value);
        }

        /** The component's text, e.g. {@code /tcp/4001} or {@code /ws}. */
        @Override
        public String toString() {
            if (protocol.sizeKind() == MultiaddrProtocol.SizeKind.NONE) {
                return "/" + protocol.protocolName();
            }
            String v = valueString();
            return protocol.isPath() ? "/" + protocol.protocolName() + v : "/" + protocol.protocolName() + "/" + v;
        }
    }

    private final List<Component> components;
    private final byte[] bytes;

    private Multiaddr(List<Component> components, byte[] bytes) {
        this.components = components;
        this.bytes = bytes;
    }

    /** The multiaddr with no components ({@code "/"}). */
    public static Multiaddr empty() {
        return EMPTY;
    }

    /**
     * The multiaddr of {@code components}, in order.
     *
     * @throws MultiformatException if a {@code /unix} component is not last or the result exceeds
     *     {@value #MAX_BYTES} bytes
     */
    public static Multiaddr of(List<Component> components) {
        List<Component> list = List.copyOf(components);
        int size = 0;
        for (int i = 0; i < list.size(); i++) {
            Component c = list.get(i);
            if (c.protocol().isPath() && i != list.size() - 1) {
                throw new MultiformatException("multiaddr: /" + c.protocol().protocolName()
                        + " must be the last component (its text form takes the rest of the address)");
            }
            size += c.encodedLength();
        }
        if (size > MAX_BYTES) {
            throw new MultiformatException("multiaddr: " + size + " bytes exceeds maximum " + MAX_BYTES);
        }
        if (list.isEmpty()) {
            return EMPTY;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (Component c : list) {
            c.writeTo(out);
        }
        return new Multiaddr(list, out.array());
    }

    /**
     * Parses the text form, e.g. {@code /ip4/1.2.3.4/tcp/4001/p2p/12D3KooW...}. {@code ""} and
     * {@code "/"} are the empty multiaddr; one trailing {@code '/'} is ignored.
     *
     * @throws MultiformatException naming the offending component if the text is malformed
     */
    public static Multiaddr parse(String text) {
        Objects.requireNonNull(text, "text");
        if (text.length() > MAX_TEXT_LENGTH) {
            throw new MultiformatException("multiaddr: text of " + text.length() + " characters exceeds maximum "
                    + MAX_TEXT_LENGTH);
        }
        if (text.isEmpty() || text.equals("/")) {
            return EMPTY;
        }
        if (text.charAt(0) != '/') {
            throw new MultiformatException("multiaddr: must start with '/': " + Text.quote(text));
        }
        List<Component> list = new ArrayList<>();
        int pos = 1;
        while (pos < text.length()) {
            int slash = text.indexOf('/', pos);
            int nameEnd = slash < 0 ? text.length() : slash;
            String name = text.substring(pos, nameEnd);
            if (name.isEmpty()) {
                throw new MultiformatException("multiaddr: empty protocol name at index " + pos);
            }
            MultiaddrProtocol protocol = MultiaddrProtocol.byName(name);
            String value;
            if (protocol.sizeKind() == MultiaddrProtocol.SizeKind.NONE) {
                value = "";
                pos = nameEnd + 1;
            } else if (protocol.isPath()) {
                value = text.substring(nameEnd);
                if (value.length() < 2) {
                    throw new MultiformatException("multiaddr: /" + name + " is missing its path");
                }
                pos = text.length();
            } else {
                int valueEnd = slash < 0 ? -1 : text.indexOf('/', slash + 1);
                value = slash < 0 ? "" : text.substring(slash + 1, valueEnd < 0 ? text.length() : valueEnd);
                if (value.isEmpty()) {
                    throw new MultiformatException("multiaddr: /" + name + " is missing its value");
                }
                pos = valueEnd < 0 ? text.length() : valueEnd + 1;
            }
            list.add(Component.of(protocol, value));
        }
        return of(list);
    }

    /**
     * Decodes the binary form.
     *
     * @throws MultiformatException naming the protocol code or component and its byte offset if
     *     the input is malformed, truncated, has unknown codes or exceeds {@value #MAX_BYTES} bytes
     */
    public static Multiaddr decode(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        if (bytes.length > MAX_BYTES) {
            throw new MultiformatException("multiaddr: " + bytes.length + " bytes exceeds maximum " + MAX_BYTES);
        }
        ByteBuffer in = ByteBuffer.wrap(bytes);
        List<Component> list = new ArrayList<>();
        while (in.hasRemaining()) {
            int start = in.position();
            long code = readVarint(in, "protocol code at byte " + start);
            if (code > Integer.MAX_VALUE) {
                throw new MultiformatException("multiaddr: unknown protocol code " + Text.hex(code) + " at byte " + start);
            }
            MultiaddrProtocol protocol;
            try {
                protocol = MultiaddrProtocol.byCode((int) code);
            } catch (MultiformatException e) {
                throw new MultiformatException(e.getMessage() + " at byte " + start, e);
            }
            String where = "multiaddr /" + protocol.protocolName() + " at byte " + start;
            int length = switch (protocol.sizeKind()) {
                case FIXED -> protocol.fixedBits() / 8;
                case NONE -> 0;
                case LENGTH_PREFIXED -> {
                    long n = readVarint(in, "/" + protocol.protocolName() + " value length at byte " + start);
                    if (n > in.remaining()) {
                        throw new MultiformatException(where + ": value length " + n + " exceeds the "
                                + in.remaining() + " remaining bytes");
                    }
                    yield (int) n;
                }
            };
            if (length > in.remaining()) {
                throw new MultiformatException(where + ": needs " + length + " value bytes, " + in.remaining()
                        + " remain");
            }
            byte[] value = new byte[length];
            in.get(value);
            try {
                MultiaddrValues.validate(protocol, value);
            } catch (MultiformatException e) {
                throw new MultiformatException(where + ": " + e.getMessage(), e);
            }
            list.add(new Component(protocol, value));
        }
        return of(list);
    }

    private static long readVarint(ByteBuffer in, String what) {
        try {
            return Varint.read(in);
        } catch (MultiformatException e) {
            throw new MultiformatException("multiaddr: " + what + ": " + e.getMessage(), e);
        }
    }

    /** A copy of the binary form. */
    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The components, in order (unmodifiable). */
    public List<Component> components() {
        return components;
    }

    /** Whether this multiaddr has no components. */
    public boolean isEmpty() {
        return components.isEmpty();
    }

    /**
     * This multiaddr followed by {@code suffix}.
     *
     * @throws MultiformatException if the result would exceed {@value #MAX_BYTES} bytes or put a
     *     component after {@code /unix}
     */
    public Multiaddr encapsulate(Multiaddr suffix) {
        Objects.requireNonNull(suffix, "suffix");
        if (suffix.isEmpty()) {
            return this;
        }
        List<Component> list = new ArrayList<>(components);
        list.addAll(suffix.components);
        return of(list);
    }

    /**
     * This multiaddr followed by the parsed {@code suffix}.
     *
     * @throws MultiformatException if {@code suffix} is malformed or the result invalid
     */
    public Multiaddr encapsulate(String suffix) {
        return encapsulate(parse(suffix));
    }

    /**
     * This multiaddr without the last occurrence of {@code suffix}'s components and everything
     * after them, as the multiformats implementations do; unchanged if {@code suffix} does not
     * occur or is empty.
     */
    public Multiaddr decapsulate(Multiaddr suffix) {
        Objects.requireNonNull(suffix, "suffix");
        List<Component> needle = suffix.components;
        if (needle.isEmpty()) {
            return this;
        }
        for (int i = components.size() - needle.size(); i >= 0; i--) {
            if (components.subList(i, i + needle.size()).equals(needle)) {
                return of(components.subList(0, i));
            }
        }
        return this;
    }

    /**
     * This multiaddr without its last component with protocol {@code code} and everything after
     * it; unchanged if no component has that code.
     */
    public Multiaddr decapsulateCode(int code) {
        for (int i = components.size() - 1; i >= 0; i--) {
            if (components.get(i).protocol().code() == code) {
                return of(components.subList(0, i));
            }
        }
        return this;
    }

    /** The text value of the first component with {@code protocol}, if any ({@code ""} for value-less protocols). */
    public Optional<String> valueOf(MultiaddrProtocol protocol) {
        Objects.requireNonNull(protocol, "protocol");
        for (Component c : components) {
            if (c.protocol() == protocol) {
                return Optional.of(c.valueString());
            }
        }
        return Optional.empty();
    }

    /** The multihash of the last {@code /p2p} component (the peer this address reaches), if any. */
    public Optional<Multihash> peerIdHash() {
        for (int i = components.size() - 1; i >= 0; i--) {
            Component c = components.get(i);
            if (c.protocol() == MultiaddrProtocol.P2P) {
                return Optional.of(Multihash.decode(c.value));
            }
        }
        return Optional.empty();
    }

    /**
     * This multiaddr without its last {@code /p2p} component and anything after it, e.g. the
     * transport address {@code /ip4/1.2.3.4/tcp/4001} of {@code /ip4/1.2.3.4/tcp/4001/p2p/12D3...};
     * unchanged if it has no {@code /p2p}.
     */
    public Multiaddr withoutPeerId() {
        return decapsulateCode(MultiaddrProtocol.P2P.code());
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Multiaddr other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    /** The canonical text form; {@code "/"} when empty. */
    @Override
    public String toString() {
        if (components.isEmpty()) {
            return "/";
        }
        StringBuilder sb = new StringBuilder();
        for (Component c : components) {
            sb.append(c);
        }
        return sb.toString();
    }
}

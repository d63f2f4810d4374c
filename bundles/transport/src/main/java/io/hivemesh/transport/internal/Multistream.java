package io.hivemesh.transport.internal;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * multistream-select 1.0 messages (libp2p/specs connections/README.md, "Protocol Negotiation"):
 * uvarint(length including the trailing newline) followed by UTF-8 text and {@code \n}.
 */
final class Multistream {
    static final String PROTOCOL_ID = "/multistream/1.0.0";
    static final String NA = "na";
    static final String LS = "ls";
    /** Longest message accepted (protocol ids are short; {@code ls} replies are never requested by us). */
    static final int MAX_MESSAGE_LENGTH = 1024;

    private Multistream() {
    }

    /** Appends one message ({@code text} plus newline, length-prefixed) to {@code out}. */
    static void writeMessage(ByteBuf out, String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        if (bytes.length + 1 > MAX_MESSAGE_LENGTH) {
            throw new IllegalArgumentException("multistream message over " + MAX_MESSAGE_LENGTH + " bytes: " + text);
        }
        writeUvarint(out, bytes.length + 1);
        out.writeBytes(bytes).writeByte('\n');
    }

    /** The {@code ls} reply: one message holding every protocol as a nested message. */
    static void writeLsReply(ByteBuf out, Collection<String> protocols, ByteBufAllocator alloc) {
        ByteBuf inner = alloc.buffer();
        try {
            for (String p : protocols) {
                writeMessage(inner, p);
            }
            inner.writeByte('\n');
            writeUvarint(out, inner.readableBytes());
            out.writeBytes(inner);
        } finally {
            inner.release();
        }
    }

    static void writeUvarint(ByteBuf out, long value) {
        while ((value & ~0x7FL) != 0) {
            out.writeByte((int) ((value & 0x7F) | 0x80));
            value >>>= 7;
        }
        out.writeByte((int) value);
    }

    /**
     * Reads an unsigned varint at the reader index without consuming it: returns the value, or -1
     * if more bytes are needed. Rejects varints over {@code maxBytes} bytes and non-minimal ones.
     *
     * @param sizeOut receives the number of bytes of the varint at index 0
     */
    static long peekUvarint(ByteBuf in, int maxBytes, int[] sizeOut, String what) {
        long value = 0;
        int shift = 0;
        int index = in.readerIndex();
        for (int i = 0; i < maxBytes; i++) {
            if (index + i >= in.writerIndex()) {
                return -1;
            }
            int b = in.getByte(index + i) & 0xFF;
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (b == 0 && i > 0) {
                    throw new ProtocolViolationException(what + ": non-minimal varint length");
                }
                sizeOut[0] = i + 1;
                return value;
            }
            shift += 7;
        }
        throw new ProtocolViolationException(what + ": varint length longer than " + maxBytes + " bytes");
    }

    /**
     * Consumes one complete message from {@code in} and returns its text without the newline, or
     * null if the message is not complete yet (nothing consumed).
     *
     * @throws ProtocolViolationException if the length is over {@link #MAX_MESSAGE_LENGTH}, zero,
     *     or the message does not end with a newline
     */
    static String readMessage(ByteBuf in) {
        int[] size = new int[1];
        long length = peekUvarint(in, 3, size, "multistream");
        if (length < 0) {
            return null;
        }
        if (length == 0 || length > MAX_MESSAGE_LENGTH) {
            throw new ProtocolViolationException("multistream: message length " + length + " (allowed 1.."
                    + MAX_MESSAGE_LENGTH + ")");
        }
        if (in.readableBytes() < size[0] + length) {
            return null;
        }
        in.skipBytes(size[0]);
        int len = (int) length;
        if (in.getByte(in.readerIndex() + len - 1) != '\n') {
            in.skipBytes(len);
            throw new ProtocolViolationException("multistream: message does not end with a newline");
        }
        String text = in.toString(in.readerIndex(), len - 1, StandardCharsets.UTF_8);
        in.skipBytes(len);
        return text;
    }

    /** Sans-IO negotiation state of one side; drive it with received bytes, send what it writes. */
    abstract static class Negotiation {
        private boolean headerSeen;
        private String result;

        /** Bytes to send first (may be empty). */
        abstract void start(ByteBuf out);

        /**
         * Consumes complete messages from {@code in}, appending replies to {@code out}; returns the
         * negotiated protocol once agreed (bytes after it stay in {@code in}), or null for more input.
         *
         * @throws ProtocolViolationException on malformed input or if no protocol can be agreed
         */
        final String receive(ByteBuf in, ByteBuf out) {
            while (result == null) {
                String message = readMessage(in);
                if (message == null) {
                    return null;
                }
                if (!headerSeen) {
                    if (!PROTOCOL_ID.equals(message)) {
                        throw new ProtocolViolationException("multistream: expected header " + PROTOCOL_ID
                                + ", got '" + printable(message) + "'");
                    }
                    headerSeen = true;
                    onHeader(out);
                    continue;
                }
                result = onMessage(message, out);
            }
            return result;
        }

        void onHeader(ByteBuf out) {
        }

        abstract String onMessage(String message, ByteBuf out);
    }

    /** The dialer side: proposes each protocol in turn, pipelining the header with the first proposal. */
    static final class Initiator extends Negotiation {
        private final List<String> proposals;
        private int next;

        Initiator(List<String> proposals) {
            if (proposals.isEmpty()) {
                throw new IllegalArgumentException("no protocol to propose");
            }
            this.proposals = List.copyOf(proposals);
        }

        @Override
        void start(ByteBuf out) {
            writeMessage(out, PROTOCOL_ID);
            writeMessage(out, proposals.get(next));
        }

        @Override
        String onMessage(String message, ByteBuf out) {
            String proposed = proposals.get(next);
            if (message.equals(proposed)) {
                return proposed;
            }
            if (!NA.equals(message)) {
                throw new ProtocolViolationException("multistream: proposed " + proposed + ", remote answered '"
                        + printable(message) + "'");
            }
            next++;
            if (next == proposals.size()) {
                throw new NotSupportedException(proposals);
            }
            writeMessage(out, proposals.get(next));
            return null;
        }
    }

    /** The listener side: answers the header after receiving it, echoes a supported proposal, else {@code na}. */
    static final class Responder extends Negotiation {
        /** Supported protocols; consulted at each proposal so that the whiteboard's live view applies. */
        interface Protocols {
            boolean supports(String protocol);

            Collection<String> all();
        }

        private final Protocols protocols;
        private final ByteBufAllocator alloc;
        private int rejected;

        Responder(Protocols protocols, ByteBufAllocator alloc) {
            this.protocols = protocols;
            this.alloc = alloc;
        }

        @Override
        void start(ByteBuf out) {
        }

        @Override
        void onHeader(ByteBuf out) {
            writeMessage(out, PROTOCOL_ID);
        }

        @Override
        String onMessage(String message, ByteBuf out) {
            if (LS.equals(message)) {
                writeLsReply(out, new ArrayList<>(protocols.all()), alloc);
                return null;
            }
            if (protocols.supports(message)) {
                writeMessage(out, message);
                return message;
            }
            if (++rejected > 64) {
                throw new ProtocolViolationException("multistream: more than 64 unsupported proposals");
            }
            writeMessage(out, NA);
            return null;
        }
    }

    static String printable(String s) {
        String cut = s.length() > 64 ? s.substring(0, 64) + "..." : s;
        return cut.replaceAll("[^\\x20-\\x7e]", "?");
    }

    /** The remote answered {@code na} to every proposal: it serves none of them (the stream is still usable). */
    static final class NotSupportedException extends ProtocolViolationException {
        private static final long serialVersionUID = 1L;

        NotSupportedException(List<String> proposals) {
            super("multistream: remote supports none of " + proposals);
        }
    }
}

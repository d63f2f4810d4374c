package io.hivemesh.transport.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.multiformats.MultiformatException;
import io.hivemesh.api.multiformats.Varint;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.transport.internal.proto.Libp2pProto.Identify;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Identify messages (libp2p/specs identify/README.md): uvarint-length-prefixed protobufs. A stream
 * may carry several (go-libp2p splits a large identify in two): they are merged as protobuf merges
 * them, singular fields last wins and repeated fields concatenated. Decoding is bounded (each
 * message ≤ {@value #MAX_MESSAGE} bytes, at most {@value #MAX_MESSAGES} messages and
 * {@value #MAX_STREAM} bytes per stream), tolerant of addresses it cannot parse (skipped), strict on
 * the public key. Stateless.
 */
final class IdentifyMessages {
    static final String PROTOCOL = "/ipfs/id/1.0.0";
    static final String PUSH_PROTOCOL = "/ipfs/id/push/1.0.0";
    static final String PROTOCOL_VERSION = "ipfs/0.1.0";
    static final int MAX_MESSAGE = 64 * 1024;
    static final int MAX_MESSAGES = 4;
    /** The most bytes one identify stream may carry (read the stream with this bound). */
    static final int MAX_STREAM = 128 * 1024;

    /** The fields of an Identify message; a repeated field counts as present when it is not empty. */
    enum Field {
        PUBLIC_KEY, LISTEN_ADDRS, OBSERVED_ADDR, PROTOCOLS, AGENT_VERSION, PROTOCOL_VERSION, SIGNED_PEER_RECORD
    }

    /**
     * What a peer announced. {@code present} tells which fields the messages carried: an identify
     * push updates only those. Absent strings are empty, absent lists empty.
     */
    record Info(Optional<PublicKey> publicKey, List<Multiaddr> listenAddrs, Optional<Multiaddr> observedAddr,
            List<String> protocols, String agentVersion, String protocolVersion, Optional<byte[]> signedPeerRecord,
            Set<Field> present) {
        Info {
            present = Set.copyOf(present);
        }

        /** Whether the messages carried {@code field}. */
        boolean has(Field field) {
            return present.contains(field);
        }
    }

    private IdentifyMessages() {
    }

    /** One length-prefixed Identify message without a signed peer record. */
    static byte[] encode(PublicKey key, Collection<Multiaddr> listen, Multiaddr observed, Collection<String> protocols,
            String agent) {
        return encode(key, listen, observed, protocols, agent, null);
    }

    /**
     * One length-prefixed Identify message; {@code observed} and {@code signedPeerRecord} (an RFC 0002
     * envelope, field 8) may be null.
     */
    static byte[] encode(PublicKey key, Collection<Multiaddr> listen, Multiaddr observed, Collection<String> protocols,
            String agent, byte[] signedPeerRecord) {
        Identify.Builder b = Identify.newBuilder()
                .setProtocolVersion(PROTOCOL_VERSION)
                .setAgentVersion(agent)
                .setPublicKey(ByteString.copyFrom(key.toProtobuf()))
                .addAllProtocols(protocols);
        for (Multiaddr a : listen) {
            b.addListenAddrs(ByteString.copyFrom(a.toBytes()));
        }
        if (observed != null) {
            b.setObservedAddr(ByteString.copyFrom(observed.toBytes()));
        }
        if (signedPeerRecord != null) {
            b.setSignedPeerRecord(ByteString.copyFrom(signedPeerRecord));
        }
        return frame(b.build().toByteArray());
    }

    /** {@code body} with its uvarint length prefix. */
    static byte[] frame(byte[] body) {
        byte[] prefix = Varint.encode(body.length);
        byte[] framed = new byte[prefix.length + body.length];
        System.arraycopy(prefix, 0, framed, 0, prefix.length);
        System.arraycopy(body, 0, framed, prefix.length, body.length);
        return framed;
    }

    /**
     * Decodes the one or more length-prefixed Identify messages that are the whole of {@code stream}
     * and merges them.
     *
     * @throws ProtocolViolationException if there is no message, the framing or a protobuf is malformed,
     *     or a bound is exceeded
     */
    static Info decode(byte[] stream) {
        if (stream.length > MAX_STREAM) {
            throw new ProtocolViolationException("identify: stream of " + stream.length + " bytes exceeds " + MAX_STREAM);
        }
        ByteBuffer in = ByteBuffer.wrap(stream);
        if (!in.hasRemaining()) {
            throw new ProtocolViolationException("identify: the stream held no message");
        }
        Identify.Builder merged = Identify.newBuilder();
        int messages = 0;
        while (in.hasRemaining()) {
            if (++messages > MAX_MESSAGES) {
                throw new ProtocolViolationException("identify: more than " + MAX_MESSAGES + " messages on one stream");
            }
            int length;
            try {
                length = Varint.readInt(in, MAX_MESSAGE, "identify message length");
            } catch (MultiformatException e) {
                throw new ProtocolViolationException("identify: " + e.getMessage(), e);
            }
            if (in.remaining() < length) {
                throw new ProtocolViolationException("identify: message " + messages + " announces " + length
                        + " bytes, the stream held " + in.remaining());
            }
            try {
                merged.mergeFrom(ByteString.copyFrom(in.array(), in.position(), length));
            } catch (InvalidProtocolBufferException e) {
                throw new ProtocolViolationException("identify: malformed message " + messages + ": " + e.getMessage(), e);
            }
            in.position(in.position() + length);
        }
        return info(merged.build());
    }

    private static Info info(Identify m) {
        Set<Field> present = EnumSet.noneOf(Field.class);
        Optional<PublicKey> key = Optional.empty();
        if (m.hasPublicKey()) {
            present.add(Field.PUBLIC_KEY);
            try {
                key = Optional.of(PublicKey.fromProtobuf(m.getPublicKey().toByteArray()));
            } catch (MultiformatException e) {
                throw new ProtocolViolationException("identify: invalid public key: " + e.getMessage(), e);
            }
        }
        List<Multiaddr> addrs = new ArrayList<>();
        for (ByteString a : m.getListenAddrsList()) {
            parse(a).ifPresent(addrs::add);
        }
        if (m.getListenAddrsCount() > 0) {
            present.add(Field.LISTEN_ADDRS);
        }
        Optional<Multiaddr> observed = Optional.empty();
        if (m.hasObservedAddr()) {
            present.add(Field.OBSERVED_ADDR);
            observed = parse(m.getObservedAddr());
        }
        if (m.getProtocolsCount() > 0) {
            present.add(Field.PROTOCOLS);
        }
        if (m.hasAgentVersion()) {
            present.add(Field.AGENT_VERSION);
        }
        if (m.hasProtocolVersion()) {
            present.add(Field.PROTOCOL_VERSION);
        }
        Optional<byte[]> record = Optional.empty();
        if (m.hasSignedPeerRecord()) {
            present.add(Field.SIGNED_PEER_RECORD);
            record = Optional.of(m.getSignedPeerRecord().toByteArray());
        }
        return new Info(key, addrs, observed, List.copyOf(m.getProtocolsList()), m.getAgentVersion(),
                m.getProtocolVersion(), record, present);
    }

    private static Optional<Multiaddr> parse(ByteString bytes) {
        try {
            return Optional.of(Multiaddr.decode(bytes.toByteArray()));
        } catch (MultiformatException e) {
            return Optional.empty();
        }
    }
}

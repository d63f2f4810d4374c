package io.hivemesh.transport.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.multiformats.MultiformatException;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.transport.internal.proto.Libp2pProto.Identify;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Identify messages (libp2p/specs identify/README.md): one uvarint-length-prefixed protobuf per
 * stream. Decoding is bounded ({@value #MAX_MESSAGE} bytes) and tolerant of addresses it cannot
 * parse (they are skipped), strict on the public key.
 */
final class IdentifyMessages {
    static final String PROTOCOL = "/ipfs/id/1.0.0";
    static final String PUSH_PROTOCOL = "/ipfs/id/push/1.0.0";
    static final String PROTOCOL_VERSION = "ipfs/0.1.0";
    static final int MAX_MESSAGE = 64 * 1024;

    /** What a peer announced. */
    record Info(Optional<PublicKey> publicKey, List<Multiaddr> listenAddrs, Optional<Multiaddr> observedAddr,
            List<String> protocols, String agentVersion, String protocolVersion) {
    }

    private IdentifyMessages() {
    }

    static byte[] encode(PublicKey key, Collection<Multiaddr> listen, Multiaddr observed, Collection<String> protocols,
            String agent) {
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
        byte[] body = b.build().toByteArray();
        ByteBuffer out = ByteBuffer.allocate(body.length + 5);
        io.hivemesh.api.multiformats.Varint.write(body.length, out);
        out.put(body);
        byte[] framed = new byte[out.position()];
        out.flip().get(framed);
        return framed;
    }

    /**
     * Decodes one length-prefixed Identify message that is the whole of {@code framed}.
     *
     * @throws ProtocolViolationException if the framing or protobuf is malformed or too long
     */
    static Info decode(byte[] framed) {
        ByteBuffer in = ByteBuffer.wrap(framed);
        int length;
        try {
            length = io.hivemesh.api.multiformats.Varint.readInt(in, MAX_MESSAGE, "identify message length");
        } catch (MultiformatException e) {
            throw new ProtocolViolationException("identify: " + e.getMessage(), e);
        }
        if (in.remaining() != length) {
            throw new ProtocolViolationException("identify: length prefix says " + length + " bytes, stream held "
                    + in.remaining());
        }
        Identify m;
        try {
            m = Identify.parseFrom(in);
        } catch (InvalidProtocolBufferException e) {
            throw new ProtocolViolationException("identify: malformed message: " + e.getMessage(), e);
        }
        Optional<PublicKey> key = Optional.empty();
        if (m.hasPublicKey()) {
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
        Optional<Multiaddr> observed = m.hasObservedAddr() ? parse(m.getObservedAddr()) : Optional.empty();
        return new Info(key, addrs, observed, List.copyOf(m.getProtocolsList()), m.getAgentVersion(),
                m.getProtocolVersion());
    }

    private static Optional<Multiaddr> parse(ByteString bytes) {
        try {
            return Optional.of(Multiaddr.decode(bytes.toByteArray()));
        } catch (MultiformatException e) {
            return Optional.empty();
        }
    }
}

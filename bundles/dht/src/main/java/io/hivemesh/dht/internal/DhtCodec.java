package io.hivemesh.dht.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.multiformats.MultiformatException;
import io.hivemesh.api.multiformats.Varint;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.PeerInfo;
import io.hivemesh.dht.internal.proto.DhtProto.Message;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Framing and validation of Kademlia messages (libp2p/specs kad-dht): each message is
 * uvarint(length) ‖ protobuf {@code Message}. Decoding is bounded: the length prefix is checked
 * against {@link #MAX_MESSAGE_BYTES} before any byte of the body is read, and the protobuf parser
 * runs with a recursion limit and a size limit of the declared length.
 */
public final class DhtCodec {
    /** js-libp2p's reader refuses messages above 4 MiB; so do we. */
    public static final int MAX_MESSAGE_BYTES = 4 * 1024 * 1024;
    /** Closer or provider peers accepted in one reply (k = 20 is normal; a bit of slack, then refused). */
    public static final int MAX_PEERS_PER_MESSAGE = 64;
    /** Addresses kept per peer entry; extra addresses are dropped. */
    public static final int MAX_ADDRS_PER_PEER = 32;

    private DhtCodec() {
    }

    /** The framed bytes of {@code message}: uvarint length ‖ protobuf. */
    public static byte[] encode(Message message) {
        byte[] body = message.toByteArray();
        if (body.length > MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException("kad message of " + body.length + " bytes exceeds the "
                    + MAX_MESSAGE_BYTES + "-byte limit");
        }
        ByteBuffer out = ByteBuffer.allocate(Varint.size(body.length) + body.length);
        Varint.write(body.length, out);
        out.put(body);
        return out.array();
    }

    /**
     * Reads the length prefix at the start of {@code in} without consuming it.
     *
     * @return the total frame size (prefix + body), or -1 if more bytes are needed to know it
     * @throws DhtProtocolException if the prefix is malformed or announces more than the limit
     */
    public static int frameLength(ByteBuffer in) {
        long value = 0;
        int shift = 0;
        for (int i = 0; i < 4; i++) {
            if (in.remaining() <= i) {
                return -1;
            }
            int b = in.get(in.position() + i) & 0xFF;
            value |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                if (i > 0 && b == 0) {
                    throw new DhtProtocolException("kad message length prefix is not minimally encoded");
                }
                if (value > MAX_MESSAGE_BYTES) {
                    throw new DhtProtocolException("kad message of " + value + " bytes exceeds the "
                            + MAX_MESSAGE_BYTES + "-byte limit");
                }
                return i + 1 + (int) value;
            }
            shift += 7;
        }
        throw new DhtProtocolException("kad message length prefix announces more than "
                + MAX_MESSAGE_BYTES + " bytes");
    }

    /**
     * Decodes one complete frame (prefix and body, nothing else).
     *
     * @throws DhtProtocolException if the frame is incomplete, has trailing bytes, or the body is
     *         not a valid {@code Message}
     */
    public static Message decodeFrame(byte[] frame) {
        ByteBuffer in = ByteBuffer.wrap(frame);
        int total = frameLength(in);
        if (total < 0 || total > frame.length) {
            throw new DhtProtocolException("kad message truncated: " + frame.length + " bytes received");
        }
        if (total != frame.length) {
            throw new DhtProtocolException("kad frame has " + (frame.length - total) + " trailing bytes");
        }
        int prefix = 1;
        while ((frame[prefix - 1] & 0x80) != 0) {
            prefix++;
        }
        return decodeBody(frame, prefix, total - prefix);
    }

    /**
     * Decodes a protobuf {@code Message} body (no prefix).
     *
     * @throws DhtProtocolException if the body is malformed, oversized or breaks a limit
     */
    public static Message decodeBody(byte[] bytes, int offset, int length) {
        if (length > MAX_MESSAGE_BYTES) {
            throw new DhtProtocolException("kad message of " + length + " bytes exceeds the "
                    + MAX_MESSAGE_BYTES + "-byte limit");
        }
        CodedInputStream cis = CodedInputStream.newInstance(bytes, offset, length);
        cis.setSizeLimit(length);
        cis.setRecursionLimit(8);
        Message m;
        try {
            m = Message.parseFrom(cis);
            if (!cis.isAtEnd()) {
                throw new DhtProtocolException("malformed kad message: a zero tag before the end of the message");
            }
        } catch (InvalidProtocolBufferException e) {
            throw new DhtProtocolException("malformed kad message: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new DhtProtocolException("unreadable kad message: " + e.getMessage(), e);
        }
        if (m.getTypeValue() < 0 || m.getTypeValue() > Message.MessageType.PING_VALUE) {
            throw new DhtProtocolException("kad message has unknown type " + m.getTypeValue());
        }
        if (m.getCloserPeersCount() > MAX_PEERS_PER_MESSAGE || m.getProviderPeersCount() > MAX_PEERS_PER_MESSAGE) {
            throw new DhtProtocolException("kad message lists " + m.getCloserPeersCount() + " closer and "
                    + m.getProviderPeersCount() + " provider peers; at most " + MAX_PEERS_PER_MESSAGE + " each");
        }
        return m;
    }

    /**
     * The valid, deduplicated peers of a closer/provider list. Entries whose id is not a PeerId are
     * dropped; addresses that do not decode as multiaddrs are dropped; duplicate ids are merged.
     *
     * @param rejected receives a reason for each dropped entry or address (may be null)
     */
    public static List<PeerInfo> peers(List<Message.Peer> wire, List<String> rejected) {
        Map<PeerId, List<Multiaddr>> out = new LinkedHashMap<>();
        for (Message.Peer p : wire) {
            PeerId id;
            try {
                id = PeerId.fromBytes(p.getId().toByteArray());
            } catch (MultiformatException e) {
                if (rejected != null) {
                    rejected.add("peer entry with an invalid id: " + e.getMessage());
                }
                continue;
            }
            List<Multiaddr> addrs = out.computeIfAbsent(id, k -> new ArrayList<>());
            for (ByteString a : p.getAddrsList()) {
                if (addrs.size() >= MAX_ADDRS_PER_PEER) {
                    if (rejected != null) {
                        rejected.add("peer " + id + ": more than " + MAX_ADDRS_PER_PEER + " addresses, rest dropped");
                    }
                    break;
                }
                try {
                    Multiaddr ma = Multiaddr.decode(a.toByteArray());
                    if (!addrs.contains(ma)) {
                        addrs.add(ma);
                    }
                } catch (MultiformatException e) {
                    if (rejected != null) {
                        rejected.add("peer " + id + ": invalid address dropped: " + e.getMessage());
                    }
                }
            }
        }
        List<PeerInfo> result = new ArrayList<>(out.size());
        out.forEach((id, addrs) -> result.add(new PeerInfo(id, addrs)));
        return result;
    }

    /** The wire form of a peer entry. */
    public static Message.Peer peer(PeerInfo info, Message.ConnectionType connection) {
        Message.Peer.Builder b = Message.Peer.newBuilder()
                .setId(ByteString.copyFrom(info.peer().toBytes()))
                .setConnection(connection);
        for (Multiaddr a : info.addresses()) {
            b.addAddrs(ByteString.copyFrom(a.toBytes()));
        }
        return b.build();
    }
}

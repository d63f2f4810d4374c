package io.hivemesh.dht.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.multiformats.Varint;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.routing.PeerInfo;
import io.hivemesh.dht.internal.proto.DhtProto.Message;
import io.hivemesh.dht.internal.proto.DhtProto.Record;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class DhtCodecTest {
    private static final List<PeerId> PEERS = TestPeers.peers(3, 1);

    @Test
    void putValueOmitsTypeOnTheWireAndMissingTypeDecodesAsPutValue() {
        Message put = Message.newBuilder()
                .setType(Message.MessageType.PUT_VALUE)
                .setKey(ByteString.copyFromUtf8("/mesh/a"))
                .setRecord(Record.newBuilder().setKey(ByteString.copyFromUtf8("/mesh/a"))
                        .setValue(ByteString.copyFromUtf8("v")).setTimeReceived("2026-11-22T01:00:00Z"))
                .build();
        byte[] frame = DhtCodec.encode(put);
        // body starts with field 2 (key, wire type 2) = 0x12: no field-1 (type) byte 0x08 was written
        assertEquals(0x12, frame[1] & 0xFF);
        Message back = DhtCodec.decodeFrame(frame);
        assertEquals(Message.MessageType.PUT_VALUE, back.getType());
        assertEquals(put, back);
    }

    @Test
    void wireFieldNumbersMatchTheSpec() {
        // type=1 (varint 4 = FIND_NODE), key=2, closerPeers=8 {id=1, addrs=2, connection=3}, clusterLevelRaw=10
        byte[] id = PEERS.get(0).toBytes();
        byte[] addr = Multiaddr.parse("/ip4/127.0.0.1/tcp/4001").toBytes();
        ByteBuffer peer = ByteBuffer.allocate(256);
        peer.put((byte) 0x0A).put((byte) id.length).put(id).put((byte) 0x12).put((byte) addr.length).put(addr)
                .put((byte) 0x18).put((byte) 1);
        byte[] peerBytes = Arrays.copyOf(peer.array(), peer.position());
        ByteBuffer body = ByteBuffer.allocate(512);
        body.put((byte) 0x08).put((byte) 4).put((byte) 0x12).put((byte) 3).put(new byte[] {1, 2, 3})
                .put((byte) 0x42).put((byte) peerBytes.length).put(peerBytes).put((byte) 0x50).put((byte) 7);
        byte[] b = Arrays.copyOf(body.array(), body.position());
        Message m = DhtCodec.decodeBody(b, 0, b.length);
        assertEquals(Message.MessageType.FIND_NODE, m.getType());
        assertArrayEquals(new byte[] {1, 2, 3}, m.getKey().toByteArray());
        assertEquals(7, m.getClusterLevelRaw());
        assertEquals(Message.ConnectionType.CONNECTED, m.getCloserPeers(0).getConnection());
        List<PeerInfo> peers = DhtCodec.peers(m.getCloserPeersList(), null);
        assertEquals(List.of(new PeerInfo(PEERS.get(0), List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001")))), peers);
        assertArrayEquals(b, m.toByteArray(), "re-encoding gives the same bytes");
    }

    @Test
    void frameLengthNeedsMoreBytesThenAnswers() {
        byte[] frame = DhtCodec.encode(Message.newBuilder().setType(Message.MessageType.PING).build());
        assertEquals(-1, DhtCodec.frameLength(ByteBuffer.allocate(0)));
        assertEquals(frame.length, DhtCodec.frameLength(ByteBuffer.wrap(frame)));
        byte[] twoBytePrefix = Varint.encode(300);
        assertEquals(-1, DhtCodec.frameLength(ByteBuffer.wrap(twoBytePrefix, 0, 1)));
        assertEquals(302, DhtCodec.frameLength(ByteBuffer.wrap(twoBytePrefix)));
    }

    @Test
    void oversizedFramesAreRefusedBeforeReadingTheBody() {
        byte[] prefix = Varint.encode(DhtCodec.MAX_MESSAGE_BYTES + 1L);
        DhtProtocolException e = assertThrows(DhtProtocolException.class,
                () -> DhtCodec.frameLength(ByteBuffer.wrap(prefix)));
        assertTrue(e.getMessage().contains("exceeds"), e.getMessage());
        assertEquals(DhtCodec.MAX_MESSAGE_BYTES + Varint.size(DhtCodec.MAX_MESSAGE_BYTES),
                DhtCodec.frameLength(ByteBuffer.wrap(Varint.encode(DhtCodec.MAX_MESSAGE_BYTES))));
        assertThrows(DhtProtocolException.class,
                () -> DhtCodec.frameLength(ByteBuffer.wrap(new byte[] {(byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 1})));
        assertThrows(DhtProtocolException.class, () -> DhtCodec.frameLength(ByteBuffer.wrap(new byte[] {(byte) 0x81, 0})),
                "non-minimal prefix");
        Message big = Message.newBuilder().setKey(ByteString.copyFrom(new byte[DhtCodec.MAX_MESSAGE_BYTES])).build();
        assertThrows(IllegalArgumentException.class, () -> DhtCodec.encode(big));
    }

    @Test
    void garbageTruncationAndTrailingBytesAreRefusedByName() {
        assertThrows(DhtProtocolException.class, () -> DhtCodec.decodeFrame(new byte[] {5, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF}));
        byte[] frame = DhtCodec.encode(Message.newBuilder().setType(Message.MessageType.FIND_NODE)
                .setKey(ByteString.copyFromUtf8("k")).build());
        assertThrows(DhtProtocolException.class, () -> DhtCodec.decodeFrame(Arrays.copyOf(frame, frame.length - 1)));
        assertThrows(DhtProtocolException.class, () -> DhtCodec.decodeFrame(Arrays.copyOf(frame, frame.length + 1)));
        assertThrows(DhtProtocolException.class, () -> DhtCodec.decodeFrame(new byte[0]));
        byte[] unknownType = {0x08, 9};
        DhtProtocolException e = assertThrows(DhtProtocolException.class, () -> DhtCodec.decodeBody(unknownType, 0, 2));
        assertTrue(e.getMessage().contains("unknown type 9"), e.getMessage());
        byte[] zeroTagThenMore = {0x08, 1, 0x00, 0x12, 0x01, 0x41};
        assertThrows(DhtProtocolException.class, () -> DhtCodec.decodeBody(zeroTagThenMore, 0, zeroTagThenMore.length));
    }

    @Test
    void tooManyPeersInOneMessageAreRefused() {
        Message.Builder b = Message.newBuilder().setType(Message.MessageType.FIND_NODE);
        Message.Peer p = DhtCodec.peer(new PeerInfo(PEERS.get(0), List.of()), Message.ConnectionType.NOT_CONNECTED);
        for (int i = 0; i <= DhtCodec.MAX_PEERS_PER_MESSAGE; i++) {
            b.addCloserPeers(p);
        }
        byte[] frame = DhtCodec.encode(b.build());
        assertThrows(DhtProtocolException.class, () -> DhtCodec.decodeFrame(frame));
    }

    @Test
    void bogusPeerIdsAndAddressesAreDroppedWithAReasonAndDuplicatesMerged() {
        Multiaddr a1 = Multiaddr.parse("/ip4/127.0.0.1/tcp/1");
        Multiaddr a2 = Multiaddr.parse("/ip4/127.0.0.1/tcp/2");
        List<Message.Peer> wire = List.of(
                Message.Peer.newBuilder().setId(ByteString.copyFrom(new byte[] {1, 2, 3})).build(),
                Message.Peer.newBuilder().setId(ByteString.copyFrom(PEERS.get(1).toBytes()))
                        .addAddrs(ByteString.copyFrom(a1.toBytes()))
                        .addAddrs(ByteString.copyFrom(new byte[] {(byte) 0xEE, 0x77})).build(),
                Message.Peer.newBuilder().setId(ByteString.copyFrom(PEERS.get(1).toBytes()))
                        .addAddrs(ByteString.copyFrom(a1.toBytes()))
                        .addAddrs(ByteString.copyFrom(a2.toBytes())).build(),
                Message.Peer.newBuilder().setId(ByteString.copyFrom(PEERS.get(2).toBytes())).build());
        List<String> reasons = new ArrayList<>();
        List<PeerInfo> peers = DhtCodec.peers(wire, reasons);
        assertEquals(List.of(new PeerInfo(PEERS.get(1), List.of(a1, a2)), new PeerInfo(PEERS.get(2), List.of())), peers);
        assertEquals(2, reasons.size(), reasons.toString());
        assertTrue(reasons.get(0).contains("invalid id"), reasons.get(0));
        assertTrue(reasons.get(1).contains("invalid address"), reasons.get(1));
        assertFalse(DhtCodec.peers(List.of(), null).iterator().hasNext());
    }
}

package io.hivemesh.transport.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.AddressSource;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.transport.internal.IdentifyMessages.Field;
import io.hivemesh.transport.internal.IdentifyMessages.Info;
import io.hivemesh.transport.internal.proto.Libp2pProto.Identify;
import java.io.ByteArrayOutputStream;
import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class IdentifyMessagesTest {
    private static final Multiaddr A1 = Multiaddr.parse("/ip4/192.0.2.1/tcp/4001");
    private static final Multiaddr A2 = Multiaddr.parse("/ip4/192.0.2.2/tcp/4001");
    private static final Multiaddr A3 = Multiaddr.parse("/ip4/192.0.2.3/tcp/4001");
    private final TestIdentity remote = new TestIdentity();
    private final PeerId peer = remote.peerId();

    private static byte[] framed(Identify.Builder m) {
        return IdentifyMessages.frame(m.build().toByteArray());
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static PeerBook book() {
        return new PeerBook(Optional.empty(), 16, () -> 0L, () -> 0L);
    }

    @Test
    void twoMessagesOnOneStreamAreMerged() {
        byte[] record = new PeerRecords(remote, () -> 9L).signedRecord(List.of(A3));
        byte[] first = framed(Identify.newBuilder()
                .setPublicKey(ByteString.copyFrom(remote.publicKey().toProtobuf()))
                .addListenAddrs(ByteString.copyFrom(A1.toBytes()))
                .addProtocols("/a").addProtocols("/b")
                .setAgentVersion("go-libp2p/0.1"));
        byte[] second = framed(Identify.newBuilder()
                .addProtocols("/c")
                .addListenAddrs(ByteString.copyFrom(new byte[] {(byte) 0xff, 0x01}))
                .setSignedPeerRecord(ByteString.copyFrom(record))
                .setAgentVersion("go-libp2p/0.2"));
        Info info = IdentifyMessages.decode(concat(first, second));
        assertEquals(Optional.of(remote.publicKey()), info.publicKey());
        assertEquals(List.of("/a", "/b", "/c"), info.protocols());
        assertEquals(List.of(A1), info.listenAddrs(), "unparseable addresses skipped");
        assertEquals("go-libp2p/0.2", info.agentVersion(), "singular fields: the last wins");
        assertArrayEquals(record, info.signedPeerRecord().orElseThrow());
        assertEquals(EnumSet.of(Field.PUBLIC_KEY, Field.LISTEN_ADDRS, Field.PROTOCOLS, Field.AGENT_VERSION,
                Field.SIGNED_PEER_RECORD), info.present());
    }

    @Test
    void encodeCarriesTheSignedRecordAndDecodesBack() {
        byte[] record = new PeerRecords(remote, () -> 9L).signedRecord(List.of(A1));
        Info info = IdentifyMessages.decode(IdentifyMessages.encode(remote.publicKey(), List.of(A1, A2), A3,
                List.of("/x"), "hivemesh/test", record));
        assertArrayEquals(record, info.signedPeerRecord().orElseThrow());
        assertEquals(List.of(A1, A2), info.listenAddrs());
        assertEquals(Optional.of(A3), info.observedAddr());
        assertEquals(IdentifyMessages.PROTOCOL_VERSION, info.protocolVersion());
        assertTrue(info.has(Field.OBSERVED_ADDR) && info.has(Field.PROTOCOL_VERSION));
        Info without = IdentifyMessages.decode(IdentifyMessages.encode(remote.publicKey(), List.of(), null,
                List.of(), "a"));
        assertEquals(EnumSet.of(Field.PUBLIC_KEY, Field.AGENT_VERSION, Field.PROTOCOL_VERSION), without.present());
        assertEquals(Optional.empty(), without.signedPeerRecord());
    }

    @Test
    void streamBoundsAreEnforced() {
        byte[] one = framed(Identify.newBuilder().addProtocols("/a"));
        assertEquals(4, IdentifyMessages.decode(concat(one, one, one, one)).protocols().size());
        ProtocolViolationException five = assertThrows(ProtocolViolationException.class,
                () -> IdentifyMessages.decode(concat(one, one, one, one, one)));
        assertTrue(five.getMessage().contains("more than 4 messages"), five.getMessage());
        assertThrows(ProtocolViolationException.class, () -> IdentifyMessages.decode(new byte[0]));
        byte[] truncated = concat(one, java.util.Arrays.copyOf(one, one.length - 1));
        ProtocolViolationException t = assertThrows(ProtocolViolationException.class,
                () -> IdentifyMessages.decode(truncated));
        assertTrue(t.getMessage().contains("message 2"), t.getMessage());
        byte[] big = framed(Identify.newBuilder().setAgentVersion("x".repeat(IdentifyMessages.MAX_MESSAGE)));
        assertThrows(ProtocolViolationException.class, () -> IdentifyMessages.decode(big), "one message too long");
        byte[] nearMax = framed(Identify.newBuilder().setAgentVersion("x".repeat(IdentifyMessages.MAX_MESSAGE - 8)));
        assertEquals(IdentifyMessages.MAX_MESSAGE - 8, IdentifyMessages.decode(nearMax).agentVersion().length());
        assertThrows(ProtocolViolationException.class, () -> IdentifyMessages.decode(concat(nearMax, nearMax, one)),
                "stream too long");
    }

    @Test
    void pushWithOnlyProtocolsLeavesAddressesAndAgentAlone() {
        PeerBook book = book();
        IdentifyUpdates.apply(book, peer, IdentifyMessages.decode(IdentifyMessages.encode(remote.publicKey(),
                List.of(A1, A2), null, List.of("/old"), "js-libp2p/3.3.11")));
        assertEquals(List.of(A1, A2), book.addresses(peer));
        Info push = IdentifyMessages.decode(framed(Identify.newBuilder().addProtocols("/new").addProtocols("/newer")));
        assertEquals(EnumSet.of(Field.PROTOCOLS), push.present());
        IdentifyUpdates.apply(book, peer, push);
        assertEquals(Set.of("/new", "/newer"), book.protocols(peer));
        assertEquals(List.of(A1, A2), book.addresses(peer));
        assertEquals(Optional.of("js-libp2p/3.3.11"), book.agentVersion(peer));
        assertEquals(Optional.of(remote.publicKey()), book.publicKey(peer));
    }

    @Test
    void pushWithListenAddrsReplacesOnlyTheIdentifyAddresses() {
        PeerBook book = book();
        book.addAddresses(peer, List.of(A1), AddressSource.CONNECTED);
        book.addAddresses(peer, List.of(A2), AddressSource.IDENTIFY);
        book.setProtocols(peer, List.of("/kept"));
        IdentifyUpdates.apply(book, peer, IdentifyMessages.decode(framed(Identify.newBuilder()
                .addListenAddrs(ByteString.copyFrom(A3.toBytes())))));
        assertEquals(List.of(A1, A3), book.addresses(peer));
        assertEquals(Set.of("/kept"), book.protocols(peer));
    }

    @Test
    void aValidSignedRecordCertifiesAndABadOneIsIgnoredWhileTheRestApplies() {
        PeerBook book = book();
        byte[] record = new PeerRecords(remote, () -> 9L).signedRecord(List.of(A1));
        IdentifyUpdates.apply(book, peer, IdentifyMessages.decode(IdentifyMessages.encode(remote.publicKey(),
                List.of(A1, A2), null, List.of("/p"), "a", record)));
        assertEquals(Optional.of(AddressSource.CERTIFIED), book.addressSource(peer, A1));
        assertEquals(Optional.of(AddressSource.IDENTIFY), book.addressSource(peer, A2));
        assertArrayEquals(record, book.signedRecord(peer).orElseThrow());

        PeerBook other = book();
        TestIdentity stranger = new TestIdentity();
        byte[] strangers = new PeerRecords(stranger, () -> 9L).signedRecord(List.of(A3));
        IdentifyUpdates.apply(other, peer, IdentifyMessages.decode(IdentifyMessages.encode(remote.publicKey(),
                List.of(A1), null, List.of("/p"), "a", strangers)));
        assertFalse(other.signedRecord(peer).isPresent());
        assertEquals(Optional.empty(), other.addressSource(peer, A3));
        assertEquals(List.of(A1), other.addresses(peer));
        assertEquals(Set.of("/p"), other.protocols(peer));
    }

    @Test
    void aPublicKeyOfAnotherPeerIsIgnored() {
        PeerBook book = book();
        TestIdentity stranger = new TestIdentity();
        IdentifyUpdates.apply(book, peer, IdentifyMessages.decode(IdentifyMessages.encode(stranger.publicKey(),
                List.of(), null, List.of("/p"), "a")));
        assertEquals(peer.publicKey(), book.publicKey(peer), "only the key inlined in the id");
        assertEquals(Set.of("/p"), book.protocols(peer));
    }
}

package io.hivemesh.transport.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.google.protobuf.ByteString;
import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.AddressSource;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.transport.internal.proto.Libp2pProto.Envelope;
import io.hivemesh.transport.internal.proto.Libp2pProto.PeerRecord;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Signed peer records, checked against a vector js-libp2p 3.3.11 ({@code @libp2p/peer-record} 9.0.16)
 * produced with {@code src/test/js-peer/peer-record-vector.mjs}: an Ed25519 key from the seed of 32
 * bytes 0x07, seq 1764633600000, two addresses.
 */
class PeerRecordsTest {
    private static final JsonNode VECTOR = vector();
    private static final byte[] JS_ENVELOPE = HexFormat.of().parseHex(VECTOR.get("envelope").asText());
    private static final PeerId JS_PEER = PeerId.parse(VECTOR.get("peerId").asText());

    private static JsonNode vector() {
        try (InputStream in = PeerRecordsTest.class.getResourceAsStream("js-peer-record.json")) {
            return new ObjectMapper().readTree(in);
        } catch (IOException e) {
            throw new IllegalStateException("cannot read js-peer-record.json", e);
        }
    }


    private static List<Multiaddr> jsAddresses() {
        List<Multiaddr> out = new ArrayList<>();
        VECTOR.get("addresses").forEach(a -> out.add(Multiaddr.parse(a.asText())));
        return out;
    }

    private static PeerBook book() {
        return new PeerBook(Optional.empty(), 16, () -> 0L, () -> 0L);
    }

    /** An envelope signed by {@code signer} over {@code payload} with {@code type}, correctly. */
    private static byte[] envelope(NodeIdentity signer, byte[] type, byte[] payload) {
        return Envelope.newBuilder()
                .setPublicKey(ByteString.copyFrom(signer.publicKey().toProtobuf()))
                .setPayloadType(ByteString.copyFrom(type))
                .setPayload(ByteString.copyFrom(payload))
                .setSignature(ByteString.copyFrom(signer.sign(PeerRecords.signedBytes(type, payload))))
                .build().toByteArray();
    }

    private static byte[] record(PeerId peer, long seq, List<Multiaddr> addresses) {
        PeerRecord.Builder r = PeerRecord.newBuilder().setPeerId(ByteString.copyFrom(peer.toBytes())).setSeq(seq);
        for (Multiaddr a : addresses) {
            r.addAddresses(PeerRecord.AddressInfo.newBuilder().setMultiaddr(ByteString.copyFrom(a.toBytes())));
        }
        return r.build().toByteArray();
    }

    @Test
    void acceptsTheJsVector() {
        PeerRecords.Verified v = PeerRecords.verify(JS_ENVELOPE, JS_PEER);
        assertEquals(JS_PEER, v.peer());
        assertEquals(Long.parseLong(VECTOR.get("seq").asText()), v.seq());
        assertEquals(jsAddresses(), v.addresses());
        assertArrayEquals(JS_ENVELOPE, v.envelope());
    }

    @Test
    void refusesTheJsVectorWithAnyOneByteFlipped() {
        for (int i = 0; i < JS_ENVELOPE.length; i++) {
            byte[] flipped = JS_ENVELOPE.clone();
            flipped[i] ^= 0x01;
            int at = i;
            assertThrows(ProtocolViolationException.class, () -> PeerRecords.verify(flipped, JS_PEER),
                    "accepted with byte " + at + " flipped");
        }
    }

    @Test
    void ourRecordIsByteForByteWhatJsProducesForTheSameKeyAndContent() {
        byte[] seed = new byte[32];
        Arrays.fill(seed, (byte) 7);
        NodeIdentity id = new TestIdentity(seed);
        assertEquals(JS_PEER, id.peerId());
        long seq = Long.parseLong(VECTOR.get("seq").asText());
        byte[] ours = new PeerRecords(id, () -> seq).signedRecord(jsAddresses());
        assertEquals(HexFormat.of().formatHex(JS_ENVELOPE), HexFormat.of().formatHex(ours));
    }

    @Test
    void ownRecordsVerifyAndTheirSeqOnlyGrows() {
        NodeIdentity id = new TestIdentity();
        AtomicLong wall = new AtomicLong(1_000);
        PeerRecords records = new PeerRecords(id, wall::get);
        List<Multiaddr> first = List.of(Multiaddr.parse("/ip4/192.0.2.1/tcp/4001/p2p/" + id.peerId()));
        byte[] a = records.signedRecord(first);
        PeerRecords.Verified va = PeerRecords.verify(a, id.peerId());
        assertEquals(1_000, va.seq());
        assertEquals(List.of(Multiaddr.parse("/ip4/192.0.2.1/tcp/4001")), va.addresses());
        assertArrayEquals(a, records.signedRecord(first), "unchanged addresses: the same envelope");
        wall.set(10);
        byte[] b = records.signedRecord(List.of(Multiaddr.parse("/ip4/192.0.2.2/tcp/4001")));
        assertEquals(1_001, PeerRecords.verify(b, id.peerId()).seq(), "the clock went back, the seq did not");
        wall.set(5_000);
        byte[] c = records.signedRecord(List.of());
        assertEquals(5_000, PeerRecords.verify(c, id.peerId()).seq());
    }

    @Test
    void refusesARecordOfAnotherPeer() {
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> PeerRecords.verify(JS_ENVELOPE, new TestIdentity().peerId()));
        assertTrue(e.getMessage().contains("is " + JS_PEER + "'s"), e.getMessage());
    }

    @Test
    void refusesARecordNamingAnotherPeerThanItsSigner() {
        NodeIdentity signer = new TestIdentity();
        PeerId victim = new TestIdentity().peerId();
        byte[] env = envelope(signer, PeerRecords.PAYLOAD_TYPE, record(victim, 1, List.of()));
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> PeerRecords.verify(env, victim));
        assertTrue(e.getMessage().contains("signed by " + signer.peerId()), e.getMessage());
    }

    @Test
    void refusesABadSignature() throws Exception {
        NodeIdentity id = new TestIdentity();
        byte[] payload = record(id.peerId(), 1, List.of());
        byte[] wrongDomain = id.sign(payload);
        byte[] env = Envelope.parseFrom(envelope(id, PeerRecords.PAYLOAD_TYPE, payload)).toBuilder()
                .setSignature(ByteString.copyFrom(wrongDomain)).build().toByteArray();
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> PeerRecords.verify(env, id.peerId()));
        assertTrue(e.getMessage().contains("signature does not verify"), e.getMessage());
    }

    @Test
    void refusesAnotherPayloadTypeEvenIfSigned() {
        NodeIdentity id = new TestIdentity();
        byte[] env = envelope(id, new byte[] {0x03, 0x02}, record(id.peerId(), 1, List.of()));
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> PeerRecords.verify(env, id.peerId()));
        assertTrue(e.getMessage().contains("payload type 0302"), e.getMessage());
    }

    @Test
    void refusesAnOversizeEnvelopeEvenIfSigned() {
        NodeIdentity id = new TestIdentity();
        List<Multiaddr> many = new ArrayList<>();
        for (int i = 0; i < 1000; i++) {
            many.add(Multiaddr.parse("/ip4/10.0." + (i >> 8) + "." + (i & 255) + "/tcp/4001"));
        }
        byte[] env = envelope(id, PeerRecords.PAYLOAD_TYPE, record(id.peerId(), 1, many));
        assertTrue(env.length > PeerRecords.MAX_ENVELOPE);
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> PeerRecords.verify(env, id.peerId()));
        assertTrue(e.getMessage().contains("exceeds " + PeerRecords.MAX_ENVELOPE), e.getMessage());
    }

    @Test
    void acceptCertifiesAndRefusesASeqRollback() {
        NodeIdentity id = new TestIdentity();
        PeerId p = id.peerId();
        PeerBook book = book();
        Multiaddr a1 = Multiaddr.parse("/ip4/192.0.2.1/tcp/1");
        Multiaddr a2 = Multiaddr.parse("/ip4/192.0.2.2/tcp/2");
        byte[] v200 = envelope(id, PeerRecords.PAYLOAD_TYPE, record(p, 200, List.of(a1)));
        book.addAddresses(p, List.of(a1, a2), AddressSource.IDENTIFY);
        assertTrue(PeerRecords.accept(book, p, v200));
        assertEquals(Optional.of(AddressSource.CERTIFIED), book.addressSource(p, a1));
        assertEquals(Optional.of(AddressSource.IDENTIFY), book.addressSource(p, a2));
        assertArrayEquals(v200, book.signedRecord(p).orElseThrow());
        assertEquals(Optional.of(id.publicKey()), book.publicKey(p));

        assertFalse(PeerRecords.accept(book, p, v200), "the same record again changes nothing");
        byte[] v100 = envelope(id, PeerRecords.PAYLOAD_TYPE, record(p, 100, List.of(a2)));
        ProtocolViolationException e = assertThrows(ProtocolViolationException.class,
                () -> PeerRecords.accept(book, p, v100));
        assertTrue(e.getMessage().contains("seq 100 is below the last accepted 200"), e.getMessage());
        assertArrayEquals(v200, book.signedRecord(p).orElseThrow());
        assertEquals(Optional.of(AddressSource.IDENTIFY), book.addressSource(p, a2));

        byte[] v300 = envelope(id, PeerRecords.PAYLOAD_TYPE, record(p, 300, List.of(a2)));
        assertTrue(PeerRecords.accept(book, p, v300));
        assertEquals(Optional.empty(), book.addressSource(p, a1), "no longer certified, and only certified before");
        assertEquals(Optional.of(AddressSource.CERTIFIED), book.addressSource(p, a2));
        assertEquals(300, book.recordSeq(p).orElseThrow());
    }

    @Test
    void refusedRecordsLeaveTheBookUntouched() {
        PeerBook book = book();
        byte[] flipped = JS_ENVELOPE.clone();
        flipped[flipped.length - 1] ^= 0x40;
        assertThrows(ProtocolViolationException.class, () -> PeerRecords.accept(book, JS_PEER, flipped));
        assertEquals(0, book.size());
    }
}

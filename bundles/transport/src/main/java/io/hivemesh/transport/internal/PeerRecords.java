package io.hivemesh.transport.internal;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.multiformats.MultiformatException;
import io.hivemesh.api.multiformats.Varint;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.transport.internal.proto.Libp2pProto.Envelope;
import io.hivemesh.transport.internal.proto.Libp2pProto.PeerRecord;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.LongSupplier;

/**
 * Signed peer records: libp2p RFC 0003 peer records in RFC 0002 signed envelopes, as go-libp2p and
 * js-libp2p exchange them (Identify field 8). The envelope is {@code Envelope{public_key=1,
 * payload_type=2, payload=3, signature=5}}; the payload type is the multicodec
 * {@code libp2p-peer-record} (0x0301, bytes {@code 03 01}); the signature covers
 * {@code uvarint(len(domain)) ‖ domain ‖ uvarint(len(type)) ‖ type ‖ uvarint(len(payload)) ‖ payload}
 * with the domain {@value #DOMAIN}.
 *
 * <p>An instance produces this node's records; {@link #verify} and {@link #accept} check received
 * ones. Thread-safe.
 */
final class PeerRecords {
    static final String DOMAIN = "libp2p-peer-record";
    static final byte[] PAYLOAD_TYPE = {0x03, 0x01};
    /** The largest envelope accepted (js-libp2p reads at most 8 KiB per Identify message). */
    static final int MAX_ENVELOPE = 8 * 1024;
    /** Addresses beyond this many in a received record are ignored (the peer book keeps fewer). */
    static final int MAX_ADDRESSES = 64;

    /**
     * A record whose envelope checked out: signed by {@code key}, which hashes to {@code peer}.
     * {@code envelope} is the envelope as received (to be kept and relayed as is).
     */
    record Verified(PeerId peer, PublicKey key, long seq, List<Multiaddr> addresses, byte[] envelope) {
        Verified {
            addresses = List.copyOf(addresses);
            envelope = envelope.clone();
        }

        @Override
        public byte[] envelope() {
            return envelope.clone();
        }
    }

    private final NodeIdentity identity;
    private final LongSupplier wallMillis;
    private List<Multiaddr> lastAddresses;
    private byte[] lastEnvelope;
    private long lastSeq;

    /**
     * @param identity signs this node's records
     * @param wallMillis wall-clock milliseconds since the epoch: the seq of a new record is the larger
     *     of it and the previous seq + 1, so seqs grow across restarts as long as the clock does
     */
    PeerRecords(NodeIdentity identity, LongSupplier wallMillis) {
        this.identity = identity;
        this.wallMillis = wallMillis;
    }

    /**
     * This node's signed record listing {@code addresses} (any {@code /p2p/} suffix removed): the
     * previous envelope if the addresses did not change, else a new one with a greater seq.
     */
    synchronized byte[] signedRecord(List<Multiaddr> addresses) {
        List<Multiaddr> plain = addresses.stream().map(Multiaddr::withoutPeerId).toList();
        if (lastEnvelope == null || !plain.equals(lastAddresses)) {
            lastSeq = Math.max(wallMillis.getAsLong(), lastSeq + 1);
            PeerRecord.Builder record = PeerRecord.newBuilder()
                    .setPeerId(ByteString.copyFrom(identity.peerId().toBytes()))
                    .setSeq(lastSeq);
            for (Multiaddr a : plain) {
                record.addAddresses(PeerRecord.AddressInfo.newBuilder().setMultiaddr(ByteString.copyFrom(a.toBytes())));
            }
            byte[] payload = record.build().toByteArray();
            byte[] signature = identity.sign(signedBytes(PAYLOAD_TYPE, payload));
            lastEnvelope = Envelope.newBuilder()
                    .setPublicKey(ByteString.copyFrom(identity.publicKey().toProtobuf()))
                    .setPayloadType(ByteString.copyFrom(PAYLOAD_TYPE))
                    .setPayload(ByteString.copyFrom(payload))
                    .setSignature(ByteString.copyFrom(signature))
                    .build().toByteArray();
            lastAddresses = plain;
        }
        return lastEnvelope.clone();
    }

    /**
     * Checks an envelope received from {@code from}: size, payload type, signature, that the record's
     * peer id is the envelope key's and is {@code from}. Addresses that do not parse are skipped; a
     * {@code /p2p/} suffix naming the peer itself is removed, one naming another peer drops the address.
     *
     * @throws ProtocolViolationException naming the first check that failed
     */
    static Verified verify(byte[] envelope, PeerId from) {
        if (envelope.length > MAX_ENVELOPE) {
            throw refused(from, "envelope of " + envelope.length + " bytes exceeds " + MAX_ENVELOPE);
        }
        Envelope env;
        try {
            env = Envelope.parseFrom(envelope);
        } catch (InvalidProtocolBufferException e) {
            throw refused(from, "malformed envelope: " + e.getMessage());
        }
        byte[] type = env.getPayloadType().toByteArray();
        if (!Arrays.equals(type, PAYLOAD_TYPE)) {
            throw refused(from, "payload type " + hex(type) + " is not a libp2p-peer-record (0301)");
        }
        PublicKey key;
        try {
            key = PublicKey.fromProtobuf(env.getPublicKey().toByteArray());
        } catch (MultiformatException e) {
            throw refused(from, "invalid envelope public key: " + e.getMessage());
        }
        byte[] payload = env.getPayload().toByteArray();
        if (!Signatures.verify(key, signedBytes(type, payload), env.getSignature().toByteArray())) {
            throw refused(from, "the envelope signature does not verify with its public key");
        }
        PeerRecord record;
        PeerId recordPeer;
        try {
            record = PeerRecord.parseFrom(payload);
            recordPeer = PeerId.fromBytes(record.getPeerId().toByteArray());
        } catch (InvalidProtocolBufferException | MultiformatException e) {
            throw refused(from, "malformed peer record: " + e.getMessage());
        }
        PeerId signer = PeerId.fromPublicKey(key);
        if (!recordPeer.equals(signer)) {
            throw refused(from, "the record names " + recordPeer + " but was signed by " + signer);
        }
        if (!recordPeer.equals(from)) {
            throw refused(from, "the record is " + recordPeer + "'s");
        }
        List<Multiaddr> addresses = new ArrayList<>();
        for (PeerRecord.AddressInfo info : record.getAddressesList()) {
            if (addresses.size() == MAX_ADDRESSES) {
                break;
            }
            try {
                Multiaddr a = Multiaddr.decode(info.getMultiaddr().toByteArray());
                if (a.peerIdHash().map(h -> h.equals(from.multihash())).orElse(true)) {
                    addresses.add(a.withoutPeerId());
                }
            } catch (MultiformatException e) {
                // an address this node cannot parse is of no use to it; the rest of the record is
            }
        }
        return new Verified(recordPeer, key, record.getSeq(), addresses, envelope);
    }

    /**
     * Verifies {@code envelope} from {@code from} and, if its seq is not below the last accepted one,
     * certifies its addresses in {@code book} and keeps the envelope there.
     *
     * @return true if the record was new, false if it was the one already accepted (same seq)
     * @throws ProtocolViolationException if verification fails or the seq went backwards
     */
    static boolean accept(PeerBook book, PeerId from, byte[] envelope) {
        Verified record = verify(envelope, from);
        return switch (book.certify(record)) {
            case ACCEPTED -> true;
            case UNCHANGED -> false;
            case STALE -> throw refused(from, "seq " + Long.toUnsignedString(record.seq())
                    + " is below the last accepted " + Long.toUnsignedString(book.recordSeq(from).orElse(0)));
        };
    }

    /** The bytes a peer record envelope's signature covers (RFC 0002, "Signature Production"). */
    static byte[] signedBytes(byte[] payloadType, byte[] payload) {
        byte[] domain = DOMAIN.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(domain.length + payloadType.length + payload.length + 12);
        out.writeBytes(Varint.encode(domain.length));
        out.writeBytes(domain);
        out.writeBytes(Varint.encode(payloadType.length));
        out.writeBytes(payloadType);
        out.writeBytes(Varint.encode(payload.length));
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static ProtocolViolationException refused(PeerId from, String problem) {
        return new ProtocolViolationException("signed peer record from " + from + " refused: " + problem);
    }

    private static String hex(byte[] bytes) {
        StringBuilder s = new StringBuilder();
        for (byte b : bytes) {
            s.append(String.format("%02x", b));
        }
        return s.isEmpty() ? "(empty)" : s.toString();
    }
}

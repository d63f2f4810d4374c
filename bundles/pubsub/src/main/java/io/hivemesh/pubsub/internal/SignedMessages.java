package io.hivemesh.pubsub.internal;

import com.google.protobuf.ByteString;
import io.hivemesh.api.multiformats.MultiformatException;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.pubsub.internal.pb.RpcProto.Message;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Message authenticity as pubsub/README.md and js-libp2p do it (pubsub-content-interop.md, "signing"):
 * the signature covers {@code "libp2p-pubsub:"} ‖ the protobuf of a Message holding only from, data,
 * seqno and topic, in field order (re-encoded, so unknown fields are never signed); {@code key} is
 * always sent; seqno is 8 bytes from a process-wide counter started at Unix time in nanoseconds.
 * Message ids: {@link MessageIdFunction} for signed messages, sha-256 of the data for StrictNoSign.
 */
final class SignedMessages {
    private static final byte[] PREFIX = "libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII);
    private static final AtomicLong SEQNO = new AtomicLong(nowNanos());

    private SignedMessages() {
    }

    private static long nowNanos() {
        Instant now = Instant.now();
        return now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    /** The next seqno of this process (strictly increasing across routers). */
    static long nextSeqno() {
        return SEQNO.incrementAndGet();
    }

    /** The bytes a signature covers: the prefix and from, data, seqno, topic (as present) in field order. */
    static byte[] signedBytes(Message m) {
        Message.Builder b = Message.newBuilder();
        if (m.hasFrom()) {
            b.setFrom(m.getFrom());
        }
        if (m.hasData()) {
            b.setData(m.getData());
        }
        if (m.hasSeqno()) {
            b.setSeqno(m.getSeqno());
        }
        if (m.hasTopic()) {
            b.setTopic(m.getTopic());
        }
        byte[] body = b.build().toByteArray();
        byte[] out = new byte[PREFIX.length + body.length];
        System.arraycopy(PREFIX, 0, out, 0, PREFIX.length);
        System.arraycopy(body, 0, out, PREFIX.length, body.length);
        return out;
    }

    /** A StrictSign message by {@code self}, signed, with {@code key}. */
    static Message signed(PeerId self, MessageSigning signing, String topic, byte[] data, long seqno) {
        Message unsigned = Message.newBuilder()
                .setFrom(ByteString.copyFrom(self.toBytes()))
                .setData(ByteString.copyFrom(data))
                .setSeqno(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(seqno).array()))
                .setTopic(topic)
                .build();
        return unsigned.toBuilder()
                .setSignature(ByteString.copyFrom(signing.sign(signedBytes(unsigned))))
                .setKey(ByteString.copyFrom(signing.publicKey().toProtobuf()))
                .build();
    }

    /** A StrictNoSign message: data and topic only. */
    static Message unsigned(String topic, byte[] data) {
        return Message.newBuilder().setData(ByteString.copyFrom(data)).setTopic(topic).build();
    }

    /**
     * Checks a received message against the topic's policy; returns null when it is authentic, else
     * the problem. StrictSign: 8-byte seqno, valid PeerId in from, key (if present) hashing to from or
     * else the key inlined in from, valid signature. StrictNoSign: from, seqno, signature, key absent.
     */
    static String problem(Message m, boolean noSign, MessageSigning signing) {
        if (noSign) {
            if (m.hasFrom() || m.hasSeqno() || m.hasSignature() || m.hasKey()) {
                return "StrictNoSign topic: from, seqno, signature and key must be absent";
            }
            return null;
        }
        if (!m.hasFrom() || !m.hasSeqno() || !m.hasSignature()) {
            return "StrictSign: from, seqno and signature are required";
        }
        if (m.getSeqno().size() != 8) {
            return "StrictSign: seqno is " + m.getSeqno().size() + " bytes, must be 8";
        }
        PeerId from;
        PublicKey key;
        try {
            from = PeerId.fromBytes(m.getFrom().toByteArray());
            if (m.hasKey()) {
                key = PublicKey.fromProtobuf(m.getKey().toByteArray());
                if (!PeerId.fromPublicKey(key).equals(from)) {
                    return "StrictSign: key does not match from " + from;
                }
            } else {
                key = from.publicKey().orElse(null);
                if (key == null) {
                    return "StrictSign: no key and from " + from + " does not inline one";
                }
            }
        } catch (MultiformatException e) {
            return "StrictSign: " + e.getMessage();
        }
        boolean valid;
        try {
            valid = signing.verify(key, signedBytes(m), m.getSignature().toByteArray());
        } catch (RuntimeException e) {
            valid = false;
        }
        return valid ? null : "StrictSign: invalid signature by " + from;
    }

    /**
     * The id of {@code m}: sha-256(data) for StrictNoSign; else from ‖ seqno, or key protobuf ‖ seqno
     * (the key field, else the key inlined in from; falling back to from ‖ seqno when neither exists,
     * which only happens for messages the signature check then rejects).
     */
    static MessageId id(Message m, boolean noSign, MessageIdFunction fn) {
        if (noSign) {
            try {
                return MessageId.of(MessageDigest.getInstance("SHA-256").digest(m.getData().toByteArray()));
            } catch (NoSuchAlgorithmException e) {
                throw new IllegalStateException("SHA-256 missing from the JDK", e);
            }
        }
        ByteString prefix = m.getFrom();
        if (fn == MessageIdFunction.PUBKEY_SEQNO) {
            if (m.hasKey()) {
                prefix = m.getKey();
            } else {
                try {
                    PeerId from = PeerId.fromBytes(m.getFrom().toByteArray());
                    if (from.publicKey().isPresent()) {
                        prefix = ByteString.copyFrom(from.publicKey().get().toProtobuf());
                    }
                } catch (MultiformatException e) {
                    // keep from ‖ seqno: the message fails the signature check
                }
            }
        }
        return MessageId.of(prefix.concat(m.getSeqno()));
    }
}

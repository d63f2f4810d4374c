package io.hivemesh.pubsub.internal;

import com.google.protobuf.ByteString;
import io.hivemesh.pubsub.internal.pb.RpcProto.Message;
import io.hivemesh.pubsub.internal.pb.RpcProto.RPC;
import io.hivemesh.transport.internal.TestIdentity;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Builds gossipsub messages in tests, signed the StrictSign way (libp2p/specs pubsub/README.md, "Message
 * Signing"; the signed bytes hold only from, data, seqno and topic, in field order) by a test identity,
 * and tampered copies of them: the test-only path by which the Java side sends a wrongly signed message
 * (production code never builds one).
 */
final class TestMessages {
    private static final byte[] PREFIX = "libp2p-pubsub:".getBytes(StandardCharsets.UTF_8);
    /** Seqnos start at Unix time in ns, as js's do, so they never repeat across test runs. */
    private static final AtomicLong SEQNO = new AtomicLong(System.currentTimeMillis() * 1_000_000L);

    /** How a message is broken. */
    enum Tamper {
        /** Correctly signed. */
        NONE,
        /** One bit of the signature flipped. */
        SIGNATURE,
        /** The data changed after signing. */
        DATA
    }

    private TestMessages() {
    }

    static byte[] seqno(long n) {
        return ByteBuffer.allocate(8).putLong(n).array();
    }

    /** A message on {@code topic} by {@code author} with a fresh seqno, broken as {@code tamper} says. */
    static Message message(TestIdentity author, String topic, byte[] data, Tamper tamper) {
        return message(author, topic, data, SEQNO.incrementAndGet(), tamper);
    }

    static Message message(TestIdentity author, String topic, byte[] data, long seqno, Tamper tamper) {
        Message unsigned = Message.newBuilder()
                .setFrom(ByteString.copyFrom(author.peerId().toBytes()))
                .setData(ByteString.copyFrom(data))
                .setSeqno(ByteString.copyFrom(seqno(seqno)))
                .setTopic(topic)
                .build();
        byte[] body = unsigned.toByteArray(); // protobuf-java writes fields in number order, minimal varints
        byte[] toSign = new byte[PREFIX.length + body.length];
        System.arraycopy(PREFIX, 0, toSign, 0, PREFIX.length);
        System.arraycopy(body, 0, toSign, PREFIX.length, body.length);
        byte[] signature = author.sign(toSign);
        Message.Builder b = unsigned.toBuilder()
                .setKey(ByteString.copyFrom(author.publicKey().toProtobuf()));
        switch (tamper) {
            case SIGNATURE -> signature[7] ^= 0x01;
            case DATA -> b.setData(ByteString.copyFrom(concat(data, "!".getBytes(StandardCharsets.UTF_8))));
            case NONE -> { }
        }
        return b.setSignature(ByteString.copyFrom(signature)).build();
    }

    /** The FROM_SEQNO id (from ‖ seqno) of {@code m}. */
    static byte[] fromSeqnoId(Message m) {
        return concat(m.getFrom().toByteArray(), m.getSeqno().toByteArray());
    }

    static RPC rpcOf(Message... messages) {
        RPC.Builder b = RPC.newBuilder();
        for (Message m : messages) {
            b.addPublish(m);
        }
        return b.build();
    }

    static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

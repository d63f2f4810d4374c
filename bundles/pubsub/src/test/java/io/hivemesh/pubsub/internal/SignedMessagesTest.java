package io.hivemesh.pubsub.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.protobuf.ByteString;
import com.google.protobuf.UnknownFieldSet;
import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.pubsub.internal.pb.RpcProto.Message;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** StrictSign / StrictNoSign and message ids exactly as pubsub-content-interop.md describes js-libp2p's. */
class SignedMessagesTest {
    private static final HexFormat HEX = HexFormat.of();
    private final Ed25519TestSigning author = new Ed25519TestSigning();
    private final PeerId from = author.peerId();
    private final Message signed = SignedMessages.signed(from, author, "probe-topic",
            "hello".getBytes(StandardCharsets.UTF_8), 0x18ed46069ed1e5c1L);

    @Test
    void wireLayoutIsJsLayout() {
        String hex = HEX.formatHex(signed.toByteArray());
        byte[] pub = author.publicKey().data();
        String expectedStart = "0a26" + "00240801" + "1220" + HEX.formatHex(pub) + "1205" + HEX.formatHex("hello".getBytes())
                + "1a08" + "18ed46069ed1e5c1" + "220b" + HEX.formatHex("probe-topic".getBytes()) + "2a40";
        assertTrue(hex.startsWith(expectedStart), hex);
        assertTrue(hex.endsWith("3224" + "08011220" + HEX.formatHex(pub)), "key is sent: " + hex);
        byte[] signedBytes = SignedMessages.signedBytes(signed);
        assertEquals("libp2p-pubsub:", new String(signedBytes, 0, 14, StandardCharsets.US_ASCII));
        assertEquals(expectedStart.substring(0, expectedStart.length() - 4),
                HEX.formatHex(Arrays.copyOfRange(signedBytes, 14, signedBytes.length)), "signature covers from, data, seqno, topic only");
    }

    @Test
    void aSignedMessageVerifies() {
        assertNull(SignedMessages.problem(signed, false, author));
        assertNull(SignedMessages.problem(signed.toBuilder().clearKey().build(), false, author),
                "an Ed25519 author's key is inlined in from");
    }

    @Test
    void tamperingWithAnyFieldIsRejected() {
        Ed25519TestSigning other = new Ed25519TestSigning();
        List<UnaryOperator<Message.Builder>> tampers = List.of(
            b -> b.setData(ByteString.copyFromUtf8("hellO")),
            b -> b.setTopic("probe-topiC"),
            b -> b.setSeqno(ByteString.copyFrom(ByteBuffer.allocate(8).putLong(0x18ed46069ed1e5c2L).array())),
            b -> b.setFrom(ByteString.copyFrom(other.peerId().toBytes())).clearKey(),
            b -> b.setSignature(flip(signed.getSignature())),
            b -> b.setKey(ByteString.copyFrom(other.publicKey().toProtobuf())),
            b -> b.clearSignature(),
            b -> b.clearSeqno(),
            b -> b.clearFrom(),
            b -> b.setFrom(ByteString.copyFrom(new byte[] {0, 3, 1, 2, 3})),
            b -> b.setKey(ByteString.copyFrom(new byte[] {8, 1, 18, 1, 0})));
        for (int i = 0; i < tampers.size(); i++) {
            Message m = tampers.get(i).apply(signed.toBuilder()).build();
            assertNotNull(SignedMessages.problem(m, false, author), "tamper " + i + " must be rejected");
        }
    }

    @Test
    void aKeyThatDoesNotMatchFromIsRejectedEvenWhenItSigned() {
        Ed25519TestSigning other = new Ed25519TestSigning();
        Message m = signed.toBuilder().clearSignature().setKey(ByteString.copyFrom(other.publicKey().toProtobuf())).build();
        m = m.toBuilder().setSignature(ByteString.copyFrom(other.sign(SignedMessages.signedBytes(m)))).build();
        String problem = SignedMessages.problem(m, false, author);
        assertNotNull(problem);
        assertTrue(problem.contains("key does not match from"), problem);
    }

    @Test
    void aFourByteSeqnoIsRejectedEvenWhenSigned() {
        Message m = signed.toBuilder().clearSignature().setSeqno(ByteString.copyFrom(new byte[] {0, 0, 0, 1})).build();
        m = m.toBuilder().setSignature(ByteString.copyFrom(author.sign(SignedMessages.signedBytes(m)))).build();
        String problem = SignedMessages.problem(m, false, author);
        assertNotNull(problem);
        assertTrue(problem.contains("seqno is 4 bytes"), problem);
    }

    @Test
    void anUnknownFieldIsAcceptedWhenUnsignedAndRejectedWhenSigned() {
        UnknownFieldSet extra = UnknownFieldSet.newBuilder()
                .addField(9, UnknownFieldSet.Field.newBuilder().addLengthDelimited(ByteString.copyFromUtf8("x")).build())
                .build();
        Message unsignedExtra = signed.toBuilder().setUnknownFields(extra).build();
        assertNull(SignedMessages.problem(unsignedExtra, false, author), "an unknown field is not signed");
        byte[] body = Message.newBuilder().setFrom(signed.getFrom()).setData(signed.getData()).setSeqno(signed.getSeqno())
                .setTopic(signed.getTopic()).setUnknownFields(extra).build().toByteArray();
        byte[] withPrefix = new byte[14 + body.length];
        System.arraycopy("libp2p-pubsub:".getBytes(StandardCharsets.US_ASCII), 0, withPrefix, 0, 14);
        System.arraycopy(body, 0, withPrefix, 14, body.length);
        Message signedExtra = unsignedExtra.toBuilder().setSignature(ByteString.copyFrom(author.sign(withPrefix))).build();
        assertNotNull(SignedMessages.problem(signedExtra, false, author), "a signature over an unknown field is refused");
    }

    @Test
    void strictNoSignRequiresEveryAuthorFieldAbsent() {
        Message plain = SignedMessages.unsigned("t", new byte[] {1});
        assertNull(SignedMessages.problem(plain, true, author));
        assertNotNull(SignedMessages.problem(signed, true, author));
        assertNotNull(SignedMessages.problem(plain.toBuilder().setSeqno(signed.getSeqno()).build(), true, author));
        assertNotNull(SignedMessages.problem(plain.toBuilder().setKey(signed.getKey()).build(), true, author));
        assertNotNull(SignedMessages.problem(plain, false, author), "an unsigned message on a StrictSign topic");
    }

    @Test
    void messageIdsHaveTheSpecAndJsForms() throws Exception {
        byte[] seqno = signed.getSeqno().toByteArray();
        byte[] fromSeqno = SignedMessages.id(signed, false, MessageIdFunction.FROM_SEQNO).toBytes();
        assertEquals(46, fromSeqno.length);
        assertArrayEquals(concat(from.toBytes(), seqno), fromSeqno);
        assertEquals("00240801", HEX.formatHex(fromSeqno, 0, 4));
        byte[] keySeqno = SignedMessages.id(signed, false, MessageIdFunction.PUBKEY_SEQNO).toBytes();
        assertEquals(44, keySeqno.length);
        assertArrayEquals(concat(author.publicKey().toProtobuf(), seqno), keySeqno);
        assertEquals("08011220", HEX.formatHex(keySeqno, 0, 4));
        assertArrayEquals(keySeqno, SignedMessages.id(signed.toBuilder().clearKey().build(), false,
                MessageIdFunction.PUBKEY_SEQNO).toBytes(), "without key the key inlined in from");
        assertArrayEquals(MessageDigest.getInstance("SHA-256").digest(new byte[] {1, 2}),
                SignedMessages.id(SignedMessages.unsigned("t", new byte[] {1, 2}), true, MessageIdFunction.FROM_SEQNO).toBytes());
    }

    @Test
    void seqnosIncreaseFromUnixNanoseconds() {
        long a = SignedMessages.nextSeqno();
        long b = SignedMessages.nextSeqno();
        assertTrue(b > a);
        assertTrue(a > 1_600_000_000L * 1_000_000_000L, "started at Unix time in nanoseconds: " + a);
    }

    @Test
    void theTestSignerRefusesNonEd25519Keys() {
        PublicKey rsa = new PublicKey(KeyType.RSA, new byte[] {1, 2, 3});
        assertTrue(!author.verify(rsa, new byte[] {1}, new byte[64]));
    }

    private static ByteString flip(ByteString b) {
        byte[] x = b.toByteArray();
        x[0] ^= 1;
        return ByteString.copyFrom(x);
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}

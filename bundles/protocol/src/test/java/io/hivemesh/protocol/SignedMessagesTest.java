package io.hivemesh.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.crypto.CryptoException;
import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.crypto.Signer;
import io.hivemesh.crypto.internal.Standalone;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Signed envelopes with the real crypto bundle: authenticity, authorship, replay, tampering, payload type. */
class SignedMessagesTest {
    private static final Instant NOW = Instant.parse("2026-12-02T10:15:30.123Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);

    private final NodeIdentity owner = Standalone.identity();
    private final NodeIdentity intruder = Standalone.identity();
    private final Signer ownerSigner = signer(owner);
    private final Signer intruderSigner = signer(intruder);
    /** The receiving node: its own identity and replay guard. */
    private final Signer receiver = signer(Standalone.identity());

    private static Signer signer(NodeIdentity identity) {
        return Standalone.signer(identity, false, Standalone.replayGuard(CLOCK, 10_000), CLOCK);
    }

    private MachineMessage.Delete deleteBy(NodeIdentity author) {
        return new MachineMessage.Delete("task-7f3a", 3, -1, author.peerId(), true, NOW.toEpochMilli());
    }

    @Test
    void aSignedMessageOpensWithItsSignerAndTimestamp() {
        MachineMessage.Delete delete = deleteBy(owner);
        SignedMessages.Verified v = SignedMessages.open(receiver, SignedMessages.sign(ownerSigner, delete));
        assertNull(RecordContent.difference(delete, v.message()));
        assertEquals(owner.peerId(), v.signer());
        assertEquals(NOW, v.timestamp());
    }

    @Test
    void aDeployOpensWithTheAwardOwnerAsAuthor() {
        MachineMessage.Award award = new MachineMessage.Award("t", 1, owner.peerId(), MessageSamples.peer(1), 0,
                List.of(MessageSamples.peer(2)), 1, List.of(), 5);
        MachineMessage.Deploy deploy = new MachineMessage.Deploy(award, MessageSamples.delivery(),
                MessageSamples.capability());
        assertEquals(owner.peerId(), SignedMessages.open(receiver, SignedMessages.sign(ownerSigner, deploy)).signer());
        CryptoException e = assertThrows(CryptoException.class,
                () -> SignedMessages.open(receiver, SignedMessages.sign(intruderSigner, deploy)));
        assertTrue(e.getMessage().contains("Deploy's author is " + owner.peerId()), e.getMessage());
    }

    @Test
    void aMessageSignedByAnotherPeerThanItsAuthorIsRefused() {
        byte[] forged = SignedMessages.sign(intruderSigner, deleteBy(owner));
        CryptoException e = assertThrows(CryptoException.class, () -> SignedMessages.open(receiver, forged));
        assertEquals("envelope: signed by " + intruder.peerId() + " but the Delete's author is " + owner.peerId(),
                e.getMessage());
    }

    @Test
    void aTaskRecordOpensOnlyWithItsSendersSignature() {
        MachineMessage.TaskRecord sample = MessageSamples.taskRecord();
        MachineMessage.TaskRecord record = new MachineMessage.TaskRecord(sample.taskId(), sample.generation(),
                owner.peerId(), sample.tenant(), sample.name(), sample.replicas(), sample.cpuMillis(),
                sample.memoryBytes(), sample.manifestNonce(), sample.manifestCiphertext(), sample.holders(),
                sample.threshold(), sample.guardians(), sample.assignments(), sample.healToken(), owner.peerId(),
                NOW.toEpochMilli());
        SignedMessages.Verified v = SignedMessages.open(receiver, SignedMessages.sign(ownerSigner, record));
        assertNull(RecordContent.difference(record, v.message()));
        CryptoException e = assertThrows(CryptoException.class,
                () -> SignedMessages.open(receiver, SignedMessages.sign(intruderSigner, record)));
        assertEquals("envelope: signed by " + intruder.peerId() + " but the TaskRecord's author is " + owner.peerId(),
                e.getMessage());
    }

    @Test
    void messagesWithoutAuthorOpenFromAnySigner() {
        MachineMessage.ManifestDelivery delivery = MessageSamples.delivery();
        SignedMessages.Verified v = SignedMessages.open(receiver, SignedMessages.sign(intruderSigner, delivery));
        assertEquals(intruder.peerId(), v.signer());
        assertNull(RecordContent.difference(delivery, v.message()));
    }

    @Test
    void aReplayedEnvelopeIsRefused() {
        byte[] envelope = SignedMessages.sign(ownerSigner, deleteBy(owner));
        SignedMessages.open(receiver, envelope);
        CryptoException e = assertThrows(CryptoException.class, () -> SignedMessages.open(receiver, envelope));
        assertTrue(e.getMessage().toLowerCase().contains("replay") || e.getMessage().contains("nonce"), e.getMessage());
    }

    @Test
    void everyTamperedByteIsRefused() {
        byte[] envelope = SignedMessages.sign(ownerSigner, deleteBy(owner));
        for (int i = 0; i < envelope.length; i++) {
            byte[] tampered = envelope.clone();
            tampered[i] ^= 0x01;
            assertThrows(CryptoException.class, () -> SignedMessages.open(receiver, tampered), "byte " + i);
        }
        SignedMessages.open(receiver, envelope);
    }

    @Test
    void anotherPayloadTypeIsRefused() {
        byte[] envelope = ownerSigner.sign("/hivemesh/other/1", MachineCodec.encode(deleteBy(owner)));
        assertEquals("envelope: payload type '/hivemesh/other/1' is not /hivemesh/machine/1",
                assertThrows(MalformedMessageException.class, () -> SignedMessages.open(receiver, envelope))
                        .getMessage());
    }

    @Test
    void aMalformedPayloadIsRefused() {
        byte[] envelope = ownerSigner.sign(SignedMessages.PAYLOAD_TYPE, new byte[] {1, 2, 3});
        assertEquals("frame: 3 bytes is shorter than a frame header (8)",
                assertThrows(MalformedMessageException.class, () -> SignedMessages.open(receiver, envelope))
                        .getMessage());
        assertThrows(MalformedMessageException.class, () -> SignedMessages.open(receiver, null));
        assertThrows(CryptoException.class, () -> SignedMessages.open(receiver, new byte[] {0x45, 1}));
    }
}

package io.hivemesh.protocol;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.hivemesh.protocol.MachineMessage.Port;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class MachineCodecRoundTripTest {

    static Stream<MachineMessage> samples() {
        return MessageSamples.all().stream();
    }

    @ParameterizedTest
    @MethodSource("samples")
    void everyKindRoundTripsWithItsContent(MachineMessage message) {
        byte[] frame = MachineCodec.encode(message);
        MachineMessage decoded = MachineCodec.decode(frame);
        assertSame(message.getClass(), decoded.getClass());
        assertNull(RecordContent.difference(message, decoded));
        assertEquals(message.author(), decoded.author());
        assertArrayEquals(frame, MachineCodec.encode(decoded), "encoding is deterministic");
        assertNotNull(MachineCodec.decode(frame, message.getClass()));
    }

    @Test
    void theSamplesCoverEveryKind() {
        Set<Class<?>> kinds = new HashSet<>();
        MessageSamples.all().forEach(m -> kinds.add(m.getClass()));
        assertEquals(Set.of(MachineMessage.class.getPermittedSubclasses()), kinds);
    }

    @Test
    void contentComparisonSeesByteDifferences() {
        MachineMessage.CapabilityGrant a = new MachineMessage.CapabilityGrant("t", 1, new byte[] {1, 2});
        MachineMessage.CapabilityGrant b = new MachineMessage.CapabilityGrant("t", 1, new byte[] {1, 3});
        assertFalse(RecordContent.equal(a, b));
    }

    @Test
    void absentTextsStayNullAndEmptyOnesEmpty() {
        MachineMessage.DeployResult withNull = new MachineMessage.DeployResult("t", 1, 0, MessageSamples.peer(1),
                false, null);
        assertNull(MachineCodec.decode(MachineCodec.encode(withNull), MachineMessage.DeployResult.class).reason());
        MachineMessage.DeployResult withEmpty = new MachineMessage.DeployResult("t", 1, 0, MessageSamples.peer(1),
                false, "");
        assertEquals("", MachineCodec.decode(MachineCodec.encode(withEmpty), MachineMessage.DeployResult.class).reason());
    }

    @Test
    void emptyListsAndBytesAndExtremeScalarsRoundTrip() {
        MachineMessage.Tender tender = new MachineMessage.Tender("", "", Long.MIN_VALUE, MessageSamples.peer(0),
                List.of(Integer.MIN_VALUE, -1, Integer.MAX_VALUE), Long.MAX_VALUE, -1, List.of(), 0);
        assertNull(RecordContent.difference(tender, MachineCodec.decode(MachineCodec.encode(tender))));
        MachineMessage.ShareRequest first = new MachineMessage.ShareRequest("t", 0, MessageSamples.peer(2),
                new byte[0], new byte[0], new byte[0]);
        assertNull(RecordContent.difference(first, MachineCodec.decode(MachineCodec.encode(first))));
        MachineMessage.Bid bid = new MachineMessage.Bid("x", "y", 0, MessageSamples.peer(3), 0, 0, 0, -0.0);
        MachineMessage.Bid back = MachineCodec.decode(MachineCodec.encode(bid), MachineMessage.Bid.class);
        assertEquals(Double.doubleToRawLongBits(0.0), Double.doubleToRawLongBits(back.score()), "-0.0 arrives as 0.0");
    }

    @Test
    void limitsExactlyAtTheMaximumAreAccepted() {
        String longest = "ü".repeat(MachineMessage.MAX_STRING / 2);
        List<Port> ports = java.util.Collections.nCopies(MachineMessage.MAX_LIST,
                new Port(longest, 1, longest, longest, 2));
        MachineMessage.StatusReport largest = new MachineMessage.StatusReport(longest, 1, 0, MessageSamples.peer(1),
                longest, longest, ports, 5);
        byte[] frame = MachineCodec.encode(largest);
        assertNull(RecordContent.difference(largest, MachineCodec.decode(frame)));

        MachineMessage.ManifestDelivery biggest = new MachineMessage.ManifestDelivery(longest, 1, longest, longest,
                new byte[MachineCodec.MAX_NONCE_BYTES], new byte[MachineCodec.MAX_CIPHERTEXT_BYTES]);
        MachineMessage.Deploy deploy = new MachineMessage.Deploy(MessageSamples.award(), biggest,
                new MachineMessage.CapabilityGrant(longest, 1, new byte[MachineCodec.MAX_TOKEN_BYTES]));
        assertNull(RecordContent.difference(deploy, MachineCodec.decode(MachineCodec.encode(deploy))));
    }

    @Test
    void theEncoderRefusesWhatTheDecoderWouldRefuseNamingTheField() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MachineCodec.encode(
                new MachineMessage.Bid(null, "y", 0, MessageSamples.peer(3), 0, 0, 0, 1)));
        assertEquals("Bid.tender_id: required, is null", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MachineCodec.encode(
                new MachineMessage.Bid("x", "y", 0, MessageSamples.peer(3), 0, 0, 0, Double.NaN)));
        assertEquals("Bid.score: NaN is not finite", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MachineCodec.encode(
                new MachineMessage.WorkloadEvent("t", 0, MessageSamples.peer(1), "k",
                        "x".repeat(MachineMessage.MAX_STRING + 1), 0)));
        assertEquals("WorkloadEvent.message: 1025 bytes of UTF-8 exceeds the limit of 1024", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MachineCodec.encode(
                new MachineMessage.LogsChunk("t", 0, MessageSamples.peer(1), List.of("ok", "bad \uD800"), null)));
        assertEquals("LogsChunk.lines[1]: not valid Unicode (unpaired surrogate)", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MachineCodec.encode(
                new MachineMessage.HeartbeatAck(MessageSamples.peer(1), java.util.Collections.nCopies(
                        MachineMessage.MAX_LIST + 1, new MachineMessage.ReplicaRef("t", 0, 0)))));
        assertEquals("HeartbeatAck.stale: 1025 entries exceeds the limit of 1024", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MachineCodec.encode(
                new MachineMessage.CapabilityGrant("t", 0, new byte[MachineCodec.MAX_TOKEN_BYTES + 1])));
        assertEquals("CapabilityGrant.token: 16385 bytes exceeds the limit of 16384", e.getMessage());
        MachineMessage.TaskRecord r = MessageSamples.taskRecord();
        e = assertThrows(IllegalArgumentException.class, () -> MachineCodec.encode(new MachineMessage.TaskRecord(
                r.taskId(), r.generation(), r.owner(), r.tenant(), r.name(), r.replicas(), r.cpuMillis(),
                r.memoryBytes(), r.manifestNonce(), r.manifestCiphertext(), r.holders(), r.threshold(), r.guardians(),
                r.assignments(), new byte[MachineCodec.MAX_TOKEN_BYTES + 1], r.sender(), r.atMillis())));
        assertEquals("TaskRecord.heal_token: 16385 bytes exceeds the limit of 16384", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MachineCodec.encode(new MachineMessage.TaskRecord(
                r.taskId(), r.generation(), r.owner(), r.tenant(), r.name(), r.replicas(), r.cpuMillis(),
                r.memoryBytes(), r.manifestNonce(), r.manifestCiphertext(), r.holders(), r.threshold(), r.guardians(),
                java.util.Collections.nCopies(MachineMessage.MAX_LIST + 1, r.assignments().get(0)), r.healToken(),
                r.sender(), r.atMillis())));
        assertEquals("TaskRecord.assignments: 1025 entries exceeds the limit of 1024", e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> MachineCodec.encode(
                new MachineMessage.Update("t", 0, 1, null, 0)));
        assertEquals("Update.owner: required, is null", e.getMessage());
    }
}

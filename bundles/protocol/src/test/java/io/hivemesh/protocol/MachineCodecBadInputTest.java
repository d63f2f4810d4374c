package io.hivemesh.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.flatbuffers.FlatBufferBuilder;
import io.hivemesh.protocol.fb.Frame;
import io.hivemesh.protocol.fb.Message;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Everything a peer could send that is not a valid message: refused, naming the problem. */
class MachineCodecBadInputTest {

    private static String refused(byte[] frame) {
        return assertThrows(MalformedMessageException.class, () -> MachineCodec.decode(frame)).getMessage();
    }

    /** Decoding either refuses with MalformedMessageException or yields a message that round-trips. */
    static boolean refusedOrConsistent(byte[] frame) {
        MachineMessage m;
        try {
            m = MachineCodec.decode(frame);
        } catch (MalformedMessageException expected) {
            return true;
        }
        assertNull(RecordContent.difference(m, MachineCodec.decode(MachineCodec.encode(m))));
        return false;
    }

    @Test
    void nullEmptyShortAndOversizeFrames() {
        assertEquals("frame: null", refused(null));
        for (int n = 0; n < 8; n++) {
            assertEquals("frame: " + n + " bytes is shorter than a frame header (8)", refused(new byte[n]));
        }
        assertEquals("frame: 4194305 bytes exceeds the limit of 4194304",
                refused(new byte[MachineCodec.MAX_MESSAGE_BYTES + 1]));
        assertEquals("frame: file identifier is not HMM1 (not a machine-plane frame)",
                refused(new byte[MachineCodec.MAX_MESSAGE_BYTES]));
    }

    @Test
    void aFrameWithAnotherIdentifierOrNoneIsRefused() {
        FlatBufferBuilder b = new FlatBufferBuilder();
        int table = io.hivemesh.protocol.fb.CapabilityGrant.createCapabilityGrant(b, b.createString("t"), 1,
                b.createByteVector(new byte[3]));
        b.finish(Frame.createFrame(b, Message.CapabilityGrant, table), "HMM2");
        assertEquals("frame: file identifier is not HMM1 (not a machine-plane frame)", refused(b.sizedByteArray()));
        b = new FlatBufferBuilder();
        table = io.hivemesh.protocol.fb.CapabilityGrant.createCapabilityGrant(b, b.createString("t"), 1,
                b.createByteVector(new byte[3]));
        b.finish(Frame.createFrame(b, Message.CapabilityGrant, table));
        assertTrue(refused(b.sizedByteArray()).startsWith("frame"));
    }

    @Test
    void everyTruncationIsRefusedUnlessOnlyTrailingPaddingWentMissing() {
        for (MachineMessage m : MessageSamples.all()) {
            byte[] frame = MachineCodec.encode(m);
            int accepted = 0;
            for (int n = 0; n < frame.length; n++) {
                if (!refusedOrConsistent(Arrays.copyOf(frame, n))) {
                    accepted++;
                }
            }
            assertTrue(accepted <= 3, m.getClass().getSimpleName() + ": " + accepted + " truncations accepted");
            refused(Arrays.copyOf(frame, frame.length / 2));
        }
    }

    @Test
    void everySingleByteCorruptionIsRefusedOrStillAValidMessage() {
        for (MachineMessage m : MessageSamples.all()) {
            byte[] frame = MachineCodec.encode(m);
            int step = Math.max(1, frame.length / 2000);
            for (int i = 0; i < frame.length; i += step) {
                for (int value : new int[] {0x00, 0xFF, 0x80, frame[i] ^ 0x01, frame[i] + 4}) {
                    byte[] bad = frame.clone();
                    bad[i] = (byte) value;
                    refusedOrConsistent(bad);
                }
            }
        }
    }

    @Test
    void randomGarbageIsRefused() {
        Random random = new Random(12);
        for (int run = 0; run < 20_000; run++) {
            byte[] garbage = new byte[random.nextInt(600)];
            random.nextBytes(garbage);
            if (garbage.length >= 8 && run % 2 == 0) {
                garbage[4] = 'H';
                garbage[5] = 'M';
                garbage[6] = 'M';
                garbage[7] = '1';
                ByteBuffer.wrap(garbage).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 8 + random.nextInt(64) * 4);
            }
            refusedOrConsistent(garbage);
        }
    }

    @Test
    void listsOverTheLimitAreRefused() {
        byte[] peer = RawFrames.peer();
        assertEquals("LogsChunk.lines: 1025 entries exceeds the limit of 1024",
                refused(RawFrames.logsChunk(MachineMessage.MAX_LIST + 1, MessageSamples.utf8("x"))));
        assertEquals("Tender.replicas: 1025 entries exceeds the limit of 1024",
                refused(RawFrames.tender(MessageSamples.utf8("t"), peer, MachineMessage.MAX_LIST + 1, new byte[0][])));
        byte[][] many = new byte[MachineMessage.MAX_LIST + 1][];
        Arrays.fill(many, peer);
        assertEquals("Tender.excluded: 1025 entries exceeds the limit of 1024",
                refused(RawFrames.tender(MessageSamples.utf8("t"), peer, 1, many)));
        assertEquals(MachineMessage.MAX_LIST, MachineCodec.decode(RawFrames.logsChunk(MachineMessage.MAX_LIST,
                MessageSamples.utf8("x")), MachineMessage.LogsChunk.class).lines().size());
    }

    @Test
    void stringsAndByteFieldsOverTheLimitAreRefused() {
        byte[] tooLong = new byte[MachineMessage.MAX_STRING + 1];
        Arrays.fill(tooLong, (byte) 'a');
        assertEquals("Tender.task_id: 1025 bytes exceeds the limit of 1024",
                refused(RawFrames.tender(tooLong, RawFrames.peer(), 0, new byte[0][])));
        assertEquals("LogsChunk.lines[0]: 1025 bytes exceeds the limit of 1024", refused(RawFrames.logsChunk(2, tooLong)));
        assertEquals("ManifestDelivery.ciphertext: 2097153 bytes exceeds the limit of 2097152",
                refused(RawFrames.manifestDelivery(MachineCodec.MAX_CIPHERTEXT_BYTES + 1)));
        assertEquals("Tender.owner: 65 bytes exceeds the limit of 64", refused(RawFrames.tender(new byte[65])));
    }

    @Test
    void badPeerIdBytesAreRefusedNamingTheField() {
        String m = refused(RawFrames.tender(new byte[] {0x55, 3, 1, 2, 3}));
        assertTrue(m.startsWith("Tender.owner: not a PeerId: "), m);
        m = refused(RawFrames.tender(new byte[] {0x12, 0x20, 1, 2, 3}));
        assertTrue(m.startsWith("Tender.owner: not a PeerId: "), m);
        assertTrue(refused(RawFrames.tender(new byte[0])).startsWith("Tender.owner: not a PeerId: "));
        m = refused(RawFrames.tender(MessageSamples.utf8("t"), RawFrames.peer(), 0,
                new byte[][] {RawFrames.peer(), {0x00, 0x02, 0x08, 0x01}}));
        assertTrue(m.startsWith("Tender.excluded[1]: not a PeerId: "), m);
    }

    @Test
    void aTaskRecordWithABadAssignmentNodeIsRefusedNamingIt() {
        assertEquals(1, MachineCodec.decode(RawFrames.taskRecord(RawFrames.peer()), MachineMessage.TaskRecord.class)
                .assignments().size());
        String m = refused(RawFrames.taskRecord(new byte[] {0x55, 3, 1, 2, 3}));
        assertTrue(m.startsWith("TaskRecord.assignments[0].node: not a PeerId: "), m);
        assertEquals("TaskAssignment.node: 65 bytes exceeds the limit of 64",
                refused(RawFrames.taskRecord(new byte[65])));
    }

    @Test
    void malformedUtf8IsRefused() {
        for (byte[] bad : new byte[][] {{(byte) 0xC0, (byte) 0x80}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
                {(byte) 0xFF}, {'a', (byte) 0xE2, (byte) 0x82}, {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}}) {
            assertEquals("DeployResult.reason: malformed UTF-8", refused(RawFrames.deployResult(bad)));
        }
        assertEquals("\u0000 ok \u20ac", MachineCodec.decode(RawFrames.deployResult(MessageSamples.utf8("\u0000 ok \u20ac")),
                MachineMessage.DeployResult.class).reason());
    }

    @Test
    void missingRequiredFieldsAndUnknownKindsAreRefused() {
        assertEquals("Tender.task_id: missing", refused(RawFrames.tenderWithoutTaskId()));
        assertEquals("Frame.message: unknown message kind 21",
                refused(RawFrames.frame((byte) 21, b -> io.hivemesh.protocol.fb.Peer.createPeer(b, b.createByteVector(new byte[1])))));
        assertEquals("Frame.message: unknown message kind 255",
                refused(RawFrames.frame((byte) 255, b -> io.hivemesh.protocol.fb.Peer.createPeer(b, b.createByteVector(new byte[1])))));
        FlatBufferBuilder b = new FlatBufferBuilder();
        Frame.startFrame(b);
        b.finish(b.endTable(), "HMM1");
        assertEquals("Frame.message_type: missing", refused(b.sizedByteArray()));
    }

    @Test
    void nonFiniteScoresAreRefused() {
        assertEquals("Bid.score: NaN is not finite", refused(RawFrames.bid(Double.NaN)));
        assertEquals("Bid.score: Infinity is not finite", refused(RawFrames.bid(Double.POSITIVE_INFINITY)));
    }

    @Test
    void offsetsOutsideTheFrameAreRefused() {
        byte[] frame = MachineCodec.encode(MessageSamples.all().get(1));
        byte[] bad = frame.clone();
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 0xFFFFFFF0);
        assertEquals("frame root: offset 4294967280 is not a forward offset", refused(bad));
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(0, frame.length + 4);
        assertTrue(refused(bad).contains("runs past the end"), refused(bad));
        ByteBuffer.wrap(bad).order(ByteOrder.LITTLE_ENDIAN).putInt(0, 10);
        assertTrue(refused(bad).contains("not aligned"), refused(bad));
    }

    @Test
    void theWrongKindIsRefused() {
        byte[] tender = MachineCodec.encode(MessageSamples.all().get(0));
        assertEquals("frame: expected a Bid, got a Tender", assertThrows(MalformedMessageException.class,
                () -> MachineCodec.decode(tender, MachineMessage.Bid.class)).getMessage());
        Executable deploy = () -> MachineCodec.decode(MachineCodec.encode(
                new MachineMessage.Deploy(MessageSamples.award(), MessageSamples.delivery(), MessageSamples.capability())),
                MachineMessage.Award.class);
        assertEquals("frame: expected a Award, got a Deploy",
                assertThrows(MalformedMessageException.class, deploy).getMessage());
    }
}

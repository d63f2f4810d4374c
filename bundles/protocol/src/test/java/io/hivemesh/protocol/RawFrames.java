package io.hivemesh.protocol;

import com.google.flatbuffers.FlatBufferBuilder;
import io.hivemesh.protocol.fb.Bid;
import io.hivemesh.protocol.fb.DeployResult;
import io.hivemesh.protocol.fb.Frame;
import io.hivemesh.protocol.fb.LogsChunk;
import io.hivemesh.protocol.fb.ManifestDelivery;
import io.hivemesh.protocol.fb.Message;
import io.hivemesh.protocol.fb.Peer;
import io.hivemesh.protocol.fb.TaskAssignment;
import io.hivemesh.protocol.fb.TaskRecord;
import io.hivemesh.protocol.fb.Tender;
import java.nio.ByteBuffer;
import java.util.function.ToIntFunction;

/**
 * Frames built with the generated builders directly, past {@link MachineCodec#encode}'s checks:
 * what a misbehaving peer could send.
 */
final class RawFrames {
    private RawFrames() {
    }

    /** A frame whose union holds {@code table} built by {@code build}, tagged {@code type}. */
    static byte[] frame(byte type, ToIntFunction<FlatBufferBuilder> build) {
        FlatBufferBuilder b = new FlatBufferBuilder(256);
        int table = build.applyAsInt(b);
        Frame.finishFrameBuffer(b, Frame.createFrame(b, type, table));
        return b.sizedByteArray();
    }

    /** A Tender with the given raw task id (UTF-8 bytes), owner bytes, replica count and excluded peers. */
    static byte[] tender(byte[] taskId, byte[] owner, int replicas, byte[][] excluded) {
        return frame(Message.Tender, b -> {
            int[] peers = new int[excluded.length];
            for (int i = 0; i < peers.length; i++) {
                peers[i] = Peer.createPeer(b, b.createByteVector(excluded[i]));
            }
            return Tender.createTender(b, b.createString("tender"), b.createString(ByteBuffer.wrap(taskId)), 1,
                    b.createByteVector(owner), Tender.createReplicasVector(b, new int[replicas]), 100, 200,
                    Tender.createExcludedVector(b, peers), 300);
        });
    }

    static byte[] tender(byte[] owner) {
        return tender(MessageSamples.utf8("task"), owner, 1, new byte[0][]);
    }

    /** A LogsChunk with {@code lines} copies of {@code line} (raw UTF-8). */
    static byte[] logsChunk(int lines, byte[] line) {
        return frame(Message.LogsChunk, b -> {
            int[] offsets = new int[lines];
            for (int i = 0; i < lines; i++) {
                offsets[i] = b.createString(ByteBuffer.wrap(line));
            }
            return LogsChunk.createLogsChunk(b, b.createString("task"), 0, b.createByteVector(peer()),
                    LogsChunk.createLinesVector(b, offsets), 0);
        });
    }

    /** A DeployResult whose reason is the raw bytes {@code reason}. */
    static byte[] deployResult(byte[] reason) {
        return frame(Message.DeployResult, b -> DeployResult.createDeployResult(b, b.createString("task"), 1, 0,
                b.createByteVector(peer()), false, b.createString(ByteBuffer.wrap(reason))));
    }

    static byte[] bid(double score) {
        return frame(Message.Bid, b -> Bid.createBid(b, b.createString("tender"), b.createString("task"), 1,
                b.createByteVector(peer()), 1, 2, 3, score));
    }

    static byte[] manifestDelivery(int ciphertextBytes) {
        return frame(Message.ManifestDelivery, b -> ManifestDelivery.createManifestDelivery(b,
                b.createString("task"), 1, b.createString("tenant"), b.createString("name"),
                b.createByteVector(new byte[12]), b.createByteVector(new byte[ciphertextBytes])));
    }

    /** A Tender table without its task_id (bypassing the generated endTender's required check). */
    static byte[] tenderWithoutTaskId() {
        return frame(Message.Tender, b -> {
            int tenderId = b.createString("tender");
            int owner = b.createByteVector(peer());
            int replicas = Tender.createReplicasVector(b, new int[0]);
            int excluded = Tender.createExcludedVector(b, new int[0]);
            b.startTable(9);
            Tender.addTenderId(b, tenderId);
            Tender.addOwner(b, owner);
            Tender.addReplicas(b, replicas);
            Tender.addExcluded(b, excluded);
            return b.endTable();
        });
    }

    /** A TaskRecord with one assignment on the raw node bytes {@code node}. */
    static byte[] taskRecord(byte[] node) {
        return frame(Message.TaskRecord, b -> {
            int assignment = TaskAssignment.createTaskAssignment(b, 0, b.createByteVector(node), 1,
                    b.createString("Running"));
            int none = TaskRecord.createHoldersVector(b, new int[0]);
            return TaskRecord.createTaskRecord(b, b.createString("task"), 1, b.createByteVector(peer()),
                    b.createString("tenant"), b.createString("name"), 1, 100, 200, b.createByteVector(new byte[12]),
                    b.createByteVector(new byte[16]), none, 1, TaskRecord.createGuardiansVector(b, new int[0]),
                    TaskRecord.createAssignmentsVector(b, new int[] {assignment}), b.createByteVector(new byte[8]),
                    b.createByteVector(peer()), 5);
        });
    }

    static byte[] peer() {
        return MessageSamples.peer(1).toBytes();
    }
}

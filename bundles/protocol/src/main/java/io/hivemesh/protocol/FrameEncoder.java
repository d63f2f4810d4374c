package io.hivemesh.protocol;

import static io.hivemesh.protocol.MachineCodec.MAX_CHALLENGE_BYTES;
import static io.hivemesh.protocol.MachineCodec.MAX_CIPHERTEXT_BYTES;
import static io.hivemesh.protocol.MachineCodec.MAX_KEY_BYTES;
import static io.hivemesh.protocol.MachineCodec.MAX_NONCE_BYTES;
import static io.hivemesh.protocol.MachineCodec.MAX_SEALED_SHARE_BYTES;
import static io.hivemesh.protocol.MachineCodec.MAX_SIGNATURE_BYTES;
import static io.hivemesh.protocol.MachineCodec.MAX_TOKEN_BYTES;

import com.google.flatbuffers.FlatBufferBuilder;
import io.hivemesh.protocol.fb.Award;
import io.hivemesh.protocol.fb.Bid;
import io.hivemesh.protocol.fb.CapabilityGrant;
import io.hivemesh.protocol.fb.Delete;
import io.hivemesh.protocol.fb.Deploy;
import io.hivemesh.protocol.fb.DeployResult;
import io.hivemesh.protocol.fb.Frame;
import io.hivemesh.protocol.fb.Heartbeat;
import io.hivemesh.protocol.fb.HeartbeatAck;
import io.hivemesh.protocol.fb.LogsChunk;
import io.hivemesh.protocol.fb.LogsRequest;
import io.hivemesh.protocol.fb.ManifestDelivery;
import io.hivemesh.protocol.fb.Message;
import io.hivemesh.protocol.fb.NodeKeysRecord;
import io.hivemesh.protocol.fb.ShareDeposit;
import io.hivemesh.protocol.fb.ShareGrant;
import io.hivemesh.protocol.fb.ShareRequest;
import io.hivemesh.protocol.fb.StatusReport;
import io.hivemesh.protocol.fb.TaskAssignment;
import io.hivemesh.protocol.fb.TaskRecord;
import io.hivemesh.protocol.fb.Tender;
import io.hivemesh.protocol.fb.Update;
import io.hivemesh.protocol.fb.WorkloadEvent;

/**
 * Builds the frame of one message with the generated {@code io.hivemesh.protocol.fb} builders,
 * checking on the way what the decoder would refuse ({@link WireValues}). One instance per frame.
 */
final class FrameEncoder {
    private final FlatBufferBuilder b = new FlatBufferBuilder(1024);
    private final WireValues v = new WireValues(b);

    byte[] encode(MachineMessage message) {
        byte type;
        int table;
        if (message instanceof MachineMessage.Tender m) {
            type = Message.Tender;
            table = Tender.createTender(b, v.string(m.tenderId(), "Tender.tender_id"),
                    v.string(m.taskId(), "Tender.task_id"), m.generation(), v.peer(m.owner(), "Tender.owner"),
                    v.ints(m.replicas(), "Tender.replicas"), m.cpuMillis(), m.memoryBytes(),
                    v.peers(m.excluded(), "Tender.excluded"), m.deadlineMillis());
        } else if (message instanceof MachineMessage.Bid m) {
            type = Message.Bid;
            if (!Double.isFinite(m.score())) {
                throw new IllegalArgumentException("Bid.score: " + m.score() + " is not finite");
            }
            table = Bid.createBid(b, v.string(m.tenderId(), "Bid.tender_id"), v.string(m.taskId(), "Bid.task_id"),
                    m.generation(), v.peer(m.bidder(), "Bid.bidder"), m.freeCpuMillis(), m.freeMemoryBytes(),
                    m.runningReplicas(), m.score());
        } else if (message instanceof MachineMessage.Award m) {
            type = Message.Award;
            table = award(m);
        } else if (message instanceof MachineMessage.ShareDeposit m) {
            type = Message.ShareDeposit;
            table = ShareDeposit.createShareDeposit(b, v.string(m.taskId(), "ShareDeposit.task_id"), m.generation(),
                    v.peer(m.owner(), "ShareDeposit.owner"), m.index(),
                    v.bytes(m.sealedShare(), MAX_SEALED_SHARE_BYTES, "ShareDeposit.sealed_share"));
        } else if (message instanceof MachineMessage.ShareRequest m) {
            type = Message.ShareRequest;
            table = ShareRequest.createShareRequest(b, v.string(m.taskId(), "ShareRequest.task_id"), m.generation(),
                    v.peer(m.requester(), "ShareRequest.requester"),
                    v.bytes(m.token(), MAX_TOKEN_BYTES, "ShareRequest.token"),
                    v.bytes(m.challenge(), MAX_CHALLENGE_BYTES, "ShareRequest.challenge"),
                    v.bytes(m.signature(), MAX_SIGNATURE_BYTES, "ShareRequest.signature"));
        } else if (message instanceof MachineMessage.ShareGrant m) {
            type = Message.ShareGrant;
            table = ShareGrant.createShareGrant(b, v.string(m.taskId(), "ShareGrant.task_id"), m.generation(),
                    v.peer(m.holder(), "ShareGrant.holder"),
                    v.bytes(m.challenge(), MAX_CHALLENGE_BYTES, "ShareGrant.challenge"),
                    v.bytes(m.sealedShare(), MAX_SEALED_SHARE_BYTES, "ShareGrant.sealed_share"),
                    v.text(m.refusal(), "ShareGrant.refusal"));
        } else if (message instanceof MachineMessage.ManifestDelivery m) {
            type = Message.ManifestDelivery;
            table = delivery(m);
        } else if (message instanceof MachineMessage.CapabilityGrant m) {
            type = Message.CapabilityGrant;
            table = capability(m);
        } else if (message instanceof MachineMessage.Deploy m) {
            type = Message.Deploy;
            table = Deploy.createDeploy(b, award(m.award()), delivery(m.delivery()), capability(m.capability()));
        } else if (message instanceof MachineMessage.DeployResult m) {
            type = Message.DeployResult;
            table = DeployResult.createDeployResult(b, v.string(m.taskId(), "DeployResult.task_id"), m.generation(),
                    m.replica(), v.peer(m.node(), "DeployResult.node"), m.accepted(),
                    v.text(m.reason(), "DeployResult.reason"));
        } else if (message instanceof MachineMessage.StatusReport m) {
            type = Message.StatusReport;
            table = StatusReport.createStatusReport(b, v.string(m.taskId(), "StatusReport.task_id"), m.generation(),
                    m.replica(), v.peer(m.node(), "StatusReport.node"), v.string(m.state(), "StatusReport.state"),
                    v.text(m.reason(), "StatusReport.reason"), v.ports(m.ports(), "StatusReport.ports"),
                    m.atMillis());
        } else if (message instanceof MachineMessage.WorkloadEvent m) {
            type = Message.WorkloadEvent;
            table = WorkloadEvent.createWorkloadEvent(b, v.string(m.taskId(), "WorkloadEvent.task_id"),
                    m.generation(), v.peer(m.node(), "WorkloadEvent.node"), v.string(m.kind(), "WorkloadEvent.kind"),
                    v.text(m.message(), "WorkloadEvent.message"), m.atMillis());
        } else if (message instanceof MachineMessage.Delete m) {
            type = Message.Delete;
            table = Delete.createDelete(b, v.string(m.taskId(), "Delete.task_id"), m.generation(), m.replica(),
                    v.peer(m.owner(), "Delete.owner"), m.tombstone(), m.atMillis());
        } else if (message instanceof MachineMessage.Update m) {
            type = Message.Update;
            table = Update.createUpdate(b, v.string(m.taskId(), "Update.task_id"), m.generation(), m.replicas(),
                    v.peer(m.owner(), "Update.owner"), m.atMillis());
        } else if (message instanceof MachineMessage.Heartbeat m) {
            type = Message.Heartbeat;
            table = Heartbeat.createHeartbeat(b, v.peer(m.node(), "Heartbeat.node"), m.cpuMillis(), m.memoryBytes(),
                    m.freeCpuMillis(), m.freeMemoryBytes(), v.replicaRefs(m.replicas(), "Heartbeat.replicas"),
                    m.atMillis());
        } else if (message instanceof MachineMessage.HeartbeatAck m) {
            type = Message.HeartbeatAck;
            table = HeartbeatAck.createHeartbeatAck(b, v.peer(m.owner(), "HeartbeatAck.owner"),
                    v.replicaRefs(m.stale(), "HeartbeatAck.stale"));
        } else if (message instanceof MachineMessage.NodeKeysRecord m) {
            type = Message.NodeKeysRecord;
            table = NodeKeysRecord.createNodeKeysRecord(b, v.peer(m.node(), "NodeKeysRecord.node"),
                    v.bytes(m.kemPublicKey(), MAX_KEY_BYTES, "NodeKeysRecord.kem_public_key"),
                    v.bytes(m.mlDsaPublicKey(), MAX_KEY_BYTES, "NodeKeysRecord.ml_dsa_public_key"), m.sequence(),
                    m.createdMillis(), m.expiresMillis());
        } else if (message instanceof MachineMessage.LogsRequest m) {
            type = Message.LogsRequest;
            table = LogsRequest.createLogsRequest(b, v.string(m.taskId(), "LogsRequest.task_id"), m.replica(),
                    v.peer(m.owner(), "LogsRequest.owner"), m.tail(), m.follow());
        } else if (message instanceof MachineMessage.LogsChunk m) {
            type = Message.LogsChunk;
            table = LogsChunk.createLogsChunk(b, v.string(m.taskId(), "LogsChunk.task_id"), m.replica(),
                    v.peer(m.node(), "LogsChunk.node"), v.strings(m.lines(), "LogsChunk.lines"),
                    v.text(m.refusal(), "LogsChunk.refusal"));
        } else if (message instanceof MachineMessage.TaskRecord m) {
            type = Message.TaskRecord;
            table = taskRecord(m);
        } else {
            throw new IllegalArgumentException("no wire form for " + message.getClass().getName());
        }
        Frame.finishFrameBuffer(b, Frame.createFrame(b, type, table));
        byte[] frame = b.sizedByteArray();
        if (frame.length > MachineCodec.MAX_MESSAGE_BYTES) {
            throw new IllegalArgumentException(message.getClass().getSimpleName() + ": frame of " + frame.length
                    + " bytes exceeds the limit of " + MachineCodec.MAX_MESSAGE_BYTES);
        }
        return frame;
    }

    private int award(MachineMessage.Award m) {
        return Award.createAward(b, v.string(m.taskId(), "Award.task_id"), m.generation(),
                v.peer(m.owner(), "Award.owner"), v.peer(m.node(), "Award.node"), m.replica(),
                v.peers(m.holders(), "Award.holders"), m.threshold(), v.peers(m.guardians(), "Award.guardians"),
                m.issuedAtMillis(), v.peer(m.taskOwner(), "Award.task_owner"));
    }

    private int taskRecord(MachineMessage.TaskRecord m) {
        if (m.assignments() == null || m.assignments().size() > MachineMessage.MAX_LIST) {
            throw new IllegalArgumentException("TaskRecord.assignments: " + (m.assignments() == null ? "required, is null"
                    : m.assignments().size() + " entries exceeds the limit of " + MachineMessage.MAX_LIST));
        }
        int[] assignments = new int[m.assignments().size()];
        for (int i = 0; i < assignments.length; i++) {
            MachineMessage.TaskAssignment a = m.assignments().get(i);
            String at = "TaskRecord.assignments[" + i + "]";
            assignments[i] = TaskAssignment.createTaskAssignment(b, a.replica(), v.peer(a.node(), at + ".node"),
                    a.generation(), v.string(a.state(), at + ".state"));
        }
        int assignmentVector = b.createVectorOfTables(assignments);
        return TaskRecord.createTaskRecord(b, v.string(m.taskId(), "TaskRecord.task_id"), m.generation(),
                v.peer(m.owner(), "TaskRecord.owner"), v.string(m.tenant(), "TaskRecord.tenant"),
                v.string(m.name(), "TaskRecord.name"), m.replicas(), m.cpuMillis(), m.memoryBytes(),
                v.bytes(m.manifestNonce(), MAX_NONCE_BYTES, "TaskRecord.manifest_nonce"),
                v.bytes(m.manifestCiphertext(), MAX_CIPHERTEXT_BYTES, "TaskRecord.manifest_ciphertext"),
                v.peers(m.holders(), "TaskRecord.holders"), m.threshold(), v.peers(m.guardians(), "TaskRecord.guardians"),
                assignmentVector, v.bytes(m.healToken(), MAX_TOKEN_BYTES, "TaskRecord.heal_token"),
                v.peer(m.sender(), "TaskRecord.sender"), m.atMillis());
    }

    private int delivery(MachineMessage.ManifestDelivery m) {
        return ManifestDelivery.createManifestDelivery(b, v.string(m.taskId(), "ManifestDelivery.task_id"),
                m.generation(), v.string(m.tenant(), "ManifestDelivery.tenant"),
                v.string(m.name(), "ManifestDelivery.name"),
                v.bytes(m.nonce(), MAX_NONCE_BYTES, "ManifestDelivery.nonce"),
                v.bytes(m.ciphertext(), MAX_CIPHERTEXT_BYTES, "ManifestDelivery.ciphertext"));
    }

    private int capability(MachineMessage.CapabilityGrant m) {
        return CapabilityGrant.createCapabilityGrant(b, v.string(m.taskId(), "CapabilityGrant.task_id"),
                m.generation(), v.bytes(m.token(), MAX_TOKEN_BYTES, "CapabilityGrant.token"));
    }
}

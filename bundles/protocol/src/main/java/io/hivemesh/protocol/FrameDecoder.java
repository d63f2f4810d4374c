package io.hivemesh.protocol;

import io.hivemesh.api.multiformats.MultiformatException;
import io.hivemesh.api.peer.PeerId;
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
import io.hivemesh.protocol.fb.Peer;
import io.hivemesh.protocol.fb.Port;
import io.hivemesh.protocol.fb.ReplicaRef;
import io.hivemesh.protocol.fb.ShareDeposit;
import io.hivemesh.protocol.fb.ShareGrant;
import io.hivemesh.protocol.fb.ShareRequest;
import io.hivemesh.protocol.fb.StatusReport;
import io.hivemesh.protocol.fb.TaskAssignment;
import io.hivemesh.protocol.fb.TaskRecord;
import io.hivemesh.protocol.fb.Tender;
import io.hivemesh.protocol.fb.Update;
import io.hivemesh.protocol.fb.WorkloadEvent;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.IntFunction;

/**
 * Maps a frame that {@link FrameVerifier} accepted to its record through the generated accessors,
 * applying the field rules the verifier does not (PeerIds, finite score). Structure, lengths,
 * UTF-8 and presence are already checked, so the accessors stay inside the buffer.
 */
final class FrameDecoder {
    private FrameDecoder() {
    }

    static MachineMessage decode(byte[] frame) {
        Frame f = Frame.getRootAsFrame(ByteBuffer.wrap(frame));
        byte type = f.messageType();
        return switch (type) {
            case Message.Tender -> {
                Tender t = (Tender) f.message(new Tender());
                yield new MachineMessage.Tender(t.tenderId(), t.taskId(), t.generation(),
                        peer(t.ownerAsByteBuffer(), "Tender.owner"), ints(t.replicasLength(), t::replicas),
                        t.cpuMillis(), t.memoryBytes(), peers(t.excludedLength(), t::excluded, "Tender.excluded"),
                        t.deadlineMillis());
            }
            case Message.Bid -> {
                Bid t = (Bid) f.message(new Bid());
                if (!Double.isFinite(t.score())) {
                    throw new MalformedMessageException("Bid.score: " + t.score() + " is not finite");
                }
                yield new MachineMessage.Bid(t.tenderId(), t.taskId(), t.generation(),
                        peer(t.bidderAsByteBuffer(), "Bid.bidder"), t.freeCpuMillis(), t.freeMemoryBytes(),
                        t.runningReplicas(), t.score() + 0.0); // -0.0 reads as 0.0, as the builder omits it
            }
            case Message.Award -> award((Award) f.message(new Award()));
            case Message.ShareDeposit -> {
                ShareDeposit t = (ShareDeposit) f.message(new ShareDeposit());
                yield new MachineMessage.ShareDeposit(t.taskId(), t.generation(),
                        peer(t.ownerAsByteBuffer(), "ShareDeposit.owner"), t.index(),
                        bytes(t.sealedShareAsByteBuffer(), "ShareDeposit.sealed_share"));
            }
            case Message.ShareRequest -> {
                ShareRequest t = (ShareRequest) f.message(new ShareRequest());
                yield new MachineMessage.ShareRequest(t.taskId(), t.generation(),
                        peer(t.requesterAsByteBuffer(), "ShareRequest.requester"),
                        bytes(t.tokenAsByteBuffer(), "ShareRequest.token"),
                        bytes(t.challengeAsByteBuffer(), "ShareRequest.challenge"),
                        bytes(t.signatureAsByteBuffer(), "ShareRequest.signature"));
            }
            case Message.ShareGrant -> {
                ShareGrant t = (ShareGrant) f.message(new ShareGrant());
                yield new MachineMessage.ShareGrant(t.taskId(), t.generation(),
                        peer(t.holderAsByteBuffer(), "ShareGrant.holder"),
                        bytes(t.challengeAsByteBuffer(), "ShareGrant.challenge"),
                        bytes(t.sealedShareAsByteBuffer(), "ShareGrant.sealed_share"), t.refusal());
            }
            case Message.ManifestDelivery -> delivery((ManifestDelivery) f.message(new ManifestDelivery()));
            case Message.CapabilityGrant -> capability((CapabilityGrant) f.message(new CapabilityGrant()));
            case Message.Deploy -> {
                Deploy t = (Deploy) f.message(new Deploy());
                yield new MachineMessage.Deploy(award(t.award()), delivery(t.delivery()), capability(t.capability()));
            }
            case Message.DeployResult -> {
                DeployResult t = (DeployResult) f.message(new DeployResult());
                yield new MachineMessage.DeployResult(t.taskId(), t.generation(), t.replica(),
                        peer(t.nodeAsByteBuffer(), "DeployResult.node"), t.accepted(), t.reason());
            }
            case Message.StatusReport -> {
                StatusReport t = (StatusReport) f.message(new StatusReport());
                yield new MachineMessage.StatusReport(t.taskId(), t.generation(), t.replica(),
                        peer(t.nodeAsByteBuffer(), "StatusReport.node"), t.state(), t.reason(),
                        list(t.portsLength(), t::ports, FrameDecoder::port), t.atMillis());
            }
            case Message.WorkloadEvent -> {
                WorkloadEvent t = (WorkloadEvent) f.message(new WorkloadEvent());
                yield new MachineMessage.WorkloadEvent(t.taskId(), t.generation(),
                        peer(t.nodeAsByteBuffer(), "WorkloadEvent.node"), t.kind(), t.message(), t.atMillis());
            }
            case Message.Delete -> {
                Delete t = (Delete) f.message(new Delete());
                yield new MachineMessage.Delete(t.taskId(), t.generation(), t.replica(),
                        peer(t.ownerAsByteBuffer(), "Delete.owner"), t.tombstone(), t.atMillis());
            }
            case Message.Update -> {
                Update t = (Update) f.message(new Update());
                yield new MachineMessage.Update(t.taskId(), t.generation(), t.replicas(),
                        peer(t.ownerAsByteBuffer(), "Update.owner"), t.atMillis());
            }
            case Message.Heartbeat -> {
                Heartbeat t = (Heartbeat) f.message(new Heartbeat());
                yield new MachineMessage.Heartbeat(peer(t.nodeAsByteBuffer(), "Heartbeat.node"), t.cpuMillis(),
                        t.memoryBytes(), t.freeCpuMillis(), t.freeMemoryBytes(),
                        list(t.replicasLength(), t::replicas, FrameDecoder::replicaRef), t.atMillis());
            }
            case Message.HeartbeatAck -> {
                HeartbeatAck t = (HeartbeatAck) f.message(new HeartbeatAck());
                yield new MachineMessage.HeartbeatAck(peer(t.ownerAsByteBuffer(), "HeartbeatAck.owner"),
                        list(t.staleLength(), t::stale, FrameDecoder::replicaRef));
            }
            case Message.NodeKeysRecord -> {
                NodeKeysRecord t = (NodeKeysRecord) f.message(new NodeKeysRecord());
                yield new MachineMessage.NodeKeysRecord(peer(t.nodeAsByteBuffer(), "NodeKeysRecord.node"),
                        bytes(t.kemPublicKeyAsByteBuffer(), "NodeKeysRecord.kem_public_key"),
                        bytes(t.mlDsaPublicKeyAsByteBuffer(), "NodeKeysRecord.ml_dsa_public_key"), t.sequence(),
                        t.createdMillis(), t.expiresMillis());
            }
            case Message.LogsRequest -> {
                LogsRequest t = (LogsRequest) f.message(new LogsRequest());
                yield new MachineMessage.LogsRequest(t.taskId(), t.replica(),
                        peer(t.ownerAsByteBuffer(), "LogsRequest.owner"), t.tail(), t.follow());
            }
            case Message.LogsChunk -> {
                LogsChunk t = (LogsChunk) f.message(new LogsChunk());
                yield new MachineMessage.LogsChunk(t.taskId(), t.replica(), peer(t.nodeAsByteBuffer(), "LogsChunk.node"),
                        list(t.linesLength(), t::lines, line -> line), t.refusal());
            }
            case Message.TaskRecord -> taskRecord((TaskRecord) f.message(new TaskRecord()));
            default -> throw new MalformedMessageException("Frame.message_type: unknown message kind "
                    + Byte.toUnsignedInt(type));
        };
    }

    private static MachineMessage.Award award(Award t) {
        return new MachineMessage.Award(t.taskId(), t.generation(), peer(t.ownerAsByteBuffer(), "Award.owner"),
                peer(t.nodeAsByteBuffer(), "Award.node"), t.replica(),
                peers(t.holdersLength(), t::holders, "Award.holders"), t.threshold(),
                peers(t.guardiansLength(), t::guardians, "Award.guardians"), t.issuedAtMillis(),
                peer(t.taskOwnerAsByteBuffer(), "Award.task_owner"));
    }

    private static MachineMessage.TaskRecord taskRecord(TaskRecord t) {
        List<MachineMessage.TaskAssignment> assignments = new ArrayList<>(t.assignmentsLength());
        for (int i = 0; i < t.assignmentsLength(); i++) {
            TaskAssignment a = t.assignments(i);
            assignments.add(new MachineMessage.TaskAssignment(a.replica(),
                    peer(a.nodeAsByteBuffer(), "TaskRecord.assignments[" + i + "].node"), a.generation(), a.state()));
        }
        return new MachineMessage.TaskRecord(t.taskId(), t.generation(), peer(t.ownerAsByteBuffer(), "TaskRecord.owner"),
                t.tenant(), t.name(), t.replicas(), t.cpuMillis(), t.memoryBytes(),
                bytes(t.manifestNonceAsByteBuffer(), "TaskRecord.manifest_nonce"),
                bytes(t.manifestCiphertextAsByteBuffer(), "TaskRecord.manifest_ciphertext"),
                peers(t.holdersLength(), t::holders, "TaskRecord.holders"), t.threshold(),
                peers(t.guardiansLength(), t::guardians, "TaskRecord.guardians"), assignments,
                bytes(t.healTokenAsByteBuffer(), "TaskRecord.heal_token"), peer(t.senderAsByteBuffer(), "TaskRecord.sender"),
                t.atMillis());
    }

    private static MachineMessage.ManifestDelivery delivery(ManifestDelivery t) {
        return new MachineMessage.ManifestDelivery(t.taskId(), t.generation(), t.tenant(), t.name(),
                bytes(t.nonceAsByteBuffer(), "ManifestDelivery.nonce"),
                bytes(t.ciphertextAsByteBuffer(), "ManifestDelivery.ciphertext"));
    }

    private static MachineMessage.CapabilityGrant capability(CapabilityGrant t) {
        return new MachineMessage.CapabilityGrant(t.taskId(), t.generation(),
                bytes(t.tokenAsByteBuffer(), "CapabilityGrant.token"));
    }

    private static MachineMessage.Port port(Port p) {
        return new MachineMessage.Port(p.container(), p.containerPort(), p.protocol(), p.hostIp(), p.hostPort());
    }

    private static MachineMessage.ReplicaRef replicaRef(ReplicaRef r) {
        return new MachineMessage.ReplicaRef(r.taskId(), r.generation(), r.replica());
    }

    private static byte[] bytes(ByteBuffer vector, String field) {
        if (vector == null) {
            throw new MalformedMessageException(field + ": missing");
        }
        byte[] bytes = new byte[vector.remaining()];
        vector.get(bytes);
        return bytes;
    }

    private static PeerId peer(ByteBuffer vector, String field) {
        try {
            return PeerId.fromBytes(bytes(vector, field));
        } catch (MultiformatException e) {
            throw new MalformedMessageException(field + ": not a PeerId: " + e.getMessage(), e);
        }
    }

    private static List<PeerId> peers(int length, IntFunction<Peer> entry, String field) {
        List<PeerId> peers = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            peers.add(peer(entry.apply(i).idAsByteBuffer(), field + "[" + i + "]"));
        }
        return peers;
    }

    private static List<Integer> ints(int length, IntFunction<Integer> entry) {
        return list(length, entry, value -> value);
    }

    private static <F, T> List<T> list(int length, IntFunction<F> entry, Function<F, T> map) {
        List<T> values = new ArrayList<>(length);
        for (int i = 0; i < length; i++) {
            values.add(map.apply(entry.apply(i)));
        }
        return values;
    }
}

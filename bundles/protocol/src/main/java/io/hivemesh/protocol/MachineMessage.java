package io.hivemesh.protocol;

import io.hivemesh.api.peer.PeerId;

import java.util.List;
import java.util.Objects;

/**
 * One machine-plane message. Each kind is a record; {@link MachineCodec} gives the FlatBuffers wire
 * form and {@link SignedMessages} the signed envelope every message travels in. {@link #author()}
 * is the peer that must have signed the envelope (the codec's callers check it).
 */
public sealed interface MachineMessage permits MachineMessage.Tender, MachineMessage.Bid, MachineMessage.Award,
        MachineMessage.ShareDeposit, MachineMessage.ShareRequest, MachineMessage.ShareGrant,
        MachineMessage.ManifestDelivery, MachineMessage.CapabilityGrant, MachineMessage.Deploy,
        MachineMessage.DeployResult, MachineMessage.StatusReport, MachineMessage.WorkloadEvent,
        MachineMessage.Delete, MachineMessage.Update, MachineMessage.Heartbeat, MachineMessage.HeartbeatAck,
        MachineMessage.NodeKeysRecord, MachineMessage.LogsRequest, MachineMessage.LogsChunk,
        MachineMessage.TaskRecord {

    /** Longest task id, tender id, name, tenant, reason or message string accepted (bytes of UTF-8). */
    int MAX_STRING = 1024;
    /** Most list entries (peers, replicas, ports) in one message. */
    int MAX_LIST = 1024;

    /** The peer whose signature the envelope must carry, or null when any signer may send it. */
    PeerId author();

    /** A replica of a task generation: what heartbeats list and acks name as stale. */
    record ReplicaRef(String taskId, long generation, int replica) {
        public ReplicaRef {
            Objects.requireNonNull(taskId, "taskId");
        }
    }

    /** A port a running replica publishes on its node. */
    record Port(String container, int containerPort, String protocol, String hostIp, int hostPort) {
        public Port {
            Objects.requireNonNull(container, "container");
            Objects.requireNonNull(protocol, "protocol");
            Objects.requireNonNull(hostIp, "hostIp");
        }
    }

    /**
     * Owner → every node (gossipsub): replicas {@code replicas} (indices) of task generation wanted,
     * each needing {@code cpuMillis} and {@code memoryBytes}; bids are accepted until
     * {@code deadlineMillis} (epoch ms). Never carries the manifest.
     */
    record Tender(String tenderId, String taskId, long generation, PeerId owner, List<Integer> replicas,
                  long cpuMillis, long memoryBytes, List<PeerId> excluded, long deadlineMillis)
            implements MachineMessage {
        public Tender {
            replicas = List.copyOf(replicas);
            excluded = List.copyOf(excluded);
        }

        @Override
        public PeerId author() {
            return owner;
        }
    }

    /** Bidder → owner: what it has free now (after its reservations) and its score (higher is better). */
    record Bid(String tenderId, String taskId, long generation, PeerId bidder, long freeCpuMillis,
               long freeMemoryBytes, int runningReplicas, double score) implements MachineMessage {
        @Override
        public PeerId author() {
            return bidder;
        }
    }

    /**
     * Owner → winner (inside {@link Deploy}): {@code node} runs replica {@code replica} of the task
     * generation; the manifest key is split {@code threshold}-of-{@code holders.size()} over
     * {@code holders}; {@code guardians} keep the task if the owner goes away. {@code owner} is the
     * node that tendered and awards (and signs); {@code taskOwner} is the task's owner, the same
     * node unless a guardian awards in its place (the replica is then still the task owner's).
     */
    record Award(String taskId, long generation, PeerId owner, PeerId node, int replica, List<PeerId> holders,
                 int threshold, List<PeerId> guardians, long issuedAtMillis, PeerId taskOwner)
            implements MachineMessage {
        public Award {
            holders = List.copyOf(holders);
            guardians = List.copyOf(guardians);
        }

        /** An award by the task's owner itself ({@code taskOwner} = {@code owner}). */
        public Award(String taskId, long generation, PeerId owner, PeerId node, int replica, List<PeerId> holders,
                     int threshold, List<PeerId> guardians, long issuedAtMillis) {
            this(taskId, generation, owner, node, replica, holders, threshold, guardians, issuedAtMillis, owner);
        }

        @Override
        public PeerId author() {
            return owner;
        }
    }

    /** Owner → share holder: share {@code index} of the manifest key, sealed to the holder's KEM key. */
    record ShareDeposit(String taskId, long generation, PeerId owner, int index, byte[] sealedShare)
            implements MachineMessage {
        public ShareDeposit {
            sealedShare = sealedShare.clone();
        }

        @Override
        public PeerId author() {
            return owner;
        }
    }

    /**
     * Awarded node → holder: first with empty {@code challenge} and {@code signature} (the holder
     * answers with a fresh challenge), then with the holder's challenge signed as presenter of the
     * owner-issued capability {@code token}.
     */
    record ShareRequest(String taskId, long generation, PeerId requester, byte[] token, byte[] challenge,
                        byte[] signature) implements MachineMessage {
        public ShareRequest {
            token = token.clone();
            challenge = challenge.clone();
            signature = signature.clone();
        }

        @Override
        public PeerId author() {
            return requester;
        }
    }

    /**
     * Holder → requester: a fresh {@code challenge} (first round), or the share sealed to the
     * requester's KEM key (second round), or a {@code refusal} naming why not (empty otherwise).
     */
    record ShareGrant(String taskId, long generation, PeerId holder, byte[] challenge, byte[] sealedShare,
                      String refusal) implements MachineMessage {
        public ShareGrant {
            challenge = challenge.clone();
            sealedShare = sealedShare.clone();
        }

        @Override
        public PeerId author() {
            return holder;
        }
    }

    /**
     * The manifest, encrypted once under the task generation's manifest key (AEAD; {@code nonce};
     * associated data: task id and generation), with the tenant and {@code metadata.name} it was
     * applied under.
     */
    record ManifestDelivery(String taskId, long generation, String tenant, String name, byte[] nonce,
                            byte[] ciphertext) implements MachineMessage {
        public ManifestDelivery {
            nonce = nonce.clone();
            ciphertext = ciphertext.clone();
        }

        @Override
        public PeerId author() {
            return null;
        }
    }

    /** Owner → winner: the capability token (owner-issued, bound to the winner and the task) for share collection. */
    record CapabilityGrant(String taskId, long generation, byte[] token) implements MachineMessage {
        public CapabilityGrant {
            token = token.clone();
        }

        @Override
        public PeerId author() {
            return null;
        }
    }

    /** Owner → winner: everything it needs to run its replica. Answered by a {@link DeployResult}. */
    record Deploy(Award award, ManifestDelivery delivery, CapabilityGrant capability) implements MachineMessage {
        public Deploy {
            Objects.requireNonNull(award, "award");
            Objects.requireNonNull(delivery, "delivery");
            Objects.requireNonNull(capability, "capability");
        }

        @Override
        public PeerId author() {
            return award.owner();
        }
    }

    /** Winner → owner: whether it took the award (it then deploys and reports status), else why not. */
    record DeployResult(String taskId, long generation, int replica, PeerId node, boolean accepted, String reason)
            implements MachineMessage {
        @Override
        public PeerId author() {
            return node;
        }
    }

    /** Replica node → owner (and guardians): the replica's state as the runtime reports it. */
    record StatusReport(String taskId, long generation, int replica, PeerId node, String state, String reason,
                        List<Port> ports, long atMillis) implements MachineMessage {
        public StatusReport {
            ports = List.copyOf(ports);
        }

        @Override
        public PeerId author() {
            return node;
        }
    }

    /** Any node → everyone (gossipsub events topic): something happened to a task, for describe/events. */
    record WorkloadEvent(String taskId, long generation, PeerId node, String kind, String message, long atMillis)
            implements MachineMessage {
        @Override
        public PeerId author() {
            return node;
        }
    }

    /**
     * Owner → replica nodes and holders: remove replica {@code replica} (-1: every replica) of every
     * generation up to {@code generation}; with {@code tombstone} the whole task is deleted and no
     * award at or below that generation may bring it back.
     */
    record Delete(String taskId, long generation, int replica, PeerId owner, boolean tombstone, long atMillis)
            implements MachineMessage {
        @Override
        public PeerId author() {
            return owner;
        }
    }

    /** Owner → holders and guardians: the task is now at {@code generation} with {@code replicas} replicas. */
    record Update(String taskId, long generation, int replicas, PeerId owner, long atMillis) implements MachineMessage {
        @Override
        public PeerId author() {
            return owner;
        }
    }

    /**
     * Node → everyone (gossipsub events topic) and → owners of its replicas (direct): its capacity,
     * what is free, and the replicas it runs.
     */
    record Heartbeat(PeerId node, long cpuMillis, long memoryBytes, long freeCpuMillis, long freeMemoryBytes,
                     List<ReplicaRef> replicas, long atMillis) implements MachineMessage {
        public Heartbeat {
            replicas = List.copyOf(replicas);
        }

        @Override
        public PeerId author() {
            return node;
        }
    }

    /** Owner → heartbeating node: which of its listed replicas are stale (older generation, deleted). */
    record HeartbeatAck(PeerId owner, List<ReplicaRef> stale) implements MachineMessage {
        public HeartbeatAck {
            stale = List.copyOf(stale);
        }

        @Override
        public PeerId author() {
            return owner;
        }
    }

    /**
     * A node's public keys as published in the DHT: KEM public key (X25519 + ML-KEM-768, as the
     * crypto bundle's sealer encodes it) and ML-DSA-65 public key (empty if none); {@code sequence}
     * grows with every rotation.
     */
    record NodeKeysRecord(PeerId node, byte[] kemPublicKey, byte[] mlDsaPublicKey, long sequence,
                          long createdMillis, long expiresMillis) implements MachineMessage {
        public NodeKeysRecord {
            kemPublicKey = kemPublicKey.clone();
            mlDsaPublicKey = mlDsaPublicKey.clone();
        }

        @Override
        public PeerId author() {
            return node;
        }
    }

    /**
     * Owner → replica node: the last {@code tail} log lines of the replica (owner only); with
     * {@code follow}, further lines as they come, as more {@link LogsChunk}s on the same stream.
     */
    record LogsRequest(String taskId, int replica, PeerId owner, int tail, boolean follow) implements MachineMessage {
        @Override
        public PeerId author() {
            return owner;
        }
    }

    /** Replica node → owner: log lines (or a refusal naming why). */
    record LogsChunk(String taskId, int replica, PeerId node, List<String> lines, String refusal)
            implements MachineMessage {
        public LogsChunk {
            lines = List.copyOf(lines);
        }

        @Override
        public PeerId author() {
            return node;
        }
    }

    /** One replica of a task as a {@link TaskRecord} lists it: on {@code node}, last reported {@code state}. */
    record TaskAssignment(int replica, PeerId node, long generation, String state) {
        public TaskAssignment {
            Objects.requireNonNull(node, "node");
            Objects.requireNonNull(state, "state");
        }
    }

    /**
     * The task record a guardian keeps so that the task outlives its owner: what the owner knows of
     * the task generation (the encrypted manifest, never its key; the share holders; the
     * assignments) and, from the owner to each guardian, {@code healToken}: a capability issued by
     * {@code owner} to that guardian for {@code task:<id>/<generation>} (actions {@code share:get}
     * and {@code heal}) from which it delegates share capabilities to the nodes it awards. Sent by
     * the owner to its guardians ({@code sender} = {@code owner}), and by a guardian that healed
     * the task to the owner (hand-back) and to the other guardians ({@code sender} = that guardian,
     * {@code healToken} empty). {@code sender} signs.
     */
    record TaskRecord(String taskId, long generation, PeerId owner, String tenant, String name, int replicas,
                      long cpuMillis, long memoryBytes, byte[] manifestNonce, byte[] manifestCiphertext,
                      List<PeerId> holders, int threshold, List<PeerId> guardians, List<TaskAssignment> assignments,
                      byte[] healToken, PeerId sender, long atMillis) implements MachineMessage {
        public TaskRecord {
            manifestNonce = manifestNonce.clone();
            manifestCiphertext = manifestCiphertext.clone();
            holders = List.copyOf(holders);
            guardians = List.copyOf(guardians);
            assignments = List.copyOf(assignments);
            healToken = healToken.clone();
        }

        @Override
        public byte[] manifestNonce() {
            return manifestNonce.clone();
        }

        @Override
        public byte[] manifestCiphertext() {
            return manifestCiphertext.clone();
        }

        @Override
        public byte[] healToken() {
            return healToken.clone();
        }

        @Override
        public PeerId author() {
            return sender;
        }
    }
}

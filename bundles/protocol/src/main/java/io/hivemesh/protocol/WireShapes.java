package io.hivemesh.protocol;

import static io.hivemesh.protocol.MachineCodec.MAX_CHALLENGE_BYTES;
import static io.hivemesh.protocol.MachineCodec.MAX_CIPHERTEXT_BYTES;
import static io.hivemesh.protocol.MachineCodec.MAX_KEY_BYTES;
import static io.hivemesh.protocol.MachineCodec.MAX_NONCE_BYTES;
import static io.hivemesh.protocol.MachineCodec.MAX_PEER_ID_BYTES;
import static io.hivemesh.protocol.MachineCodec.MAX_SEALED_SHARE_BYTES;
import static io.hivemesh.protocol.MachineCodec.MAX_SIGNATURE_BYTES;
import static io.hivemesh.protocol.MachineCodec.MAX_TOKEN_BYTES;
import static io.hivemesh.protocol.MachineMessage.MAX_LIST;
import static io.hivemesh.protocol.MachineMessage.MAX_STRING;
import static io.hivemesh.protocol.TableShape.Kind.BOOL;
import static io.hivemesh.protocol.TableShape.Kind.DOUBLE;
import static io.hivemesh.protocol.TableShape.Kind.INT;
import static io.hivemesh.protocol.TableShape.Kind.LONG;

import java.util.List;

/**
 * The verifier's copy of {@code machine.fbs}: one {@link TableShape} per table, fields in slot
 * order, with the limits of {@link MachineCodec} and {@link MachineMessage}. Must change with the
 * schema ({@code ShapesMatchSchemaTest} fails otherwise).
 */
final class WireShapes {
    static final TableShape PEER = new TableShape("Peer").bytes("id", MAX_PEER_ID_BYTES);

    static final TableShape REPLICA_REF = new TableShape("ReplicaRef")
            .string("task_id", MAX_STRING).scalar("generation", LONG).scalar("replica", INT);

    static final TableShape PORT = new TableShape("Port")
            .string("container", MAX_STRING).scalar("container_port", INT).string("protocol", MAX_STRING)
            .string("host_ip", MAX_STRING).scalar("host_port", INT);

    static final TableShape TENDER = new TableShape("Tender")
            .string("tender_id", MAX_STRING).string("task_id", MAX_STRING).scalar("generation", LONG)
            .bytes("owner", MAX_PEER_ID_BYTES).ints("replicas", MAX_LIST).scalar("cpu_millis", LONG)
            .scalar("memory_bytes", LONG).tables("excluded", PEER, MAX_LIST).scalar("deadline_millis", LONG);

    static final TableShape BID = new TableShape("Bid")
            .string("tender_id", MAX_STRING).string("task_id", MAX_STRING).scalar("generation", LONG)
            .bytes("bidder", MAX_PEER_ID_BYTES).scalar("free_cpu_millis", LONG).scalar("free_memory_bytes", LONG)
            .scalar("running_replicas", INT).scalar("score", DOUBLE);

    static final TableShape AWARD = new TableShape("Award")
            .string("task_id", MAX_STRING).scalar("generation", LONG).bytes("owner", MAX_PEER_ID_BYTES)
            .bytes("node", MAX_PEER_ID_BYTES).scalar("replica", INT).tables("holders", PEER, MAX_LIST)
            .scalar("threshold", INT).tables("guardians", PEER, MAX_LIST).scalar("issued_at_millis", LONG)
            .bytes("task_owner", MAX_PEER_ID_BYTES);

    static final TableShape SHARE_DEPOSIT = new TableShape("ShareDeposit")
            .string("task_id", MAX_STRING).scalar("generation", LONG).bytes("owner", MAX_PEER_ID_BYTES)
            .scalar("index", INT).bytes("sealed_share", MAX_SEALED_SHARE_BYTES);

    static final TableShape SHARE_REQUEST = new TableShape("ShareRequest")
            .string("task_id", MAX_STRING).scalar("generation", LONG).bytes("requester", MAX_PEER_ID_BYTES)
            .bytes("token", MAX_TOKEN_BYTES).bytes("challenge", MAX_CHALLENGE_BYTES)
            .bytes("signature", MAX_SIGNATURE_BYTES);

    static final TableShape SHARE_GRANT = new TableShape("ShareGrant")
            .string("task_id", MAX_STRING).scalar("generation", LONG).bytes("holder", MAX_PEER_ID_BYTES)
            .bytes("challenge", MAX_CHALLENGE_BYTES).bytes("sealed_share", MAX_SEALED_SHARE_BYTES)
            .text("refusal", MAX_STRING);

    static final TableShape MANIFEST_DELIVERY = new TableShape("ManifestDelivery")
            .string("task_id", MAX_STRING).scalar("generation", LONG).string("tenant", MAX_STRING)
            .string("name", MAX_STRING).bytes("nonce", MAX_NONCE_BYTES).bytes("ciphertext", MAX_CIPHERTEXT_BYTES);

    static final TableShape CAPABILITY_GRANT = new TableShape("CapabilityGrant")
            .string("task_id", MAX_STRING).scalar("generation", LONG).bytes("token", MAX_TOKEN_BYTES);

    static final TableShape DEPLOY = new TableShape("Deploy")
            .table("award", AWARD).table("delivery", MANIFEST_DELIVERY).table("capability", CAPABILITY_GRANT);

    static final TableShape DEPLOY_RESULT = new TableShape("DeployResult")
            .string("task_id", MAX_STRING).scalar("generation", LONG).scalar("replica", INT)
            .bytes("node", MAX_PEER_ID_BYTES).scalar("accepted", BOOL).text("reason", MAX_STRING);

    static final TableShape STATUS_REPORT = new TableShape("StatusReport")
            .string("task_id", MAX_STRING).scalar("generation", LONG).scalar("replica", INT)
            .bytes("node", MAX_PEER_ID_BYTES).string("state", MAX_STRING).text("reason", MAX_STRING)
            .tables("ports", PORT, MAX_LIST).scalar("at_millis", LONG);

    static final TableShape WORKLOAD_EVENT = new TableShape("WorkloadEvent")
            .string("task_id", MAX_STRING).scalar("generation", LONG).bytes("node", MAX_PEER_ID_BYTES)
            .string("kind", MAX_STRING).text("message", MAX_STRING).scalar("at_millis", LONG);

    static final TableShape DELETE = new TableShape("Delete")
            .string("task_id", MAX_STRING).scalar("generation", LONG).scalar("replica", INT)
            .bytes("owner", MAX_PEER_ID_BYTES).scalar("tombstone", BOOL).scalar("at_millis", LONG);

    static final TableShape UPDATE = new TableShape("Update")
            .string("task_id", MAX_STRING).scalar("generation", LONG).scalar("replicas", INT)
            .bytes("owner", MAX_PEER_ID_BYTES).scalar("at_millis", LONG);

    static final TableShape HEARTBEAT = new TableShape("Heartbeat")
            .bytes("node", MAX_PEER_ID_BYTES).scalar("cpu_millis", LONG).scalar("memory_bytes", LONG)
            .scalar("free_cpu_millis", LONG).scalar("free_memory_bytes", LONG)
            .tables("replicas", REPLICA_REF, MAX_LIST).scalar("at_millis", LONG);

    static final TableShape HEARTBEAT_ACK = new TableShape("HeartbeatAck")
            .bytes("owner", MAX_PEER_ID_BYTES).tables("stale", REPLICA_REF, MAX_LIST);

    static final TableShape NODE_KEYS_RECORD = new TableShape("NodeKeysRecord")
            .bytes("node", MAX_PEER_ID_BYTES).bytes("kem_public_key", MAX_KEY_BYTES)
            .bytes("ml_dsa_public_key", MAX_KEY_BYTES).scalar("sequence", LONG).scalar("created_millis", LONG)
            .scalar("expires_millis", LONG);

    static final TableShape LOGS_REQUEST = new TableShape("LogsRequest")
            .string("task_id", MAX_STRING).scalar("replica", INT).bytes("owner", MAX_PEER_ID_BYTES)
            .scalar("tail", INT).scalar("follow", BOOL);

    static final TableShape LOGS_CHUNK = new TableShape("LogsChunk")
            .string("task_id", MAX_STRING).scalar("replica", INT).bytes("node", MAX_PEER_ID_BYTES)
            .strings("lines", MAX_LIST, MAX_STRING).text("refusal", MAX_STRING);

    static final TableShape TASK_ASSIGNMENT = new TableShape("TaskAssignment")
            .scalar("replica", INT).bytes("node", MAX_PEER_ID_BYTES).scalar("generation", LONG)
            .string("state", MAX_STRING);

    static final TableShape TASK_RECORD = new TableShape("TaskRecord")
            .string("task_id", MAX_STRING).scalar("generation", LONG).bytes("owner", MAX_PEER_ID_BYTES)
            .string("tenant", MAX_STRING).string("name", MAX_STRING).scalar("replicas", INT)
            .scalar("cpu_millis", LONG).scalar("memory_bytes", LONG).bytes("manifest_nonce", MAX_NONCE_BYTES)
            .bytes("manifest_ciphertext", MAX_CIPHERTEXT_BYTES).tables("holders", PEER, MAX_LIST)
            .scalar("threshold", INT).tables("guardians", PEER, MAX_LIST)
            .tables("assignments", TASK_ASSIGNMENT, MAX_LIST).bytes("heal_token", MAX_TOKEN_BYTES)
            .bytes("sender", MAX_PEER_ID_BYTES).scalar("at_millis", LONG);

    /** The members of union {@code Message}, index = tag - 1 (the order of the schema's union). */
    static final List<TableShape> MESSAGE = List.of(TENDER, BID, AWARD, SHARE_DEPOSIT, SHARE_REQUEST,
            SHARE_GRANT, MANIFEST_DELIVERY, CAPABILITY_GRANT, DEPLOY, DEPLOY_RESULT, STATUS_REPORT,
            WORKLOAD_EVENT, DELETE, UPDATE, HEARTBEAT, HEARTBEAT_ACK, NODE_KEYS_RECORD, LOGS_REQUEST, LOGS_CHUNK,
            TASK_RECORD);

    static final TableShape FRAME = new TableShape("Frame").union("message", MESSAGE);

    /** Every table, for the schema check. */
    static final List<TableShape> ALL = List.of(PEER, REPLICA_REF, PORT, TENDER, BID, AWARD, SHARE_DEPOSIT,
            SHARE_REQUEST, SHARE_GRANT, MANIFEST_DELIVERY, CAPABILITY_GRANT, DEPLOY, DEPLOY_RESULT,
            STATUS_REPORT, WORKLOAD_EVENT, DELETE, UPDATE, HEARTBEAT, HEARTBEAT_ACK, NODE_KEYS_RECORD,
            LOGS_REQUEST, LOGS_CHUNK, TASK_ASSIGNMENT, TASK_RECORD, FRAME);

    private WireShapes() {
    }
}

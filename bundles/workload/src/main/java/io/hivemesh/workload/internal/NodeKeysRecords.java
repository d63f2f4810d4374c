package io.hivemesh.workload.internal;

import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.multiformats.MultiformatException;
import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.api.routing.InvalidRecordException;
import io.hivemesh.protocol.MachineCodec;
import io.hivemesh.protocol.MachineMessage.NodeKeysRecord;
import io.hivemesh.protocol.MalformedMessageException;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * The DHT form of a {@link NodeKeysRecord}: key {@code /hmkeys/} ‖ the node's PeerId bytes; value
 * {@code u16 big-endian frame length ‖ frame ‖ signature}, where the frame is
 * {@link MachineCodec#encode} of the record and the signature is the node's Ed25519 identity
 * signature ({@link NodeIdentity#sign}) over {@code "hivemesh-node-keys:" ‖ frame}. Not a signed
 * envelope: a record is verified by many nodes, many times, which an envelope's replay guard would
 * refuse. Only Ed25519 PeerIds (which carry their key) can publish. Time checks are the validator's.
 */
public final class NodeKeysRecords {
    /** The DHT namespace: the key's first path segment, without slashes. */
    public static final String NAMESPACE = "hmkeys";
    /** Longest record frame (the u16 length prefix). */
    public static final int MAX_FRAME_BYTES = 0xFFFF;
    /** Longest value: prefix, frame, signature. */
    public static final int MAX_VALUE_BYTES = 2 + MAX_FRAME_BYTES + Ed25519Verifier.SIGNATURE_BYTES;

    private static final byte[] KEY_PREFIX = ("/" + NAMESPACE + "/").getBytes(StandardCharsets.US_ASCII);
    private static final byte[] DOMAIN = "hivemesh-node-keys:".getBytes(StandardCharsets.UTF_8);

    private NodeKeysRecords() {
    }

    /** The DHT key of {@code node}'s record. */
    public static byte[] key(PeerId node) {
        byte[] id = node.toBytes();
        byte[] key = Arrays.copyOf(KEY_PREFIX, KEY_PREFIX.length + id.length);
        System.arraycopy(id, 0, key, KEY_PREFIX.length, id.length);
        return key;
    }

    /**
     * The node a record key names.
     *
     * @throws InvalidRecordException if the key is not {@code /hmkeys/<peer id bytes>}
     */
    public static PeerId node(byte[] key) {
        if (key.length <= KEY_PREFIX.length || !Arrays.equals(key, 0, KEY_PREFIX.length, KEY_PREFIX, 0, KEY_PREFIX.length)) {
            throw new InvalidRecordException(NAMESPACE + " record key must be /" + NAMESPACE + "/<peer id bytes>");
        }
        try {
            return PeerId.fromBytes(Arrays.copyOfRange(key, KEY_PREFIX.length, key.length));
        } catch (MultiformatException | IllegalArgumentException e) {
            throw new InvalidRecordException(NAMESPACE + " record key does not hold a peer id: " + e.getMessage());
        }
    }

    /**
     * The signed value of {@code record}.
     *
     * @throws IllegalArgumentException if {@code identity} is not the record's node or the frame is too long
     */
    public static byte[] sign(NodeKeysRecord record, NodeIdentity identity) {
        if (!identity.peerId().equals(record.node())) {
            throw new IllegalArgumentException("a key record of " + record.node() + " cannot be signed by " + identity.peerId());
        }
        byte[] frame = MachineCodec.encode(record);
        if (frame.length > MAX_FRAME_BYTES) {
            throw new IllegalArgumentException("key record frame of " + frame.length + " bytes exceeds " + MAX_FRAME_BYTES);
        }
        byte[] signature = identity.sign(signed(frame));
        if (signature.length != Ed25519Verifier.SIGNATURE_BYTES) {
            throw new IllegalArgumentException("identity signature of " + signature.length + " bytes, expected "
                    + Ed25519Verifier.SIGNATURE_BYTES + " (Ed25519)");
        }
        byte[] value = new byte[2 + frame.length + signature.length];
        value[0] = (byte) (frame.length >>> 8);
        value[1] = (byte) frame.length;
        System.arraycopy(frame, 0, value, 2, frame.length);
        System.arraycopy(signature, 0, value, 2 + frame.length, signature.length);
        return value;
    }

    /**
     * Checks the value's layout, decodes the record, checks that {@code key} names its node and that
     * the node's identity key signed it. Does not look at the record's times.
     *
     * @throws InvalidRecordException naming the failed check
     */
    public static NodeKeysRecord open(byte[] key, byte[] value) {
        PeerId named = node(key);
        NodeKeysRecord record = decode(value);
        if (!record.node().equals(named)) {
            throw new InvalidRecordException(NAMESPACE + " record of " + record.node() + " stored under the key of " + named);
        }
        Optional<PublicKey> pub = named.publicKey();
        if (pub.isEmpty() || pub.get().type() != KeyType.ED25519) {
            throw new InvalidRecordException(NAMESPACE + " record of " + named
                    + ": only Ed25519 peer ids (which carry their public key) can publish node keys");
        }
        int frameLength = frameLength(value);
        byte[] frame = Arrays.copyOfRange(value, 2, 2 + frameLength);
        byte[] signature = Arrays.copyOfRange(value, 2 + frameLength, value.length);
        if (!Ed25519Verifier.verify(pub.get(), signed(frame), signature)) {
            throw new InvalidRecordException(NAMESPACE + " record of " + named + ": signature does not verify with its identity key");
        }
        return record;
    }

    /**
     * The record in a value, without checking key or signature (for ranking values already validated).
     *
     * @throws InvalidRecordException if the layout or the frame is malformed
     */
    static NodeKeysRecord decode(byte[] value) {
        int frameLength = frameLength(value);
        byte[] frame = Arrays.copyOfRange(value, 2, 2 + frameLength);
        NodeKeysRecord record;
        try {
            record = MachineCodec.decode(frame, NodeKeysRecord.class);
        } catch (MalformedMessageException e) {
            throw new InvalidRecordException(NAMESPACE + " record frame is malformed: " + e.getMessage());
        }
        if (record.kemPublicKey().length == 0) {
            throw new InvalidRecordException(NAMESPACE + " record of " + record.node() + " has no KEM public key");
        }
        return record;
    }

    private static int frameLength(byte[] value) {
        if (value.length > MAX_VALUE_BYTES) {
            throw new InvalidRecordException(NAMESPACE + " record value of " + value.length + " bytes exceeds " + MAX_VALUE_BYTES);
        }
        if (value.length < 2 + Ed25519Verifier.SIGNATURE_BYTES) {
            throw new InvalidRecordException(NAMESPACE + " record value of " + value.length + " bytes is too short");
        }
        int frameLength = ((value[0] & 0xFF) << 8) | (value[1] & 0xFF);
        if (value.length != 2 + frameLength + Ed25519Verifier.SIGNATURE_BYTES) {
            throw new InvalidRecordException(NAMESPACE + " record value of " + value.length + " bytes does not match its frame length "
                    + frameLength + " plus a " + Ed25519Verifier.SIGNATURE_BYTES + "-byte signature");
        }
        return frameLength;
    }

    private static byte[] signed(byte[] frame) {
        byte[] message = Arrays.copyOf(DOMAIN, DOMAIN.length + frame.length);
        System.arraycopy(frame, 0, message, DOMAIN.length, frame.length);
        return message;
    }
}

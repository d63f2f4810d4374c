package io.hivemesh.workload.internal;

import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.protocol.MachineCodec;
import io.hivemesh.protocol.MachineMessage.NodeKeysRecord;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/** Builds node key records and their DHT values for tests, including ones signed by the wrong key. */
final class KeyRecordsForTests {
    private KeyRecordsForTests() {
    }

    static NodeKeysRecord record(PeerId node, byte[] kem, long sequence, long created, long expires) {
        return new NodeKeysRecord(node, kem, new byte[0], sequence, created, expires);
    }

    /** The value layout of {@link NodeKeysRecords} with the signature made by {@code signer}, whoever the record names. */
    static byte[] signedBy(NodeKeysRecord record, NodeIdentity signer) {
        byte[] frame = MachineCodec.encode(record);
        byte[] domain = "hivemesh-node-keys:".getBytes(StandardCharsets.UTF_8);
        byte[] message = Arrays.copyOf(domain, domain.length + frame.length);
        System.arraycopy(frame, 0, message, domain.length, frame.length);
        byte[] sig = signer.sign(message);
        byte[] value = new byte[2 + frame.length + sig.length];
        value[0] = (byte) (frame.length >>> 8);
        value[1] = (byte) frame.length;
        System.arraycopy(frame, 0, value, 2, frame.length);
        System.arraycopy(sig, 0, value, 2 + frame.length, sig.length);
        return value;
    }
}

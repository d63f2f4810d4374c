package io.hivemesh.protocol;

import static io.hivemesh.protocol.MachineMessage.MAX_LIST;
import static io.hivemesh.protocol.MachineMessage.MAX_STRING;

import com.google.flatbuffers.FlatBufferBuilder;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.protocol.fb.Peer;
import io.hivemesh.protocol.fb.Port;
import io.hivemesh.protocol.fb.ReplicaRef;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The encoder's field writers: each checks the value as the decoder will (required, length,
 * Unicode) and writes it into the builder, returning its offset. Failures are
 * {@link IllegalArgumentException}s naming the field ({@code Table.field}).
 */
final class WireValues {
    private final FlatBufferBuilder b;

    WireValues(FlatBufferBuilder b) {
        this.b = b;
    }

    /** A required string. */
    int string(String value, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + ": required, is null");
        }
        return text(value, field);
    }

    /** An optional string: null is written as absent (offset 0). */
    int text(String value, String field) {
        if (value == null) {
            return 0;
        }
        ByteBuffer utf8;
        try {
            utf8 = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(value));
        } catch (CharacterCodingException e) {
            throw new IllegalArgumentException(field + ": not valid Unicode (unpaired surrogate)", e);
        }
        if (utf8.remaining() > MAX_STRING) {
            throw new IllegalArgumentException(field + ": " + utf8.remaining() + " bytes of UTF-8 exceeds the limit of "
                    + MAX_STRING);
        }
        return b.createString(utf8);
    }

    int bytes(byte[] value, int max, String field) {
        if (value == null) {
            throw new IllegalArgumentException(field + ": required, is null");
        }
        if (value.length > max) {
            throw new IllegalArgumentException(field + ": " + value.length + " bytes exceeds the limit of " + max);
        }
        return b.createByteVector(value);
    }

    int peer(PeerId peer, String field) {
        if (peer == null) {
            throw new IllegalArgumentException(field + ": required, is null");
        }
        return bytes(peer.toBytes(), MachineCodec.MAX_PEER_ID_BYTES, field);
    }

    int peers(List<PeerId> peers, String field) {
        checkList(peers, field);
        int[] offsets = new int[peers.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = Peer.createPeer(b, peer(peers.get(i), field + "[" + i + "]"));
        }
        return b.createVectorOfTables(offsets);
    }

    int ints(List<Integer> values, String field) {
        checkList(values, field);
        b.startVector(4, values.size(), 4);
        for (int i = values.size() - 1; i >= 0; i--) {
            b.addInt(values.get(i));
        }
        return b.endVector();
    }

    int strings(List<String> values, String field) {
        checkList(values, field);
        int[] offsets = new int[values.size()];
        for (int i = 0; i < offsets.length; i++) {
            offsets[i] = string(values.get(i), field + "[" + i + "]");
        }
        return b.createVectorOfTables(offsets);
    }

    int ports(List<MachineMessage.Port> ports, String field) {
        checkList(ports, field);
        int[] offsets = new int[ports.size()];
        for (int i = 0; i < offsets.length; i++) {
            MachineMessage.Port p = ports.get(i);
            String at = field + "[" + i + "]";
            offsets[i] = Port.createPort(b, string(p.container(), at + ".container"), p.containerPort(),
                    string(p.protocol(), at + ".protocol"), string(p.hostIp(), at + ".host_ip"), p.hostPort());
        }
        return b.createVectorOfTables(offsets);
    }

    int replicaRefs(List<MachineMessage.ReplicaRef> refs, String field) {
        checkList(refs, field);
        int[] offsets = new int[refs.size()];
        for (int i = 0; i < offsets.length; i++) {
            MachineMessage.ReplicaRef r = refs.get(i);
            offsets[i] = ReplicaRef.createReplicaRef(b, string(r.taskId(), field + "[" + i + "].task_id"),
                    r.generation(), r.replica());
        }
        return b.createVectorOfTables(offsets);
    }

    private static void checkList(List<?> list, String field) {
        if (list == null) {
            throw new IllegalArgumentException(field + ": required, is null");
        }
        if (list.size() > MAX_LIST) {
            throw new IllegalArgumentException(field + ": " + list.size() + " entries exceeds the limit of " + MAX_LIST);
        }
    }
}

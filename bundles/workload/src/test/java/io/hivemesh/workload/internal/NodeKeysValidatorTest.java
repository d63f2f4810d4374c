package io.hivemesh.workload.internal;

import io.hivemesh.api.crypto.NodeIdentity;
import io.hivemesh.api.routing.InvalidRecordException;
import io.hivemesh.crypto.internal.Standalone;
import io.hivemesh.protocol.MachineMessage.NodeKeysRecord;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeKeysValidatorTest {
    private static final long NOW = Instant.parse("2025-01-01T00:00:00Z").toEpochMilli();
    private static final long DAY = Duration.ofDays(1).toMillis();

    private final MutableClockForTests clock = new MutableClockForTests(Instant.ofEpochMilli(NOW));
    private final NodeKeysValidator validator = new NodeKeysValidator(clock);
    private final NodeIdentity node = Standalone.identity();
    private final NodeIdentity other = Standalone.identity();
    private final byte[] kem = Standalone.sealer().kemPublicKey();
    private final byte[] key = NodeKeysRecords.key(node.peerId());

    private NodeKeysRecord fresh(long sequence) {
        return KeyRecordsForTests.record(node.peerId(), kem, sequence, NOW, NOW + DAY);
    }

    @Test
    void keyIsTheNamespaceThenThePeerIdBytes() {
        assertEquals("hmkeys", NodeKeysRecords.NAMESPACE);
        byte[] prefix = "/hmkeys/".getBytes(StandardCharsets.US_ASCII);
        assertArrayEquals(prefix, Arrays.copyOf(key, prefix.length));
        assertArrayEquals(node.peerId().toBytes(), Arrays.copyOfRange(key, prefix.length, key.length));
        assertEquals(node.peerId(), NodeKeysRecords.node(key));
    }

    @Test
    void acceptsARecordSignedByItsNode() {
        NodeKeysRecord r = fresh(NOW);
        NodeKeysRecord back = validator.check(key, NodeKeysRecords.sign(r, node));
        assertEquals(node.peerId(), back.node());
        assertArrayEquals(kem, back.kemPublicKey());
        assertEquals(NOW, back.sequence());
        assertEquals(NOW + DAY, back.expiresMillis());
    }

    @Test
    void refusesARecordSignedByAnotherIdentity() {
        byte[] forged = KeyRecordsForTests.signedBy(fresh(NOW), other);
        var e = assertThrows(InvalidRecordException.class, () -> validator.validate(key, forged));
        assertTrue(e.getMessage().contains("signature does not verify"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NodeKeysRecords.sign(fresh(NOW), other));
    }

    @Test
    void refusesARecordUnderAnotherNodesKey() {
        byte[] value = NodeKeysRecords.sign(fresh(NOW), node);
        var e = assertThrows(InvalidRecordException.class,
                () -> validator.validate(NodeKeysRecords.key(other.peerId()), value));
        assertTrue(e.getMessage().contains("stored under the key of " + other.peerId()), e.getMessage());
    }

    @Test
    void refusesAnotherNodesRecordSignedByThatNodeUnderThisKey() {
        NodeKeysRecord theirs = KeyRecordsForTests.record(other.peerId(), kem, NOW, NOW, NOW + DAY);
        byte[] value = NodeKeysRecords.sign(theirs, other);
        assertThrows(InvalidRecordException.class, () -> validator.validate(key, value));
    }

    @Test
    void refusesExpiredAndOverlongAndFutureRecords() {
        byte[] value = NodeKeysRecords.sign(fresh(NOW), node);
        validator.validate(key, value);
        clock.advance(Duration.ofDays(1));
        var e = assertThrows(InvalidRecordException.class, () -> validator.validate(key, value));
        assertTrue(e.getMessage().contains("expired"), e.getMessage());

        long now = clock.millis();
        byte[] overlong = NodeKeysRecords.sign(KeyRecordsForTests.record(node.peerId(), kem, now, now, now + 8 * DAY), node);
        assertTrue(assertThrows(InvalidRecordException.class, () -> validator.validate(key, overlong))
                .getMessage().contains("longer than 7 days"));
        long future = now + Duration.ofHours(1).toMillis();
        byte[] ahead = NodeKeysRecords.sign(KeyRecordsForTests.record(node.peerId(), kem, future, future, future + DAY), node);
        assertTrue(assertThrows(InvalidRecordException.class, () -> validator.validate(key, ahead))
                .getMessage().contains("in the future"));
        byte[] backwards = NodeKeysRecords.sign(KeyRecordsForTests.record(node.peerId(), kem, now, now + 10, now + 5), node);
        assertThrows(InvalidRecordException.class, () -> validator.validate(key, backwards));
    }

    @Test
    void refusesTamperedBytes() {
        byte[] value = NodeKeysRecords.sign(fresh(NOW), node);
        for (int i = 0; i < value.length; i++) {
            byte[] tampered = value.clone();
            tampered[i] ^= 0x01;
            int at = i;
            assertThrows(InvalidRecordException.class, () -> validator.validate(key, tampered), "byte " + at + " flipped");
        }
        assertThrows(InvalidRecordException.class, () -> validator.validate(key, Arrays.copyOf(value, value.length - 1)));
        assertThrows(InvalidRecordException.class, () -> validator.validate(key, Arrays.copyOf(value, value.length + 1)));
        assertThrows(InvalidRecordException.class, () -> validator.validate(key, new byte[0]));
        assertThrows(InvalidRecordException.class, () -> validator.validate(key, new byte[NodeKeysRecords.MAX_VALUE_BYTES + 1]));
        var e = assertThrows(InvalidRecordException.class, () -> validator.validate("/pk/x".getBytes(StandardCharsets.UTF_8), value));
        assertTrue(e.getMessage().contains("/hmkeys/<peer id bytes>"), e.getMessage());
    }

    @Test
    void refusesARecordWithoutKemKey() {
        byte[] value = NodeKeysRecords.sign(KeyRecordsForTests.record(node.peerId(), new byte[0], NOW, NOW, NOW + DAY), node);
        assertTrue(assertThrows(InvalidRecordException.class, () -> validator.validate(key, value))
                .getMessage().contains("no KEM public key"));
    }

    @Test
    void selectsTheHighestSequenceThenTheLatestCreated() {
        byte[] low = NodeKeysRecords.sign(fresh(NOW), node);
        byte[] high = NodeKeysRecords.sign(fresh(NOW + 5), node);
        byte[] highLater = NodeKeysRecords.sign(KeyRecordsForTests.record(node.peerId(), kem, NOW + 5, NOW + 1, NOW + DAY), node);
        assertEquals(1, validator.select(key, List.of(low, high)));
        assertEquals(0, validator.select(key, List.of(high, low)));
        assertEquals(2, validator.select(key, List.of(low, high, highLater)));
        assertEquals(0, validator.select(key, List.of(low)));
    }
}

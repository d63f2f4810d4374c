package io.hivemesh.dht.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.api.routing.InvalidRecordException;
import io.hivemesh.api.routing.RecordValidator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class ValidatorsTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static byte[] pkKey(PeerId p) {
        byte[] mh = p.toBytes();
        return ByteBuffer.allocate(4 + mh.length).put(b("/pk/")).put(mh).array();
    }

    @Test
    void namespaceIsTheFirstPathSegment() {
        assertEquals("mesh", Validators.namespace(b("/mesh/x/y")));
        assertEquals("pk", Validators.namespace(b("/pk/\u0000")));
        for (String bad : List.of("", "mesh/x", "/mesh", "//x", "/")) {
            assertThrows(InvalidRecordException.class, () -> Validators.namespace(b(bad)), bad);
        }
    }

    @Test
    void openNamespacesAcceptUpToTheLimitAndSelectTheNewest() {
        Validators v = new Validators(List.of("mesh"), 8);
        v.validate(b("/mesh/k"), new byte[8]);
        InvalidRecordException big = assertThrows(InvalidRecordException.class, () -> v.validate(b("/mesh/k"), new byte[9]));
        assertTrue(big.getMessage().contains("exceeds"), big.getMessage());
        assertEquals(2, v.select(b("/mesh/k"), List.of(b("old"), b("mid"), b("new"))));
        InvalidRecordException unknown = assertThrows(InvalidRecordException.class, () -> v.validate(b("/ipns/k"), b("x")));
        assertTrue(unknown.getMessage().contains("'ipns'"), unknown.getMessage());
        v.configure(List.of("mesh", "ipns"), 8);
        v.validate(b("/ipns/k"), b("x"));
        assertThrows(IllegalArgumentException.class, () -> v.configure(List.of("a/b"), 8));
    }

    @Test
    void pkRecordsMustHoldTheKeyOfTheirPeerId() {
        Validators v = new Validators(List.of(), 1024);
        PublicKey key = new PublicKey(KeyType.ED25519, new byte[32]);
        PeerId owner = PeerId.fromPublicKey(key);
        v.validate(pkKey(owner), key.toProtobuf());
        PeerId other = TestPeers.peers(1, 5).get(0);
        InvalidRecordException wrong = assertThrows(InvalidRecordException.class, () -> v.validate(pkKey(other), key.toProtobuf()));
        assertTrue(wrong.getMessage().contains("belongs to"), wrong.getMessage());
        assertThrows(InvalidRecordException.class, () -> v.validate(pkKey(owner), b("garbage")));
        assertThrows(InvalidRecordException.class, () -> v.validate(b("/pk/notamultihash"), key.toProtobuf()));
    }

    @Test
    void whiteboardValidatorsTakePrecedenceAndCanBeRemoved() {
        Validators v = new Validators(List.of("mesh"), 1024);
        RecordValidator strict = new RecordValidator() {
            @Override
            public void validate(byte[] key, byte[] value) {
                if (value.length != 1) {
                    throw new InvalidRecordException("strict: one byte only");
                }
            }

            @Override
            public int select(byte[] key, List<byte[]> values) {
                return 0;
            }
        };
        v.register("mesh", strict);
        assertThrows(InvalidRecordException.class, () -> v.validate(b("/mesh/k"), b("ab")));
        assertEquals(0, v.select(b("/mesh/k"), List.of(b("a"), b("b"))));
        v.unregister("mesh", strict);
        v.validate(b("/mesh/k"), b("ab"));
    }
}

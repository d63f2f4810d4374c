package io.hivemesh.api.peer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.multiformats.MultiformatException;
import io.hivemesh.api.multiformats.Multihash;
import java.util.Optional;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

/** Round-trip properties of keys and PeerIds over generated keys. */
class PeerPropertiesTest {
    private static final int TRIES = 200;

    @Property(tries = TRIES)
    void publicKeyProtobufRoundTrips(@ForAll("publicKeys") PublicKey key) {
        assertEquals(key, PublicKey.fromProtobuf(key.toProtobuf()));
    }

    /** Strict decoding: whatever decodes re-encodes to exactly the input. */
    @Property(tries = TRIES)
    void publicKeyDecodingIsCanonical(@ForAll @Size(max = 48) byte[] bytes) {
        PublicKey key;
        try {
            key = PublicKey.fromProtobuf(bytes);
        } catch (MultiformatException e) {
            return;
        }
        assertArrayEquals(bytes, key.toProtobuf());
    }

    @Property(tries = TRIES)
    void peerIdRoundTrips(@ForAll("publicKeys") PublicKey key) {
        PeerId id = PeerId.fromPublicKey(key);
        assertEquals(id, PeerId.parse(id.toString()));
        assertEquals(id, PeerId.parse(id.toCidString()));
        assertEquals(id, PeerId.fromBytes(id.toBytes()));
        assertEquals(id, PeerId.fromMultihash(id.multihash()));
        boolean inline = key.toProtobuf().length <= PeerId.MAX_INLINE_KEY_LENGTH;
        assertEquals(inline ? Optional.of(key) : Optional.empty(), id.publicKey());
        assertEquals(inline ? Multihash.IDENTITY : Multihash.SHA2_256, id.multihash().code());
    }

    @Property(tries = TRIES)
    void orderingIsConsistentWithEquals(@ForAll("publicKeys") PublicKey a, @ForAll("publicKeys") PublicKey b) {
        PeerId x = PeerId.fromPublicKey(a);
        PeerId y = PeerId.fromPublicKey(b);
        assertEquals(x.equals(y), x.compareTo(y) == 0);
        assertEquals(Integer.signum(x.compareTo(y)), -Integer.signum(y.compareTo(x)));
        assertTrue(x.compareTo(x) == 0);
    }

    @Provide
    Arbitrary<PublicKey> publicKeys() {
        Arbitrary<PublicKey> ed25519 = bytes(32, 32).map(b -> new PublicKey(KeyType.ED25519, b));
        Arbitrary<PublicKey> secp256k1 = Combinators.combine(Arbitraries.of((byte) 2, (byte) 3), bytes(32, 32))
                .as((prefix, x) -> {
                    byte[] b = new byte[33];
                    b[0] = prefix;
                    System.arraycopy(x, 0, b, 1, 32);
                    return new PublicKey(KeyType.SECP256K1, b);
                });
        Arbitrary<PublicKey> der = Combinators.combine(Arbitraries.of(KeyType.RSA, KeyType.ECDSA), bytes(1, 600))
                .as(PublicKey::new);
        return Arbitraries.oneOf(ed25519, secp256k1, der);
    }

    private static Arbitrary<byte[]> bytes(int min, int max) {
        return Arbitraries.bytes().array(byte[].class).ofMinSize(min).ofMaxSize(max);
    }
}

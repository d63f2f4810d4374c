package io.hivemesh.api.peer;

import static java.nio.charset.StandardCharsets.UTF_8;

import com.code_intelligence.jazzer.junit.FuzzTest;
import io.hivemesh.api.multiformats.MultiformatException;
import java.util.Arrays;

/**
 * Jazzer fuzz tests of the key and PeerId decoders, with the same oracle as the multiformats fuzz
 * tests: a {@link MultiformatException}, or a value that round-trips; anything else is a finding.
 * Seed corpora live in the {@code PeerFuzzTestInputs/<method>} test resource directories.
 */
class PeerFuzzTest {
    private static final String DURATION = "30s";

    private static void check(boolean condition, String what, Object value) {
        if (!condition) {
            throw new AssertionError(what + ": " + value);
        }
    }

    @FuzzTest(maxDuration = DURATION)
    void publicKeyFromProtobuf(byte[] input) {
        PublicKey key;
        try {
            key = PublicKey.fromProtobuf(input);
        } catch (MultiformatException e) {
            return;
        }
        check(Arrays.equals(input, key.toProtobuf()), "public key protobuf not canonical", key);
        PeerId id = PeerId.fromPublicKey(key);
        check(id.equals(PeerId.parse(id.toString())), "peer id round trip", id);
    }

    @FuzzTest(maxDuration = DURATION)
    void privateKeyFromProtobuf(byte[] input) {
        PrivateKey key;
        try {
            key = PrivateKey.fromProtobuf(input);
        } catch (MultiformatException e) {
            return;
        }
        check(key.equals(PrivateKey.fromProtobuf(key.toProtobuf())), "private key round trip", key.type());
    }

    @FuzzTest(maxDuration = DURATION)
    void peerIdParse(byte[] input) {
        PeerId id;
        try {
            id = PeerId.parse(new String(input, UTF_8));
        } catch (MultiformatException e) {
            return;
        }
        check(id.equals(PeerId.parse(id.toString())), "peer id legacy text round trip", id);
        check(id.equals(PeerId.parse(id.toCidString())), "peer id CID text round trip", id);
        check(id.equals(PeerId.fromBytes(id.toBytes())), "peer id binary round trip", id);
    }

    @FuzzTest(maxDuration = DURATION)
    void peerIdFromBytes(byte[] input) {
        PeerId id;
        try {
            id = PeerId.fromBytes(input);
        } catch (MultiformatException e) {
            return;
        }
        check(Arrays.equals(input, id.toBytes()), "peer id re-encoding differs", id);
        check(id.equals(PeerId.parse(id.toString())), "peer id text round trip", id);
        id.publicKey().ifPresent(k -> check(PeerId.fromPublicKey(k).equals(id), "inline key mismatch", id));
    }
}

package io.hivemesh.dht.internal;

import io.hivemesh.api.multiformats.MultiformatException;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import io.hivemesh.api.routing.InvalidRecordException;
import io.hivemesh.api.routing.RecordValidator;
import java.util.Arrays;
import java.util.List;

/**
 * The spec's public-key records: key {@code /pk/} ‖ the binary multihash of a PeerId, value the
 * libp2p {@code PublicKey} protobuf whose PeerId is that multihash. All valid values of a key are the
 * same key, so selection takes the first.
 */
final class PkValidator implements RecordValidator {
    private static final byte[] PREFIX = {'/', 'p', 'k', '/'};

    @Override
    public void validate(byte[] key, byte[] value) {
        if (key.length <= PREFIX.length || !Arrays.equals(key, 0, PREFIX.length, PREFIX, 0, PREFIX.length)) {
            throw new InvalidRecordException("pk record key must be /pk/<peer id multihash>");
        }
        byte[] mh = Arrays.copyOfRange(key, PREFIX.length, key.length);
        PeerId expected;
        PeerId actual;
        try {
            expected = PeerId.fromBytes(mh);
        } catch (MultiformatException e) {
            throw new InvalidRecordException("pk record key does not hold a peer id: " + e.getMessage());
        }
        try {
            actual = PeerId.fromPublicKey(PublicKey.fromProtobuf(value));
        } catch (MultiformatException | IllegalArgumentException e) {
            throw new InvalidRecordException("pk record value is not a public key: " + e.getMessage());
        }
        if (!expected.equals(actual)) {
            throw new InvalidRecordException("pk record: the public key belongs to " + actual + ", not " + expected);
        }
    }

    @Override
    public int select(byte[] key, List<byte[]> values) {
        return 0;
    }
}

package io.hivemesh.workload.internal;

import io.hivemesh.api.routing.InvalidRecordException;
import io.hivemesh.api.routing.RecordValidator;
import io.hivemesh.protocol.MachineMessage.NodeKeysRecord;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * Validates the DHT records of namespace {@value NodeKeysRecords#NAMESPACE} (see
 * {@link NodeKeysRecords} for the layout): the key names the record's node, the node's Ed25519
 * identity key signed it, it is not expired, it lives at most {@link #MAX_LIFETIME} and was not
 * created more than {@link #MAX_CLOCK_SKEW} in the future. {@link #select} takes the highest
 * sequence, then the latest created, then the first. Pure (but for the clock) and thread-safe.
 */
public final class NodeKeysValidator implements RecordValidator {
    /** Longest a record may be valid from its creation (its node republishes long before). */
    public static final Duration MAX_LIFETIME = Duration.ofDays(7);
    /** How far in the future a record's creation may lie (the publisher's clock runs ahead). */
    public static final Duration MAX_CLOCK_SKEW = Duration.ofMinutes(10);

    private final Clock clock;

    public NodeKeysValidator(Clock clock) {
        this.clock = clock;
    }

    @Override
    public void validate(byte[] key, byte[] value) {
        check(key, value);
    }

    /**
     * The record in {@code value} if it is valid for {@code key} now.
     *
     * @throws InvalidRecordException naming the failed check
     */
    public NodeKeysRecord check(byte[] key, byte[] value) {
        NodeKeysRecord r = NodeKeysRecords.open(key, value);
        long now = clock.millis();
        String what = NodeKeysRecords.NAMESPACE + " record of " + r.node() + " (sequence " + r.sequence() + ")";
        if (r.expiresMillis() <= now) {
            throw new InvalidRecordException(what + " expired at " + Instant.ofEpochMilli(r.expiresMillis()));
        }
        if (r.expiresMillis() < r.createdMillis()) {
            throw new InvalidRecordException(what + " expires before it was created");
        }
        if (r.expiresMillis() - r.createdMillis() > MAX_LIFETIME.toMillis()) {
            throw new InvalidRecordException(what + " is valid for longer than " + MAX_LIFETIME.toDays() + " days");
        }
        if (r.createdMillis() > now + MAX_CLOCK_SKEW.toMillis()) {
            throw new InvalidRecordException(what + " was created in the future, at " + Instant.ofEpochMilli(r.createdMillis()));
        }
        return r;
    }

    @Override
    public int select(byte[] key, List<byte[]> values) {
        int best = -1;
        NodeKeysRecord bestRecord = null;
        for (int i = 0; i < values.size(); i++) {
            NodeKeysRecord r;
            try {
                r = NodeKeysRecords.decode(values.get(i));
            } catch (InvalidRecordException e) {
                continue;
            }
            if (bestRecord == null || r.sequence() > bestRecord.sequence()
                    || (r.sequence() == bestRecord.sequence() && r.createdMillis() > bestRecord.createdMillis())) {
                best = i;
                bestRecord = r;
            }
        }
        return Math.max(best, 0);
    }
}

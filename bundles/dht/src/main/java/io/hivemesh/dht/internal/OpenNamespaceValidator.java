package io.hivemesh.dht.internal;

import io.hivemesh.api.routing.InvalidRecordException;
import io.hivemesh.api.routing.RecordValidator;
import java.util.List;

/**
 * An open namespace: any value up to the size limit is valid, and the newest wins. The DHT hands
 * values to {@link #select} oldest received first, so the newest is the last.
 */
final class OpenNamespaceValidator implements RecordValidator {
    private final int maxValueBytes;

    OpenNamespaceValidator(int maxValueBytes) {
        this.maxValueBytes = maxValueBytes;
    }

    @Override
    public void validate(byte[] key, byte[] value) {
        if (value.length > maxValueBytes) {
            throw new InvalidRecordException("record value of " + value.length + " bytes exceeds the open-namespace limit of "
                    + maxValueBytes + " bytes");
        }
    }

    @Override
    public int select(byte[] key, List<byte[]> values) {
        return values.size() - 1;
    }
}

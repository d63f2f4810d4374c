package io.hivemesh.rest.internal.ui;

import java.util.Arrays;

/**
 * Tells whether a snapshot differs from the previous one, by its serialized bytes (the snapshot is
 * built in a fixed order, so equal state gives equal bytes). Not thread-safe: one poller uses it.
 */
final class ChangeDetector {
    private byte[] last;

    /** True if {@code snapshot} differs from the last one offered (always for the first); keeps it. */
    boolean changed(byte[] snapshot) {
        if (last != null && Arrays.equals(last, snapshot)) {
            return false;
        }
        last = snapshot.clone();
        return true;
    }
}

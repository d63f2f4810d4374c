package io.hivemesh.api.multiformats;

import io.hivemesh.api.HivemeshException;

/**
 * Thrown for every malformed multiformat input: bad varints, unknown codes, wrong lengths, invalid
 * characters, truncated or trailing bytes. The message names the format, the problem and, where
 * there is one, the offending value or position, e.g. {@code "varint: non-minimal encoding at byte 3"}.
 */
public class MultiformatException extends HivemeshException {
    private static final long serialVersionUID = 1L;

    public MultiformatException(String message) {
        super(message);
    }

    public MultiformatException(String message, Throwable cause) {
        super(message, cause);
    }
}

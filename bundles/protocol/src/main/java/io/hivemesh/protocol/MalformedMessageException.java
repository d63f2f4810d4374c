package io.hivemesh.protocol;

import io.hivemesh.api.HivemeshException;

/**
 * A machine-plane frame or envelope payload is not a valid message: too large, structurally broken
 * (the FlatBuffers verifier refused it), or a field breaks a rule (length, UTF-8, PeerId, required,
 * unknown kind). The message names the field ({@code Table.field}, as in {@code machine.fbs}) and
 * the problem. It always means the peer that sent it misbehaved, never a local bug.
 */
public final class MalformedMessageException extends HivemeshException {
    private static final long serialVersionUID = 1L;

    public MalformedMessageException(String message) {
        super(message);
    }

    public MalformedMessageException(String message, Throwable cause) {
        super(message, cause);
    }
}

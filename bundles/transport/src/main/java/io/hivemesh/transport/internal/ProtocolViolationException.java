package io.hivemesh.transport.internal;

import io.hivemesh.api.HivemeshException;

/** The remote peer broke a wire protocol; the stream or connection it happened on is closed. */
public class ProtocolViolationException extends HivemeshException {
    private static final long serialVersionUID = 1L;

    public ProtocolViolationException(String message) {
        super(message);
    }

    public ProtocolViolationException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.hivemesh.api.net;

import io.hivemesh.api.HivemeshException;

/** A stream was reset by either side, or its connection was lost, before an operation completed. */
public class StreamResetException extends HivemeshException {
    private static final long serialVersionUID = 1L;

    public StreamResetException(String message) {
        super(message);
    }

    public StreamResetException(String message, Throwable cause) {
        super(message, cause);
    }
}

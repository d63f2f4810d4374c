package io.hivemesh.transport.internal;

import io.hivemesh.api.HivemeshException;

/** No connection could be made to a peer or address; the message names it and every attempt's error. */
public class DialException extends HivemeshException {
    private static final long serialVersionUID = 1L;

    public DialException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.hivemesh.api.routing;

import io.hivemesh.api.HivemeshException;

/** A DHT record failed validation; the message names the key's namespace and the reason. */
public class InvalidRecordException extends HivemeshException {
    private static final long serialVersionUID = 1L;

    public InvalidRecordException(String message) {
        super(message);
    }
}

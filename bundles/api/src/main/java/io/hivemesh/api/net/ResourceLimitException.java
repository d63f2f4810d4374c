package io.hivemesh.api.net;

import io.hivemesh.api.HivemeshException;

/**
 * The resource manager refused a reservation: a connection, stream or buffer would exceed the
 * limit of a scope (named in the message, e.g. {@code peer 12D3KooW...: inbound streams 16/16}).
 */
public class ResourceLimitException extends HivemeshException {
    private static final long serialVersionUID = 1L;

    public ResourceLimitException(String message) {
        super(message);
    }
}

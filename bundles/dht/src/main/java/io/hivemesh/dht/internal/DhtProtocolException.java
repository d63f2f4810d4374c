package io.hivemesh.dht.internal;

import io.hivemesh.api.HivemeshException;

/** A peer sent a Kademlia message that breaks the wire format or its limits; its stream is reset. */
public class DhtProtocolException extends HivemeshException {
    private static final long serialVersionUID = 1L;

    public DhtProtocolException(String message) {
        super(message);
    }

    public DhtProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}

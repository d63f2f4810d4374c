package io.hivemesh.api.net;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.peer.PeerId;

/** A {@link RequestResponse} call failed; {@link #reason()} says how, the message says with whom. */
public class RequestException extends HivemeshException {
    private static final long serialVersionUID = 1L;

    /** Why a request failed. */
    public enum Reason {
        /** No connection could be made to the peer. */
        DIAL_FAILED,
        /** The peer supports none of the protocols proposed. */
        UNSUPPORTED_PROTOCOL,
        /** No response within the timeout (the stream was reset). */
        TIMEOUT,
        /** The caller cancelled (the stream was reset). */
        CANCELLED,
        /** The peer reset the stream or the connection was lost. */
        RESET,
        /** The peer closed the stream without a response. */
        NO_RESPONSE,
        /** The request or the response is over the protocol's message limit. */
        TOO_LARGE,
        /** A local resource limit (streams to this peer, memory) refused the request. */
        RESOURCE_LIMIT
    }

    private final Reason reason;
    private final PeerId peer;

    public RequestException(Reason reason, PeerId peer, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.peer = peer;
    }

    public Reason reason() {
        return reason;
    }

    public PeerId peer() {
        return peer;
    }
}

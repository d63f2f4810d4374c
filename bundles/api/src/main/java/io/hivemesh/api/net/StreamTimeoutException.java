package io.hivemesh.api.net;

/** A stream deadline passed (a message, a write, negotiation or an idle stream); the stream was reset. */
public class StreamTimeoutException extends StreamResetException {
    private static final long serialVersionUID = 1L;

    public StreamTimeoutException(String message) {
        super(message);
    }
}

package io.hivemesh.api.net;

/** A message over its protocol's {@code maxMessageBytes}; when received, the stream was reset. */
public class MessageTooLargeException extends StreamResetException {
    private static final long serialVersionUID = 1L;

    public MessageTooLargeException(String message) {
        super(message);
    }
}

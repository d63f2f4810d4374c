package io.hivemesh.runtime.docker.internal;

import java.io.IOException;

/** The runtime's socket answered with something that is not the HTTP/1.1 we expect, or too much of it. */
final class HttpProtocolException extends IOException {
    private static final long serialVersionUID = 1L;

    HttpProtocolException(String message) {
        super(message);
    }
}

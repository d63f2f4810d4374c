package io.hivemesh.discovery.internal;

import io.hivemesh.api.HivemeshException;

/** A DNS message that breaks RFC 1035 framing or one of {@link DnsCodec}'s bounds; the message is dropped. */
public final class DnsFormatException extends HivemeshException {
    private static final long serialVersionUID = 1L;

    public DnsFormatException(String message) {
        super(message);
    }
}

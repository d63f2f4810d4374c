package io.hivemesh.crypto.internal;

import io.hivemesh.api.HivemeshException;

/**
 * A key file of the crypto bundle (KEM key ring, ML-DSA key) exists but cannot be used, or cannot
 * be written. It is never replaced automatically: the operator restores or removes it.
 */
public final class KeyFileException extends HivemeshException {
    private static final long serialVersionUID = 1L;

    public KeyFileException(String message) {
        super(message);
    }

    public KeyFileException(String message, Throwable cause) {
        super(message, cause);
    }
}

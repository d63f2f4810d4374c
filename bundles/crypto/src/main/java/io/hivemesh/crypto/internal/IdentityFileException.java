package io.hivemesh.crypto.internal;

import io.hivemesh.api.HivemeshException;

/**
 * The identity key file exists but cannot be used (unreadable, truncated, not an Ed25519 libp2p
 * {@code PrivateKey}, public half not matching). The node refuses to start its identity rather than
 * silently replacing the key: the operator decides whether to restore or remove the file.
 */
public final class IdentityFileException extends HivemeshException {
    private static final long serialVersionUID = 1L;

    public IdentityFileException(String message) {
        super(message);
    }

    public IdentityFileException(String message, Throwable cause) {
        super(message, cause);
    }
}

package io.hivemesh.api.crypto;

import io.hivemesh.api.HivemeshException;

/**
 * A cryptographic check failed (bad signature, failed decryption, replayed nonce, expired token,
 * corrupted share, ...). The message names the check that failed; no partial plaintext is ever
 * returned alongside it.
 */
public class CryptoException extends HivemeshException {
    private static final long serialVersionUID = 1L;

    public CryptoException(String message) {
        super(message);
    }

    public CryptoException(String message, Throwable cause) {
        super(message, cause);
    }
}

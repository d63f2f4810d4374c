package io.hivemesh.api.crypto;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import java.util.Optional;

/**
 * Signed envelopes: a payload with its type, signer key, timestamp and nonce, signed by this node's
 * identity. Verification checks the signature first, then the timestamp against the skew window,
 * then records the nonce against replay. Thread-safe.
 */
public interface Signer {

    /** Wraps {@code payload} in an envelope signed by this node; returns its encoding. */
    byte[] sign(String payloadType, byte[] payload);

    /**
     * Verifies an encoded envelope; when {@code expectedSigner} is present the signer key must
     * hash to it. Throws {@link CryptoException} naming the failed check.
     */
    VerifiedEnvelope verify(byte[] envelope, Optional<PeerId> expectedSigner);

    /** Whether {@code signature} is a valid signature of {@code message} by {@code key}. */
    boolean verifySignature(PublicKey key, byte[] message, byte[] signature);
}

package io.hivemesh.api.crypto;

import io.hivemesh.api.peer.PeerId;
import java.time.Instant;

/**
 * Replay protection for signed messages: a (origin, nonce) pair is accepted once within the replay
 * window, and only with a timestamp inside the clock-skew window. Call it only after the message's
 * signature has been verified, so that forged messages cannot burn nonces. The set of seen nonces
 * survives a restart of the node. Thread-safe.
 */
public interface ReplayGuard {

    /**
     * Records {@code nonce} from {@code origin} stamped {@code timestamp}; throws
     * {@link CryptoException} if the timestamp is outside the skew window, the nonce was already seen,
     * or the guard cannot take more nonces (it then fails closed).
     */
    void check(PeerId origin, byte[] nonce, Instant timestamp);
}

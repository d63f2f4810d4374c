package io.hivemesh.api.crypto;

import io.hivemesh.api.peer.PeerId;

/**
 * Capability tokens with delegation: this node issues tokens, holders may issue narrower ones, and
 * a verifier checks the whole chain, validity times, audience and the presenter's signature over a
 * fresh challenge. Thread-safe.
 */
public interface CapabilityService {

    /** Issues a token for {@code grant} signed by this node (whose PeerId must be the grant's issuer). */
    byte[] issue(Capability grant);

    /** Issues a narrower token under {@code parentToken}, held by this node; widening is refused. */
    byte[] delegate(byte[] parentToken, Capability narrower);

    /**
     * A fresh random challenge for a presenter to sign; this node remembers it for a short time and
     * accepts it in exactly one {@link #verify} call.
     */
    byte[] challenge();

    /** This node's signature, as presenter of {@code token}, over a verifier's {@code challenge}. */
    byte[] present(byte[] token, byte[] challenge);

    /**
     * Verifies that {@code presenter} holds {@code token}, rooted at {@code trustedIssuer}, for
     * {@code action} on {@code resource}: chain signatures, attenuation, times, audience, and
     * {@code presenterSignature} over {@code challenge} (which must come from {@link #challenge()} of
     * this service and not have been used). Returns the effective (narrowest) grant or throws
     * {@link CryptoException} naming the failed check.
     */
    Capability verify(byte[] token, PeerId trustedIssuer, PeerId presenter, byte[] challenge,
                      byte[] presenterSignature, String resource, String action);
}

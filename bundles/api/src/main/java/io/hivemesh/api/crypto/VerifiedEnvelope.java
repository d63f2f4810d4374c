package io.hivemesh.api.crypto;

import io.hivemesh.api.peer.PeerId;
import java.time.Instant;

/** The content of a signed envelope whose signature, timestamp and nonce were all checked. */
public record VerifiedEnvelope(String payloadType, byte[] payload, PeerId signer, Instant timestamp) {
    public VerifiedEnvelope {
        payload = payload.clone();
    }

    @Override
    public byte[] payload() {
        return payload.clone();
    }
}

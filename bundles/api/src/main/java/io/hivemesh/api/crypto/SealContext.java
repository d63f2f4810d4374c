package io.hivemesh.api.crypto;

import io.hivemesh.api.peer.PeerId;
import java.util.Objects;

/**
 * What a sealed message is bound to (its associated data): opening it under any other sender,
 * recipient, payload type or purpose fails.
 */
public record SealContext(PeerId sender, PeerId recipient, String payloadType, String purpose) {
    public SealContext {
        Objects.requireNonNull(sender, "sender");
        Objects.requireNonNull(recipient, "recipient");
        Objects.requireNonNull(payloadType, "payloadType");
        Objects.requireNonNull(purpose, "purpose");
    }
}

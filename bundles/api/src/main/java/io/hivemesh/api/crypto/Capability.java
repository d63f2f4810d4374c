package io.hivemesh.api.crypto;

import io.hivemesh.api.peer.PeerId;
import java.time.Instant;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What a capability token grants: {@code actions} on {@code resource} to {@code audience}, between
 * {@code notBefore} and {@code expiry}, under free-form {@code caveats}. Immutable.
 */
public record Capability(PeerId issuer, PeerId audience, String resource, Set<String> actions,
                         Instant notBefore, Instant expiry, Map<String, String> caveats) {
    public Capability {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(resource, "resource");
        actions = Set.copyOf(actions);
        Objects.requireNonNull(notBefore, "notBefore");
        Objects.requireNonNull(expiry, "expiry");
        caveats = Map.copyOf(caveats);
    }
}

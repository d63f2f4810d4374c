package io.hivemesh.rest.internal.auth;

import java.time.Instant;

/**
 * A bearer token as stored: its public id, tenant, the SHA-256 of its secret (never the secret),
 * when it was created and expires, and when it was revoked ({@code null}: not revoked).
 */
public record Token(String id, String tenant, byte[] secretHash, Instant created, Instant expires, Instant revoked) {
    public enum State { ACTIVE, EXPIRED, REVOKED }

    public State state(Instant now) {
        if (revoked != null) {
            return State.REVOKED;
        }
        return now.isBefore(expires) ? State.ACTIVE : State.EXPIRED;
    }

    Token revokedAt(Instant when) {
        return new Token(id, tenant, secretHash, created, expires, when);
    }
}

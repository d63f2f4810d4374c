package io.hivemesh.api.discovery;

import io.hivemesh.api.peer.PeerId;

/**
 * Keeps the number of connections between a low and a high water mark: above the high mark it closes
 * the least useful connections until the low mark is reached, never a protected peer's (gossip mesh
 * members, peers with open transfers) and never one younger than the grace period. Subsystems protect
 * the peers they rely on under their own tag. Thread-safe.
 */
public interface ConnectionManager {

    /** Protects {@code peer}'s connections from trimming under {@code tag} (idempotent). */
    void protect(PeerId peer, String tag);

    /** Removes {@code tag}'s protection; returns whether the peer is still protected by another tag. */
    boolean unprotect(PeerId peer, String tag);

    /** Whether any tag protects {@code peer}. */
    boolean isProtected(PeerId peer);

    /** Adds {@code delta} to {@code peer}'s usefulness under {@code tag} (higher is kept longer). */
    void tag(PeerId peer, String tag, int value);

    /** Runs one trim now; returns how many connections were closed. */
    int trim();
}

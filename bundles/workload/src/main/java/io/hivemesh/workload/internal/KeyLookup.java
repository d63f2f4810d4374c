package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.PeerId;

import java.util.concurrent.CompletableFuture;

/** Finds a node's current KEM public key (to seal to it). */
@FunctionalInterface
public interface KeyLookup {
    /** Completes with {@code peer}'s KEM public key, exceptionally naming the peer and why not. */
    CompletableFuture<byte[]> kemKey(PeerId peer);
}

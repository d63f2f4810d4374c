package io.hivemesh.api.routing;

import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * Records in the distributed hash table, keyed by {@code /<namespace>/<rest>}. The namespace's
 * {@link RecordValidator} checks every value before it is stored or accepted. Thread-safe.
 */
public interface ValueStore {

    /**
     * Validates {@code value}, stores it locally and on the closest peers to {@code key}; completes
     * with the number of remote peers that accepted it, or exceptionally with
     * {@link InvalidRecordException} if the value does not validate.
     */
    CompletableFuture<Integer> put(byte[] key, byte[] value);

    /**
     * Looks {@code key} up until {@code quorum} valid values were seen (or the lookup is exhausted),
     * selects the best with the namespace's validator, corrects peers that returned an outdated value,
     * and completes with it, or empty when no peer has a valid one.
     */
    CompletableFuture<Optional<byte[]>> get(byte[] key, int quorum);
}

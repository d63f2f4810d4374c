package io.hivemesh.api.routing;

import java.util.List;

/**
 * Validates and ranks the DHT records of one namespace. Whiteboard: register an implementation as
 * an OSGi service with {@value #NAMESPACE} set to the namespace, the first path segment of the key
 * without slashes (e.g. {@code pk} for {@code /pk/...}). Records of a namespace without a
 * validator are refused. Implementations must be fast, pure and thread-safe.
 */
public interface RecordValidator {

    /** Service property naming the namespace this validator is for. */
    String NAMESPACE = "hivemesh.namespace";

    /** Throws {@link InvalidRecordException} naming the reason if {@code value} is not valid for {@code key}. */
    void validate(byte[] key, byte[] value);

    /**
     * Picks the best of several valid {@code values} for {@code key} (e.g. the newest) and returns
     * its index. {@code values} is never empty.
     */
    int select(byte[] key, List<byte[]> values);
}

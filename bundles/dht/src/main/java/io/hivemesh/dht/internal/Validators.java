package io.hivemesh.dht.internal;

import io.hivemesh.api.routing.InvalidRecordException;
import io.hivemesh.api.routing.RecordValidator;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The record validators by namespace: the first path segment of a key ({@code pk} for
 * {@code /pk/...}). Built in: {@code pk} ({@link PkValidator}) and the open namespaces
 * ({@link OpenNamespaceValidator}); whiteboard validators registered for a namespace take precedence
 * over the built-in ones. A key without a namespace, or in a namespace nobody validates, is refused
 * (as js-libp2p does). Thread-safe.
 */
public final class Validators {
    private final Map<String, RecordValidator> registered = new ConcurrentHashMap<>();
    private final RecordValidator pk = new PkValidator();
    private volatile Set<String> openNamespaces;
    private volatile OpenNamespaceValidator open;

    public Validators(Collection<String> openNamespaces, int maxValueBytes) {
        configure(openNamespaces, maxValueBytes);
    }

    /** Replaces the open namespaces and the value size limit (live reconfiguration). */
    public void configure(Collection<String> openNamespaces, int maxValueBytes) {
        for (String ns : openNamespaces) {
            if (ns.isEmpty() || ns.contains("/")) {
                throw new IllegalArgumentException("an open namespace is one path segment without '/', not '" + ns + "'");
            }
        }
        this.open = new OpenNamespaceValidator(maxValueBytes);
        this.openNamespaces = Set.copyOf(openNamespaces);
    }

    public void register(String namespace, RecordValidator validator) {
        registered.put(namespace, validator);
    }

    public void unregister(String namespace, RecordValidator validator) {
        registered.remove(namespace, validator);
    }

    /**
     * The namespace of a key: the text between the leading '/' and the next '/'.
     *
     * @throws InvalidRecordException if the key has none
     */
    public static String namespace(byte[] key) {
        if (key.length < 3 || key[0] != '/') {
            throw new InvalidRecordException("record key has no /<namespace>/ prefix");
        }
        for (int i = 1; i < key.length && i < 64; i++) {
            if (key[i] == '/') {
                if (i == 1) {
                    break;
                }
                return new String(key, 1, i - 1, StandardCharsets.UTF_8);
            }
        }
        throw new InvalidRecordException("record key has no /<namespace>/ prefix");
    }

    /** The validator for a key's namespace, if any. */
    public Optional<RecordValidator> forKey(byte[] key) {
        String ns = namespace(key);
        RecordValidator v = registered.get(ns);
        if (v != null) {
            return Optional.of(v);
        }
        if ("pk".equals(ns)) {
            return Optional.of(pk);
        }
        return openNamespaces.contains(ns) ? Optional.of(open) : Optional.empty();
    }

    /**
     * Whether the key's namespace is an open one served by the built-in validator (not overridden by
     * a whiteboard validator): where anyone may store any value, hence where per-peer quotas apply.
     */
    public boolean isOpen(byte[] key) {
        try {
            return forKey(key).filter(v -> v instanceof OpenNamespaceValidator).isPresent();
        } catch (InvalidRecordException e) {
            return false;
        }
    }

    /** Validates a record; throws {@link InvalidRecordException} naming the namespace and the reason. */
    public void validate(byte[] key, byte[] value) {
        RecordValidator v = forKey(key).orElseThrow(
                () -> new InvalidRecordException("no validator for record namespace '" + namespace(key) + "'"));
        v.validate(key, value);
    }

    /** The index of the best of several valid values (oldest received first). */
    public int select(byte[] key, List<byte[]> values) {
        RecordValidator v = forKey(key).orElseThrow(
                () -> new InvalidRecordException("no validator for record namespace '" + namespace(key) + "'"));
        int i = v.select(key, values);
        if (i < 0 || i >= values.size()) {
            throw new InvalidRecordException("validator of '" + namespace(key) + "' selected index " + i
                    + " of " + values.size() + " values");
        }
        return i;
    }
}

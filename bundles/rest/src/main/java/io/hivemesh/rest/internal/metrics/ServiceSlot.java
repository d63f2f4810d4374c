package io.hivemesh.rest.internal.metrics;

import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

/**
 * A dynamic, optional service reference: bound and unbound by DS, read at scrape or check time.
 * Unbind uses compare-and-set, so a late unbind of an old service never clears a newer binding.
 */
public final class ServiceSlot<T> implements Supplier<Optional<T>> {
    private final AtomicReference<T> service = new AtomicReference<>();

    public void bind(T s) {
        service.set(s);
    }

    public void unbind(T s) {
        service.compareAndSet(s, null);
    }

    @Override
    public Optional<T> get() {
        return Optional.ofNullable(service.get());
    }
}

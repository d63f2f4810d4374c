package io.hivemesh.api.runtime;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * The node's view of the {@link RuntimeEngine} whiteboard: every engine service that is registered
 * right now, ordered by {@code service.ranking} (highest first), and the selection rule: an engine
 * asked for by name; otherwise the configured preferred engine if it is available; otherwise the
 * best-ranked available engine; otherwise an error naming every engine and why it is unavailable.
 * Engines come and go at runtime (bundle update, feature uninstall); callers select per operation and
 * never keep an engine. Thread-safe.
 */
public interface RuntimeEngines {

    /** The engines registered now, highest ranking first. */
    List<RuntimeEngine> engines();

    /** The registered engine called {@code name}, if any. */
    Optional<RuntimeEngine> engine(String name);

    /**
     * Picks an engine: {@code name} if given (it must be registered and available), else the
     * preferred engine, else the best available. Completes exceptionally with a
     * {@link RuntimeEngineException} that names every engine and why it is unavailable, or says that
     * none is installed.
     */
    CompletableFuture<RuntimeEngine> select(Optional<String> name);

    /** The engine whose runtime holds workload {@code workloadId} (by its labels), if any. */
    CompletableFuture<Optional<RuntimeEngine>> locate(String workloadId);
}

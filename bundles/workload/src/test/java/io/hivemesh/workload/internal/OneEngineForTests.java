package io.hivemesh.workload.internal;

import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.RuntimeEngines;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/** Engine selection over a single engine (the mock engine in tests about the machine plane). */
record OneEngineForTests(RuntimeEngine engine) implements RuntimeEngines {
    @Override
    public List<RuntimeEngine> engines() {
        return List.of(engine);
    }

    @Override
    public Optional<RuntimeEngine> engine(String name) {
        return engine.name().equals(name) ? Optional.of(engine) : Optional.empty();
    }

    @Override
    public CompletableFuture<RuntimeEngine> select(Optional<String> name) {
        return CompletableFuture.completedFuture(engine);
    }

    @Override
    public CompletableFuture<Optional<RuntimeEngine>> locate(String workloadId) {
        return engine.status(workloadId).handle((s, e) -> e == null ? Optional.of(engine) : Optional.empty());
    }
}

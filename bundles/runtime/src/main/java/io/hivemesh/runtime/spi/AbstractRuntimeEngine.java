package io.hivemesh.runtime.spi;

import io.hivemesh.api.runtime.NoSuchWorkloadException;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.RuntimeEngineException;
import io.hivemesh.runtime.manifest.Manifests;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Supplier;

/**
 * The part every engine shares: its name, manifest validation by {@link Manifests#parse}, and the
 * executor its calls run on ({@link #async}: a stopped executor fails the call with
 * "{@code <name> engine is stopped}").
 */
public abstract class AbstractRuntimeEngine implements RuntimeEngine {
    private final String name;
    private final Executor executor;

    protected AbstractRuntimeEngine(String name, Executor executor) {
        this.name = name;
        this.executor = executor;
    }

    @Override
    public final String name() {
        return name;
    }

    @Override
    public void validate(String manifestYaml) {
        Manifests.parse(manifestYaml);
    }

    /** Runs the work on the engine's executor; a rejected task fails with "engine is stopped". */
    protected final <T> CompletableFuture<T> async(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, executor);
        } catch (RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new RuntimeEngineException(name + " engine is stopped"));
        }
    }

    /** The error "{@code <name>: no workload <id>}". */
    protected final NoSuchWorkloadException noWorkload(String workloadId) {
        return new NoSuchWorkloadException(name + ": no workload " + workloadId);
    }

    /** The cause behind the {@link CompletionException}s a future chain wraps around it. */
    public static Throwable unwrap(Throwable t) {
        while (t instanceof CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}

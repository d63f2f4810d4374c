package io.hivemesh.runtime.command;

import io.hivemesh.api.runtime.RuntimeEngineException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Waits for an engine call with a bound, and unwraps its failure so the shell shows the engine's message. */
final class Await {
    static final long SECONDS = 300;

    private Await() {
    }

    static <T> T of(CompletableFuture<T> future) throws Exception {
        try {
            return future.get(SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            if (cause instanceof Exception ex) {
                throw ex;
            }
            throw new RuntimeEngineException(String.valueOf(cause), cause);
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new RuntimeEngineException("no answer from the runtime engine within " + SECONDS + " s");
        }
    }
}

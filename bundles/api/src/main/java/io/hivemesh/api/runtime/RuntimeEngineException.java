package io.hivemesh.api.runtime;

import io.hivemesh.api.HivemeshException;

/** A runtime operation failed; the message names the workload, the engine and the runtime's reason. */
public class RuntimeEngineException extends HivemeshException {
    private static final long serialVersionUID = 1L;

    public RuntimeEngineException(String message) {
        super(message);
    }

    public RuntimeEngineException(String message, Throwable cause) {
        super(message, cause);
    }
}

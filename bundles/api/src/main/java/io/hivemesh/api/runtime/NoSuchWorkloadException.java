package io.hivemesh.api.runtime;

/** The runtime holds no container labelled with the workload id. */
public class NoSuchWorkloadException extends RuntimeEngineException {
    private static final long serialVersionUID = 1L;

    public NoSuchWorkloadException(String message) {
        super(message);
    }
}

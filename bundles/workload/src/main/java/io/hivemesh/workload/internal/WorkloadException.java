package io.hivemesh.workload.internal;

/** A machine-plane operation failed; the message names what and why, for the operator. */
public class WorkloadException extends RuntimeException {
    public WorkloadException(String message) {
        super(message);
    }

    public WorkloadException(String message, Throwable cause) {
        super(message, cause);
    }
}

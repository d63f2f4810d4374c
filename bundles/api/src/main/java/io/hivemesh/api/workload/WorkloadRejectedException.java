package io.hivemesh.api.workload;

import io.hivemesh.api.HivemeshException;

/** A request the machine plane refuses: an invalid manifest (the message names the field) or an unknown task. */
public class WorkloadRejectedException extends HivemeshException {
    private static final long serialVersionUID = 1L;

    public WorkloadRejectedException(String message) {
        super(message);
    }

    public WorkloadRejectedException(String message, Throwable cause) {
        super(message, cause);
    }
}

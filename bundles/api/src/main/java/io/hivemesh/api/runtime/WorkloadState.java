package io.hivemesh.api.runtime;

/** A workload's state as its runtime reports it. */
public enum WorkloadState {
    CREATED, RUNNING, EXITED, FAILED, UNKNOWN
}

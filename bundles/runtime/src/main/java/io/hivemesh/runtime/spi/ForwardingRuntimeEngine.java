package io.hivemesh.runtime.spi;

import io.hivemesh.api.runtime.DeployConfig;
import io.hivemesh.api.runtime.EngineInfo;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.WorkloadStatus;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * A {@link RuntimeEngine} that forwards every call to {@link #delegate()}: the base of the DS shells
 * over plain engines, which keep only their config and lifecycle.
 */
public abstract class ForwardingRuntimeEngine implements RuntimeEngine {
    /** The engine every call goes to. */
    protected abstract RuntimeEngine delegate();

    @Override
    public String name() {
        return delegate().name();
    }

    @Override
    public CompletableFuture<EngineInfo> info() {
        return delegate().info();
    }

    @Override
    public void validate(String manifestYaml) {
        delegate().validate(manifestYaml);
    }

    @Override
    public CompletableFuture<WorkloadStatus> deploy(String workloadId, String manifestYaml, DeployConfig config) {
        return delegate().deploy(workloadId, manifestYaml, config);
    }

    @Override
    public CompletableFuture<WorkloadStatus> status(String workloadId) {
        return delegate().status(workloadId);
    }

    @Override
    public CompletableFuture<List<String>> logs(String workloadId, int tail) {
        return delegate().logs(workloadId, tail);
    }

    @Override
    public CompletableFuture<Void> followLogs(String workloadId, int tail, Consumer<String> onLine) {
        return delegate().followLogs(workloadId, tail, onLine);
    }

    @Override
    public CompletableFuture<Void> remove(String workloadId) {
        return delegate().remove(workloadId);
    }

    @Override
    public CompletableFuture<List<WorkloadStatus>> list() {
        return delegate().list();
    }
}

package io.hivemesh.runtime.command;

import io.hivemesh.api.runtime.DeployConfig;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.RuntimeEngines;
import io.hivemesh.api.runtime.WorkloadStatus;
import io.hivemesh.runtime.manifest.Manifests;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/** {@code runtime:deploy <file>}: deploys a manifest file as one workload. */
@Service
@Command(scope = "runtime", name = "deploy", description = "Deploys a Kubernetes manifest (Pod, Deployment) as a workload")
public class DeployCommand implements Action {
    @Reference
    RuntimeEngines engines;

    @Argument(index = 0, name = "file", description = "The manifest file (YAML, one or more documents)", required = true)
    String file;

    @Option(name = "--id", description = "Workload id (default: the first document's metadata.name)")
    String id;

    @Option(name = "--engine", description = "Engine to use (default: the preferred available engine)")
    String engine;

    @Option(name = "--replicas", description = "Pods per document (default: the manifest's replicas)")
    int replicas = 1;

    @Override
    public Object execute() throws Exception {
        Path path = Path.of(file);
        if (Files.size(path) > Manifests.MAX_BYTES) {
            throw new IllegalArgumentException(file + " is larger than " + Manifests.MAX_BYTES + " bytes");
        }
        String yaml = Files.readString(path, StandardCharsets.UTF_8);
        String workloadId = id != null ? id : Manifests.parse(yaml).get(0).name();
        RuntimeEngine chosen = Await.of(engines.select(Optional.ofNullable(engine)));
        DeployConfig config = new DeployConfig(replicas, Optional.empty(), Optional.empty(), Map.of(), Map.of());
        WorkloadStatus status = Await.of(chosen.deploy(workloadId, yaml, config));
        PsCommand.print(System.out, java.util.List.of(status));
        return null;
    }
}

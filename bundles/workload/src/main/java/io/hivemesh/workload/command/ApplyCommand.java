package io.hivemesh.workload.command;

import io.hivemesh.runtime.manifest.Manifests;
import io.hivemesh.workload.internal.OwnerTasks;
import io.hivemesh.workload.internal.WorkloadService;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalInt;

/** {@code workload:apply [--replicas N] FILE}: hands a manifest to the mesh; prints the task id. */
@Service
@Command(scope = "workload", name = "apply", description = "Applies a Kubernetes manifest (Pod, Deployment) to the mesh as a task; prints its id")
public class ApplyCommand implements Action {
    @Reference
    WorkloadService workloads;

    @Option(name = "--replicas", description = "Replicas on distinct nodes (default: the Deployment's spec.replicas, 1 for a Pod)")
    int replicas = -1;

    @Argument(index = 0, name = "file", description = "The manifest file (YAML)", required = true)
    String file;

    @Override
    public Object execute() throws Exception {
        Path path = Path.of(file);
        if (!Files.isRegularFile(path)) {
            throw new IllegalArgumentException("no manifest file " + path.toAbsolutePath());
        }
        if (Files.size(path) > Manifests.MAX_BYTES) {
            throw new IllegalArgumentException(file + " is larger than " + Manifests.MAX_BYTES + " bytes");
        }
        String yaml = Files.readString(path, StandardCharsets.UTF_8);
        OwnerTasks.Applied a = workloads.apply(yaml, replicas < 0 ? OptionalInt.empty() : OptionalInt.of(replicas));
        System.out.println(a.taskId());
        System.out.println(a.changed()
                ? a.name() + ": generation " + a.generation() + ", " + a.replicas() + " replica(s) being scheduled"
                : a.name() + ": unchanged (generation " + a.generation() + ")");
        return null;
    }
}

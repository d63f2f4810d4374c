package io.hivemesh.runtime.podman.internal;

import io.hivemesh.api.runtime.DeployConfig;
import io.hivemesh.api.runtime.EngineInfo;
import io.hivemesh.api.runtime.NoSuchWorkloadException;
import io.hivemesh.api.runtime.PortMapping;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.RuntimeEngineException;
import io.hivemesh.api.runtime.WorkloadStatus;
import io.hivemesh.runtime.manifest.ContainerObservation;
import io.hivemesh.runtime.manifest.Manifests;
import io.hivemesh.runtime.manifest.PodPlan;
import io.hivemesh.runtime.manifest.PodSpec;
import io.hivemesh.runtime.manifest.WorkloadStatuses;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * {@link RuntimeEngine} on podman. Deploy renders the planned pods as Pod YAML and runs
 * {@code podman kube play --replace}; every pod and container carries the workload label, so
 * status, list, logs and remove ask podman by label and the engine keeps no state of its own (an
 * engine restart or a node restart finds every workload again). A failed deploy removes everything
 * labelled with the workload. Only pods labelled {@code io.hivemesh.engine=podman} are its own.
 * Blocking CLI calls run on the given executor. Thread-safe.
 */
public final class PodmanEngine implements RuntimeEngine {
    public static final String NAME = "podman";

    private final PodmanCli cli;
    private final ExecutorService executor;
    private final List<Process> following = new CopyOnWriteArrayList<>();

    public PodmanEngine(PodmanCli cli, ExecutorService executor) {
        this.cli = cli;
        this.executor = executor;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public CompletableFuture<EngineInfo> info() {
        return async(() -> {
            PodmanCli.Result r = cli.run(List.of("version", "--format", "{{.Client.Version}}"));
            if (r.exitCode() != 0) {
                return new EngineInfo(NAME, false, "", "podman (" + cli.target() + ") does not answer: " + r.error());
            }
            return new EngineInfo(NAME, true, r.stdout().strip(), "");
        }).exceptionally(t -> new EngineInfo(NAME, false, "", unwrap(t).getMessage()));
    }

    @Override
    public void validate(String manifestYaml) {
        Manifests.parse(manifestYaml);
    }

    @Override
    public CompletableFuture<WorkloadStatus> deploy(String workloadId, String manifestYaml, DeployConfig config) {
        return async(() -> {
            List<PodSpec> pods = PodPlan.plan(NAME, workloadId, Manifests.parse(manifestYaml), config);
            // The workload's pods before this deploy, listed while kube play runs (pods it creates
            // are not stale: only names outside the new plan are removed afterwards).
            CompletableFuture<Set<String>> listing = CompletableFuture.supplyAsync(() -> podNames(workloadId), r -> {
                Thread t = new Thread(r, "hivemesh-podman-list");
                t.setDaemon(true);
                t.start();
            });
            Path file = null;
            try {
                file = Files.createTempFile("hivemesh-" + workloadId + "-", ".yaml");
                Files.writeString(file, KubeYaml.render(pods), StandardCharsets.UTF_8);
                PodmanCli.Result r = cli.run(List.of("kube", "play", "--replace", file.toString()));
                if (r.exitCode() != 0) {
                    throw cleanUp(workloadId, pods, "podman kube play failed (exit " + r.exitCode() + "): " + r.error());
                }
            } catch (IOException e) {
                throw new RuntimeEngineException(NAME + ": cannot write the pod file of workload " + workloadId + ": " + e, e);
            } catch (RuntimeEngineException e) {
                if (e.getMessage().startsWith(NAME + ": deploy of workload")) {
                    throw e;
                }
                throw cleanUp(workloadId, pods, e.getMessage());
            } finally {
                if (file != null) {
                    try {
                        Files.deleteIfExists(file);
                    } catch (IOException ignored) {
                        // a leftover temp file is harmless; the deploy result matters
                    }
                }
            }
            Set<String> before;
            try {
                before = listing.join();
            } catch (java.util.concurrent.CompletionException e) {
                throw new RuntimeEngineException(NAME + ": deploy of workload " + workloadId + " failed: "
                        + unwrap(e).getMessage(), e);
            }
            Set<String> stale = new LinkedHashSet<>(before);
            pods.forEach(p -> stale.remove(p.name()));
            if (!stale.isEmpty()) {
                List<String> args = new ArrayList<>(List.of("pod", "rm", "-f", "-t", "0"));
                args.addAll(stale);
                cli.check(NAME + ": removing old pods " + stale + " of workload " + workloadId, args);
            }
            return statusNow(workloadId);
        });
    }

    /** Removes whatever the failed deploy left and returns the error to throw (naming a failed clean-up too). */
    private RuntimeEngineException cleanUp(String workloadId, List<PodSpec> pods, String cause) {
        String message = NAME + ": deploy of workload " + workloadId + " failed: " + cause;
        try {
            Set<String> names = podNames(workloadId);
            pods.forEach(p -> names.add(p.name()));
            List<String> args = new ArrayList<>(List.of("pod", "rm", "-f", "-i", "-t", "0"));
            args.addAll(names);
            cli.check("pod rm", args);
            return new RuntimeEngineException(message + " (partial pods removed)");
        } catch (RuntimeEngineException e) {
            return new RuntimeEngineException(message + "; clean-up failed too: " + e.getMessage());
        }
    }

    @Override
    public CompletableFuture<WorkloadStatus> status(String workloadId) {
        return async(() -> statusNow(PodPlan.checkWorkloadId(workloadId)));
    }

    private WorkloadStatus statusNow(String workloadId) {
        List<ContainerObservation> containers = containers(RuntimeEngine.WORKLOAD_LABEL + "=" + workloadId);
        if (containers.isEmpty()) {
            throw new NoSuchWorkloadException(NAME + ": no workload " + workloadId);
        }
        return WorkloadStatuses.of(workloadId, NAME, containers);
    }

    @Override
    public CompletableFuture<List<WorkloadStatus>> list() {
        return async(() -> WorkloadStatuses.group(NAME, containers(RuntimeEngine.WORKLOAD_LABEL)));
    }

    @Override
    public CompletableFuture<List<String>> logs(String workloadId, int tail) {
        return async(() -> {
            List<ContainerObservation> containers = requireContainers(workloadId);
            List<String> lines = new ArrayList<>();
            for (ContainerObservation c : containers) {
                PodmanCli.Result r = cli.run(List.of("logs", "--tail", Integer.toString(Math.max(0, tail)), c.name()));
                if (r.exitCode() != 0) {
                    throw new RuntimeEngineException(NAME + ": logs of " + c.name() + " failed: " + r.error());
                }
                String prefix = containers.size() > 1 ? c.name() + " | " : "";
                (r.stdout() + r.stderr()).lines().filter(l -> !l.startsWith("failed to connect to syslog"))
                        .forEach(l -> lines.add(prefix + l));
            }
            return lines;
        });
    }

    @Override
    public CompletableFuture<Void> followLogs(String workloadId, int tail, Consumer<String> onLine) {
        CompletableFuture<Void> result = new CompletableFuture<>();
        List<Process> processes = new CopyOnWriteArrayList<>();
        result.whenComplete((v, t) -> processes.forEach(p -> {
            p.destroy();
            following.remove(p);
        }));
        async(() -> requireContainers(workloadId)).whenComplete((containers, failure) -> {
            if (failure != null) {
                result.completeExceptionally(unwrap(failure));
                return;
            }
            List<CompletableFuture<Void>> readers = new ArrayList<>();
            for (ContainerObservation c : containers) {
                List<String> cmd = cli.prefix();
                cmd.addAll(List.of("logs", "-f", "--tail", Integer.toString(Math.max(0, tail)), c.name()));
                String prefix = containers.size() > 1 ? c.name() + " | " : "";
                try {
                    Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                            .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
                    processes.add(p);
                    following.add(p);
                    readers.add(CompletableFuture.runAsync(() -> read(p, prefix, onLine), r -> {
                        Thread t = new Thread(r, "hivemesh-podman-logs");
                        t.setDaemon(true);
                        t.start();
                    }));
                } catch (IOException e) {
                    result.completeExceptionally(new RuntimeEngineException(NAME + ": cannot follow logs of "
                            + c.name() + ": " + e.getMessage(), e));
                    return;
                }
            }
            if (result.isDone()) {
                processes.forEach(Process::destroy);
                return;
            }
            CompletableFuture.allOf(readers.toArray(CompletableFuture[]::new)).whenComplete((v, t) -> {
                if (t != null) {
                    result.completeExceptionally(unwrap(t));
                } else if (!result.isDone()) {
                    async(() -> endOfStream(workloadId)).whenComplete((v2, t2) -> {
                        if (t2 != null) {
                            result.completeExceptionally(unwrap(t2));
                        } else {
                            result.complete(null);
                        }
                    });
                }
            });
        });
        return result;
    }

    /**
     * The log streams ended: normal if the workload has stopped; an error if the runtime does not
     * answer or the workload still runs (the stream broke, e.g. the service socket went away).
     */
    private Void endOfStream(String workloadId) {
        WorkloadStatus status;
        try {
            status = statusNow(workloadId);
        } catch (NoSuchWorkloadException e) {
            return null;
        } catch (RuntimeEngineException e) {
            throw new RuntimeEngineException(NAME + ": log stream of workload " + workloadId
                    + " ended: the runtime does not answer: " + e.getMessage(), e);
        }
        if (status.state() == io.hivemesh.api.runtime.WorkloadState.RUNNING) {
            throw new RuntimeEngineException(NAME + ": log stream of workload " + workloadId
                    + " ended while the workload still runs");
        }
        return null;
    }

    private static void read(Process p, String prefix, Consumer<String> onLine) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("failed to connect to syslog")) {
                    onLine.accept(prefix + line);
                }
            }
            int exit = p.waitFor();
            if (exit != 0 && exit != 143) {
                throw new RuntimeEngineException(NAME + ": log stream ended with podman exit " + exit
                        + " (the runtime went away?)");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (IOException e) {
            if (p.isAlive()) {
                throw new RuntimeEngineException(NAME + ": log stream broke: " + e.getMessage(), e);
            }
        }
    }

    @Override
    public CompletableFuture<Void> remove(String workloadId) {
        return async(() -> {
            PodPlan.checkWorkloadId(workloadId);
            Set<String> pods = podNames(workloadId);
            List<ContainerObservation> containers = containers(RuntimeEngine.WORKLOAD_LABEL + "=" + workloadId);
            if (pods.isEmpty() && containers.isEmpty()) {
                throw new NoSuchWorkloadException(NAME + ": no workload " + workloadId);
            }
            if (!pods.isEmpty()) {
                List<String> args = new ArrayList<>(List.of("pod", "rm", "-f", "-i", "-t", "0"));
                args.addAll(pods);
                cli.check(NAME + ": removing workload " + workloadId, args);
            }
            List<ContainerObservation> left = containers(RuntimeEngine.WORKLOAD_LABEL + "=" + workloadId);
            if (!left.isEmpty()) {
                List<String> args = new ArrayList<>(List.of("rm", "-f", "-i", "-t", "0"));
                left.forEach(c -> args.add(c.name()));
                cli.check(NAME + ": removing containers of workload " + workloadId, args);
            }
            return null;
        });
    }

    /** Stops every log follower (engine deactivation). */
    public void close() {
        following.forEach(Process::destroy);
        following.clear();
    }

    private List<ContainerObservation> requireContainers(String workloadId) {
        PodPlan.checkWorkloadId(workloadId);
        List<ContainerObservation> containers = containers(RuntimeEngine.WORKLOAD_LABEL + "=" + workloadId);
        if (containers.isEmpty()) {
            throw new NoSuchWorkloadException(NAME + ": no workload " + workloadId);
        }
        return containers;
    }

    private Set<String> podNames(String workloadId) {
        String out = cli.check(NAME + ": listing pods", List.of("pod", "ps", "--filter",
                "label=" + RuntimeEngine.WORKLOAD_LABEL + "=" + workloadId, "--filter",
                "label=" + PodPlan.ENGINE_LABEL + "=" + NAME, "--format", "{{.Name}}"));
        Set<String> names = new LinkedHashSet<>();
        out.lines().map(String::strip).filter(s -> !s.isEmpty()).forEach(names::add);
        return names;
    }

    /** The app containers (not pod infra containers) matching a label filter, as podman reports them. */
    private List<ContainerObservation> containers(String labelFilter) {
        String json = cli.check(NAME + ": listing containers", List.of("ps", "-a", "--filter", "label=" + labelFilter,
                "--filter", "label=" + PodPlan.ENGINE_LABEL + "=" + NAME, "--format", "json"));
        List<ContainerObservation> out = new ArrayList<>();
        List<String> needInspect = new ArrayList<>();
        for (Object o : asList(parseJson(json))) {
            Map<String, Object> c = asMap(o);
            if (Boolean.TRUE.equals(c.get("IsInfra"))) {
                continue;
            }
            List<Object> names = asList(c.get("Names"));
            String name = names.isEmpty() ? String.valueOf(c.get("Id")) : String.valueOf(names.get(0));
            Map<String, String> labels = new HashMap<>();
            asMap(c.get("Labels")).forEach((k, v) -> labels.put(k, String.valueOf(v)));
            List<PortMapping> ports = new ArrayList<>();
            for (Object po : asList(c.get("Ports"))) {
                Map<String, Object> p = asMap(po);
                int range = p.get("range") instanceof Integer i ? Math.max(1, i) : 1;
                for (int k = 0; k < range; k++) {
                    ports.add(new PortMapping(name, num(p.get("container_port")) + k, String.valueOf(p.get("protocol")),
                            p.get("host_ip") == null ? "" : String.valueOf(p.get("host_ip")), num(p.get("host_port")) + k));
                }
            }
            String state = String.valueOf(c.get("State"));
            out.add(new ContainerObservation(name, labels, state, num(c.get("ExitCode")), "", ports));
            if (!state.equals("running")) {
                needInspect.add(name);
            }
        }
        if (!needInspect.isEmpty()) {
            Map<String, String> errors = errors(needInspect);
            out.replaceAll(c -> errors.containsKey(c.name()) ? new ContainerObservation(c.name(), c.labels(), c.state(),
                    c.exitCode(), errors.get(c.name()), c.ports()) : c);
        }
        out.sort(Comparator.comparing(ContainerObservation::name));
        return out;
    }

    /** The runtime's error text (State.Error, OOM kill) of stopped containers. */
    private Map<String, String> errors(List<String> names) {
        List<String> args = new ArrayList<>(List.of("container", "inspect", "--format", "json"));
        args.addAll(names);
        PodmanCli.Result r = cli.run(args);
        Map<String, String> errors = new HashMap<>();
        if (r.exitCode() != 0) {
            return errors;
        }
        for (Object o : asList(parseJson(r.stdout()))) {
            Map<String, Object> c = asMap(o);
            Map<String, Object> state = asMap(c.get("State"));
            String error = state.get("Error") == null ? "" : String.valueOf(state.get("Error"));
            if (Boolean.TRUE.equals(state.get("OOMKilled"))) {
                error = error.isEmpty() ? "killed: out of memory" : error + "; killed: out of memory";
            }
            if (!error.isEmpty()) {
                errors.put(String.valueOf(c.get("Name")), error);
            }
        }
        return errors;
    }

    private static Object parseJson(String json) {
        LoaderOptions options = new LoaderOptions();
        options.setCodePointLimit(PodmanCli.MAX_OUTPUT);
        try {
            return json.isBlank() ? List.of() : new Yaml(new SafeConstructor(options)).load(json);
        } catch (RuntimeException e) {
            throw new RuntimeEngineException(NAME + ": podman printed output that is not JSON: " + e.getMessage(), e);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return o instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    @SuppressWarnings("unchecked")
    private static List<Object> asList(Object o) {
        return o instanceof List<?> l ? (List<Object>) l : List.of();
    }

    private static int num(Object o) {
        return o instanceof Number n ? n.intValue() : 0;
    }

    private <T> CompletableFuture<T> async(Supplier<T> work) {
        try {
            return CompletableFuture.supplyAsync(work, executor);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            return CompletableFuture.failedFuture(new RuntimeEngineException(NAME + " engine is stopped"));
        }
    }

    static Throwable unwrap(Throwable t) {
        while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}

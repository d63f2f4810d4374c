package io.hivemesh.runtime.podman.internal;

import io.hivemesh.api.runtime.EngineInfo;
import io.hivemesh.api.runtime.PortMapping;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.RuntimeEngineException;
import io.hivemesh.runtime.manifest.ContainerObservation;
import io.hivemesh.runtime.manifest.PodPlan;
import io.hivemesh.runtime.manifest.PodSpec;
import io.hivemesh.runtime.spi.ContainerRuntimeEngine;
import io.hivemesh.runtime.spi.EngineThreads;
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
import java.util.concurrent.ExecutorService;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
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
public final class PodmanEngine extends ContainerRuntimeEngine<ContainerObservation> {
    public static final String NAME = "podman";

    private final PodmanCli cli;

    public PodmanEngine(PodmanCli cli, ExecutorService executor) {
        super(NAME, executor);
        this.cli = cli;
    }

    @Override
    protected EngineInfo probe() {
        PodmanCli.Result r = cli.run(List.of("version", "--format", "{{.Client.Version}}"));
        if (r.exitCode() != 0) {
            return new EngineInfo(NAME, false, "", "podman (" + cli.target() + ") does not answer: " + r.error());
        }
        return new EngineInfo(NAME, true, r.stdout().strip(), "");
    }

    @Override
    protected void apply(String workloadId, List<PodSpec> pods) {
        // The workload's pods before this deploy, listed while kube play runs (pods it creates
        // are not stale: only names outside the new plan are removed afterwards).
        CompletableFuture<Set<String>> listing = CompletableFuture.supplyAsync(() -> podNames(workloadId),
                EngineThreads.threadPerTask("hivemesh-podman-list"));
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
    }

    /** Removes whatever the failed deploy left and returns the error to throw (naming a failed clean-up too). */
    private RuntimeEngineException cleanUp(String workloadId, List<PodSpec> pods, String cause) {
        return deployFailed(workloadId, cause, null, "pods", () -> {
            Set<String> names = podNames(workloadId);
            pods.forEach(p -> names.add(p.name()));
            List<String> args = new ArrayList<>(List.of("pod", "rm", "-f", "-i", "-t", "0"));
            args.addAll(names);
            cli.check("pod rm", args);
        });
    }

    @Override
    protected String containerName(ContainerObservation container) {
        return container.name();
    }

    @Override
    protected List<ContainerObservation> observe(String labelFilter) {
        return containers(labelFilter);
    }

    @Override
    protected List<String> logLines(ContainerObservation c, int tail) {
        PodmanCli.Result r = cli.run(List.of("logs", "--tail", Integer.toString(tail), c.name()));
        if (r.exitCode() != 0) {
            throw new RuntimeEngineException(NAME + ": logs of " + c.name() + " failed: " + r.error());
        }
        return (r.stdout() + r.stderr()).lines().filter(l -> !l.startsWith("failed to connect to syslog")).toList();
    }

    @Override
    protected LogStream openLogStream(String workloadId, ContainerObservation c, int tail) throws IOException {
        List<String> cmd = cli.prefix();
        cmd.addAll(List.of("logs", "-f", "--tail", Integer.toString(tail), c.name()));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true)
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        return new LogStream() {
            @Override
            public void readAll(Consumer<String> onLine, BooleanSupplier abandoned) {
                read(p, onLine);
            }

            @Override
            public void close() {
                p.destroy();
            }
        };
    }

    private static void read(Process p, Consumer<String> onLine) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                if (!line.startsWith("failed to connect to syslog")) {
                    onLine.accept(line);
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
                throw noWorkload(workloadId);
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

    private Set<String> podNames(String workloadId) {
        String out = cli.check(NAME + ": listing pods", List.of("pod", "ps", "--filter",
                "label=" + RuntimeEngine.WORKLOAD_LABEL + "=" + workloadId, "--filter",
                "label=" + PodPlan.ENGINE_LABEL + "=" + NAME, "--format", "{{.Name}}"));
        Set<String> names = new LinkedHashSet<>();
        out.lines().map(String::strip).filter(s -> !s.isEmpty()).forEach(names::add);
        return names;
    }

    /** The app containers (not pod infra containers) matching a label filter, as podman reports them. */
    @Override
    protected List<ContainerObservation> containers(String labelFilter) {
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
}

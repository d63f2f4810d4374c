package io.hivemesh.runtime.internal;

import io.hivemesh.api.runtime.EngineInfo;
import io.hivemesh.api.runtime.NoSuchWorkloadException;
import io.hivemesh.api.runtime.RuntimeEngine;
import io.hivemesh.api.runtime.RuntimeEngineException;
import io.hivemesh.api.runtime.RuntimeEngines;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * The engines registered now, with their ranking, and the selection rule of {@link RuntimeEngines}.
 * Plain class (the DS component feeds it); thread-safe.
 */
public final class EngineRegistry implements RuntimeEngines {
    private record Entry(RuntimeEngine engine, int ranking, long serviceId) {
    }

    private final CopyOnWriteArrayList<Entry> entries = new CopyOnWriteArrayList<>();
    private final Duration probeTimeout;
    private volatile String preferred;

    public EngineRegistry(String preferred, Duration probeTimeout) {
        this.preferred = preferred == null ? "" : preferred.trim();
        this.probeTimeout = probeTimeout;
    }

    public void setPreferred(String preferred) {
        this.preferred = preferred == null ? "" : preferred.trim();
    }

    public String preferred() {
        return preferred;
    }

    public void add(RuntimeEngine engine, int ranking, long serviceId) {
        entries.add(new Entry(engine, ranking, serviceId));
    }

    public void remove(RuntimeEngine engine) {
        entries.removeIf(e -> e.engine() == engine);
    }

    @Override
    public List<RuntimeEngine> engines() {
        List<Entry> sorted = new ArrayList<>(entries);
        sorted.sort(Comparator.comparingInt(Entry::ranking).reversed().thenComparingLong(Entry::serviceId));
        return sorted.stream().map(Entry::engine).toList();
    }

    @Override
    public Optional<RuntimeEngine> engine(String name) {
        return engines().stream().filter(e -> e.name().equals(name)).findFirst();
    }

    @Override
    public CompletableFuture<RuntimeEngine> select(Optional<String> name) {
        List<RuntimeEngine> engines = engines();
        if (name.isPresent()) {
            Optional<RuntimeEngine> engine = engine(name.get());
            if (engine.isEmpty()) {
                return CompletableFuture.failedFuture(new RuntimeEngineException("no runtime engine named '"
                        + name.get() + "' is installed (installed: " + names(engines) + ")"));
            }
            return probe(engine.get()).thenApply(info -> {
                if (!info.available()) {
                    throw new RuntimeEngineException("runtime engine '" + info.engine() + "' is not available: "
                            + info.reason());
                }
                return engine.get();
            });
        }
        if (engines.isEmpty()) {
            return CompletableFuture.failedFuture(new RuntimeEngineException(
                    "no runtime engine is installed (install a feature such as hivemesh-runtime-podman)"));
        }
        List<RuntimeEngine> order = new ArrayList<>(engines);
        String pref = preferred;
        order.sort(Comparator.comparing(e -> !e.name().equals(pref)));
        List<CompletableFuture<EngineInfo>> probes = order.stream().map(this::probe).toList();
        return CompletableFuture.allOf(probes.toArray(CompletableFuture[]::new)).thenApply(v -> {
            for (int i = 0; i < order.size(); i++) {
                if (probes.get(i).join().available()) {
                    return order.get(i);
                }
            }
            throw new RuntimeEngineException("no runtime engine is available: " + probes.stream()
                    .map(CompletableFuture::join).map(i -> i.engine() + " (" + i.reason() + ")")
                    .collect(Collectors.joining("; ")));
        });
    }

    @Override
    public CompletableFuture<Optional<RuntimeEngine>> locate(String workloadId) {
        List<RuntimeEngine> engines = engines();
        List<CompletableFuture<Boolean>> holds = engines.stream()
                .map(e -> e.status(workloadId).thenApply(s -> true)
                        .exceptionally(t -> false)
                        .completeOnTimeout(false, probeTimeout.toMillis(), TimeUnit.MILLISECONDS))
                .toList();
        return CompletableFuture.allOf(holds.toArray(CompletableFuture[]::new)).thenApply(v -> {
            for (int i = 0; i < engines.size(); i++) {
                if (holds.get(i).join()) {
                    return Optional.of(engines.get(i));
                }
            }
            return Optional.empty();
        });
    }

    /** Like {@link #locate} but fails with {@link NoSuchWorkloadException} when no engine holds it. */
    public CompletableFuture<RuntimeEngine> require(String workloadId) {
        return locate(workloadId).thenApply(e -> e.orElseThrow(() -> new NoSuchWorkloadException(
                "no runtime engine holds workload '" + workloadId + "' (engines: " + names(engines()) + ")")));
    }

    private CompletableFuture<EngineInfo> probe(RuntimeEngine engine) {
        CompletableFuture<EngineInfo> info;
        try {
            info = engine.info();
        } catch (RuntimeException e) {
            info = CompletableFuture.failedFuture(e);
        }
        return info.completeOnTimeout(new EngineInfo(engine.name(), false, "",
                        "no answer within " + probeTimeout.toMillis() + " ms"),
                        probeTimeout.toMillis(), TimeUnit.MILLISECONDS)
                .exceptionally(t -> new EngineInfo(engine.name(), false, "", cause(t).getMessage()));
    }

    private static Throwable cause(Throwable t) {
        return t instanceof CompletionException && t.getCause() != null ? t.getCause() : t;
    }

    private static String names(List<RuntimeEngine> engines) {
        return engines.isEmpty() ? "none" : engines.stream().map(RuntimeEngine::name).collect(Collectors.joining(", "));
    }
}

package io.hivemesh.dht.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;

/**
 * Runs asynchronous tasks at most {@code maxInFlight} at a time, the rest queued in submission
 * order, each started when an earlier one completes. A task is named: submitting a name that is
 * still queued or running adds nothing and returns the pending result. Used to spread republishing
 * and reproviding instead of starting them all at once. Thread-safe.
 */
final class Throttle {
    private record Task(Supplier<CompletableFuture<Integer>> work, CompletableFuture<Integer> result) {
    }

    private final int maxInFlight;
    private final LinkedHashMap<String, Task> queued = new LinkedHashMap<>();
    private final Map<String, Task> running = new HashMap<>();

    Throttle(int maxInFlight) {
        if (maxInFlight < 1) {
            throw new IllegalArgumentException("a throttle runs at least one task at a time, not " + maxInFlight);
        }
        this.maxInFlight = maxInFlight;
    }

    /**
     * Queues {@code work} under {@code name} unless a task of that name is pending.
     *
     * @return the result of the pending task of that name; a task that throws or fails completes
     *         exceptionally
     */
    CompletableFuture<Integer> submit(String name, Supplier<CompletableFuture<Integer>> work) {
        CompletableFuture<Integer> result;
        synchronized (this) {
            Task pending = running.containsKey(name) ? running.get(name) : queued.get(name);
            if (pending != null) {
                return pending.result();
            }
            Task t = new Task(work, new CompletableFuture<>());
            queued.put(name, t);
            result = t.result();
        }
        pump();
        return result;
    }

    /** Whether a task of that name is queued or running. */
    synchronized boolean pending(String name) {
        return running.containsKey(name) || queued.containsKey(name);
    }

    synchronized int running() {
        return running.size();
    }

    synchronized int queued() {
        return queued.size();
    }

    private void pump() {
        List<Map.Entry<String, Task>> start = new ArrayList<>();
        synchronized (this) {
            var it = queued.entrySet().iterator();
            while (running.size() < maxInFlight && it.hasNext()) {
                Map.Entry<String, Task> e = it.next();
                it.remove();
                running.put(e.getKey(), e.getValue());
                start.add(e);
            }
        }
        for (Map.Entry<String, Task> e : start) {
            CompletableFuture<Integer> f;
            try {
                f = e.getValue().work().get();
            } catch (RuntimeException ex) {
                f = CompletableFuture.failedFuture(ex);
            }
            f.whenComplete((v, err) -> {
                synchronized (this) {
                    running.remove(e.getKey());
                }
                if (err != null) {
                    e.getValue().result().completeExceptionally(err);
                } else {
                    e.getValue().result().complete(v);
                }
                pump();
            });
        }
    }
}

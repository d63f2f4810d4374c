package io.hivemesh.workload.internal;

import io.hivemesh.protocol.MachineMessage.WorkloadEvent;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The events this node knows per task (its own and those gossiped by others), oldest first,
 * bounded per task and in the number of tasks. Thread-safe.
 */
public final class TaskEvents {
    private final int perTask;
    private final int maxTasks;
    private final Map<String, Deque<WorkloadEvent>> byTask = new HashMap<>();
    private final Deque<String> order = new ArrayDeque<>();

    public TaskEvents(int perTask, int maxTasks) {
        this.perTask = perTask;
        this.maxTasks = maxTasks;
    }

    /** Records {@code e}; an identical event (same node, kind, time and text) is kept once. */
    public synchronized void add(WorkloadEvent e) {
        Deque<WorkloadEvent> q = byTask.get(e.taskId());
        if (q == null) {
            if (byTask.size() >= maxTasks) {
                byTask.remove(order.pollFirst());
            }
            q = new ArrayDeque<>();
            byTask.put(e.taskId(), q);
            order.addLast(e.taskId());
        }
        for (WorkloadEvent old : q) {
            if (old.atMillis() == e.atMillis() && old.kind().equals(e.kind()) && old.node().equals(e.node())
                    && old.message().equals(e.message())) {
                return;
            }
        }
        q.addLast(e);
        while (q.size() > perTask) {
            q.pollFirst();
        }
    }

    /** The events of {@code taskId}, ordered by time. */
    public synchronized List<WorkloadEvent> of(String taskId) {
        Deque<WorkloadEvent> q = byTask.get(taskId);
        List<WorkloadEvent> out = q == null ? new ArrayList<>() : new ArrayList<>(q);
        out.sort(java.util.Comparator.comparingLong(WorkloadEvent::atMillis));
        return out;
    }

    /** Every event known, ordered by time. */
    public synchronized List<WorkloadEvent> all() {
        List<WorkloadEvent> out = new ArrayList<>();
        byTask.values().forEach(out::addAll);
        out.sort(java.util.Comparator.comparingLong(WorkloadEvent::atMillis));
        return out;
    }
}

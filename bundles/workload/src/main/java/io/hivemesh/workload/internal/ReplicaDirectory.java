package io.hivemesh.workload.internal;

import io.hivemesh.protocol.MachineMessage.StatusReport;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The latest status report each node gossiped about each task it runs: what any node shows for
 * {@code workload:get} beside the DHT's provider records. Bounded; thread-safe.
 */
public final class ReplicaDirectory {
    private final int max;
    private final Map<String, StatusReport> latest = new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, StatusReport> e) {
            return size() > max;
        }
    };

    public ReplicaDirectory(int max) {
        this.max = max;
    }

    public synchronized void record(StatusReport s) {
        String key = s.taskId() + "/" + s.node() + "/" + s.generation() + "/" + s.replica();
        StatusReport old = latest.get(key);
        if (old == null || old.atMillis() <= s.atMillis()) {
            latest.put(key, s);
        }
    }

    /** The reports about {@code taskId}, by replica then node. */
    public synchronized List<StatusReport> of(String taskId) {
        List<StatusReport> out = new ArrayList<>();
        for (StatusReport s : latest.values()) {
            if (s.taskId().equals(taskId)) {
                out.add(s);
            }
        }
        out.sort(Comparator.comparingInt(StatusReport::replica).thenComparing(s -> s.node().toString()));
        return out;
    }
}

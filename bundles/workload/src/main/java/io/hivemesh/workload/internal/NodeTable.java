package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.PeerId;
import io.hivemesh.protocol.MachineMessage.Heartbeat;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The mesh nodes as their last heartbeat described them (capacity, free, replicas), bounded. Thread-safe. */
public final class NodeTable {
    private final int max;
    private final Map<PeerId, Heartbeat> last = new LinkedHashMap<>();

    public NodeTable(int max) {
        this.max = max;
    }

    /** Keeps {@code hb} unless an equally new or newer one of that node is known. */
    public synchronized void record(Heartbeat hb) {
        Heartbeat old = last.get(hb.node());
        if (old != null && old.atMillis() >= hb.atMillis()) {
            return;
        }
        if (old == null && last.size() >= max) {
            PeerId oldest = last.values().stream().min(Comparator.comparingLong(Heartbeat::atMillis))
                    .map(Heartbeat::node).orElseThrow();
            last.remove(oldest);
        }
        last.put(hb.node(), hb);
    }

    public synchronized Optional<Heartbeat> get(PeerId node) {
        return Optional.ofNullable(last.get(node));
    }

    /** Every node, by PeerId. */
    public synchronized List<Heartbeat> all() {
        List<Heartbeat> out = new ArrayList<>(last.values());
        out.sort(Comparator.comparing(h -> h.node().toString()));
        return out;
    }

    /** Nodes heard from since {@code sinceMillis}. */
    public synchronized List<PeerId> aliveSince(long sinceMillis) {
        List<PeerId> out = new ArrayList<>();
        for (Heartbeat h : last.values()) {
            if (h.atMillis() >= sinceMillis) {
                out.add(h.node());
            }
        }
        return out;
    }
}

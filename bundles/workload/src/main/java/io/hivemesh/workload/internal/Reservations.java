package io.hivemesh.workload.internal;

import io.hivemesh.protocol.MachineMessage.ReplicaRef;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What the replicas on this node have reserved of its capacity. A reservation is made atomically
 * and only if it fits beside the others: the node never overcommits, whatever its bids said.
 * Thread-safe. Rebuilt from the store's replica records at start.
 */
public final class Reservations {
    private final Map<ReplicaRef, Capacity> held = new LinkedHashMap<>();

    /** Reserves {@code cpuMillis}/{@code memoryBytes} for {@code ref} if it fits in {@code total}; idempotent per ref. */
    public synchronized boolean tryReserve(ReplicaRef ref, long cpuMillis, long memoryBytes, Capacity total) {
        if (held.containsKey(ref)) {
            return true;
        }
        Capacity free = free(total);
        if (cpuMillis > free.cpuMillis() || memoryBytes > free.memoryBytes()) {
            return false;
        }
        held.put(ref, new Capacity(cpuMillis, memoryBytes));
        return true;
    }

    public synchronized void release(ReplicaRef ref) {
        held.remove(ref);
    }

    /** {@code total} minus every reservation (never below zero). */
    public synchronized Capacity free(Capacity total) {
        long cpu = total.cpuMillis();
        long mem = total.memoryBytes();
        for (Capacity c : held.values()) {
            cpu -= c.cpuMillis();
            mem -= c.memoryBytes();
        }
        return new Capacity(Math.max(0, cpu), Math.max(0, mem));
    }

    /** The reservations, in the order they were made. */
    public synchronized Map<ReplicaRef, Capacity> reserved() {
        return Map.copyOf(held);
    }
}

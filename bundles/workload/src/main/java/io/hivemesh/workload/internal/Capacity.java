package io.hivemesh.workload.internal;

/** CPU (millicores) and memory (bytes): what a node has, has free, or a replica needs. */
public record Capacity(long cpuMillis, long memoryBytes) {
    public Capacity {
        if (cpuMillis < 0 || memoryBytes < 0) {
            throw new IllegalArgumentException("capacity cannot be negative: " + cpuMillis + "m, " + memoryBytes + " bytes");
        }
    }

    @Override
    public String toString() {
        return cpuMillis + "m CPU, " + (memoryBytes >> 20) + " MiB";
    }
}

package io.hivemesh.workload.internal;

import java.time.Duration;
import java.util.Optional;

/**
 * The machine plane's tunables (PID {@code io.hivemesh.workload}, see
 * {@code config/io.hivemesh.workload.cfg} for what each means and its default).
 */
public record MachineSettings(String tenant, Duration bidWindow, Duration heartbeatInterval, Duration nodeGrace,
                              Duration retenderMin, Duration retenderMax, int maxHolders, Duration capabilityTtl,
                              Duration requestTimeout, Duration shareTimeout, Optional<String> engine,
                              boolean bidOnOwnTasks, long defaultCpuMillis, long defaultMemoryBytes) {
    public MachineSettings {
        if (bidWindow.isNegative() || bidWindow.isZero()) {
            throw new IllegalArgumentException("bid window must be positive, not " + bidWindow);
        }
        if (maxHolders < 1 || maxHolders > 64) {
            throw new IllegalArgumentException("max share holders must be 1..64, not " + maxHolders);
        }
    }

    /** The documented defaults. */
    public static MachineSettings defaults() {
        return new MachineSettings("default", Duration.ofMillis(250), Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.ofSeconds(1), Duration.ofSeconds(30), 5, Duration.ofMinutes(5), Duration.ofSeconds(5),
                Duration.ofSeconds(20), Optional.empty(), true, 100, 128L << 20);
    }
}

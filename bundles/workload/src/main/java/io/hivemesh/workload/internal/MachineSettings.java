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
                              boolean bidOnOwnTasks, long defaultCpuMillis, long defaultMemoryBytes,
                              Duration ownerGrace) {
    /** The default of {@link #ownerGrace}: how long a task's owner may be unheard of before a guardian heals. */
    public static final Duration DEFAULT_OWNER_GRACE = Duration.ofSeconds(30);

    public MachineSettings {
        if (ownerGrace.isNegative() || ownerGrace.isZero()) {
            throw new IllegalArgumentException("owner grace must be positive, not " + ownerGrace);
        }
        if (bidWindow.isNegative() || bidWindow.isZero()) {
            throw new IllegalArgumentException("bid window must be positive, not " + bidWindow);
        }
        if (maxHolders < 1 || maxHolders > 64) {
            throw new IllegalArgumentException("max share holders must be 1..64, not " + maxHolders);
        }
    }

    /** The settings with the default {@link #ownerGrace}. */
    public MachineSettings(String tenant, Duration bidWindow, Duration heartbeatInterval, Duration nodeGrace,
                           Duration retenderMin, Duration retenderMax, int maxHolders, Duration capabilityTtl,
                           Duration requestTimeout, Duration shareTimeout, Optional<String> engine,
                           boolean bidOnOwnTasks, long defaultCpuMillis, long defaultMemoryBytes) {
        this(tenant, bidWindow, heartbeatInterval, nodeGrace, retenderMin, retenderMax, maxHolders, capabilityTtl,
                requestTimeout, shareTimeout, engine, bidOnOwnTasks, defaultCpuMillis, defaultMemoryBytes,
                DEFAULT_OWNER_GRACE);
    }

    /** These settings with {@code grace} as the owner grace. */
    public MachineSettings withOwnerGrace(Duration grace) {
        return new MachineSettings(tenant, bidWindow, heartbeatInterval, nodeGrace, retenderMin, retenderMax,
                maxHolders, capabilityTtl, requestTimeout, shareTimeout, engine, bidOnOwnTasks, defaultCpuMillis,
                defaultMemoryBytes, grace);
    }

    /** The documented defaults. */
    public static MachineSettings defaults() {
        return new MachineSettings("default", Duration.ofMillis(250), Duration.ofSeconds(2), Duration.ofSeconds(10),
                Duration.ofSeconds(1), Duration.ofSeconds(30), 5, Duration.ofMinutes(5), Duration.ofSeconds(5),
                Duration.ofSeconds(20), Optional.empty(), true, 100, 128L << 20);
    }
}

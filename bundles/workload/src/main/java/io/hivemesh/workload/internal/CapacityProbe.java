package io.hivemesh.workload.internal;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.IntSupplier;
import java.util.function.LongSupplier;

/**
 * What this node can give to replicas: CPU (millicores) and memory (bytes). Each is the smallest of
 * what the process's cgroups allow ({@link CgroupLimits}: v2, else v1), what the machine has
 * ({@code /proc/meminfo} {@code MemTotal}; {@link Runtime#availableProcessors()}), minus a reserve
 * kept for the node itself: {@code reservePercent} of it, but at least {@value #MIN_RESERVE_CPU_MILLIS} m
 * and 256 MiB, never below zero. A non-zero override replaces the measured value, and no reserve is
 * taken from it. Measurements are cached for 5 seconds. Thread-safe.
 */
public final class CapacityProbe {
    /** CPU always kept back from a measured value (millicores). */
    public static final long MIN_RESERVE_CPU_MILLIS = 200;
    /** Memory always kept back from a measured value (bytes). */
    public static final long MIN_RESERVE_MEMORY_BYTES = 256L << 20;

    private static final Logger LOG = LoggerFactory.getLogger(CapacityProbe.class);
    private static final long CACHE_NANOS = TimeUnit.SECONDS.toNanos(5);

    private final Path root;
    private final CgroupLimits cgroups;
    private final IntSupplier processors;
    private final LongSupplier platformMemory;
    private final LongSupplier nanoTime;
    private final long cpuMillisOverride;
    private final long memoryBytesOverride;
    private final int reservePercent;
    private Capacity cached;
    private long cachedAt;

    /**
     * The probe of the machine this JVM runs on.
     *
     * @param cpuMillisOverride CPU to offer instead of measuring (0: measure)
     * @param memoryBytesOverride memory to offer instead of measuring (0: measure)
     * @param reservePercent share of the measured values kept back, 0 to 100
     */
    public static CapacityProbe forThisMachine(long cpuMillisOverride, long memoryBytesOverride, int reservePercent) {
        return new CapacityProbe(Path.of("/"), Runtime.getRuntime()::availableProcessors, CapacityProbe::platformMemory,
                System::nanoTime, cpuMillisOverride, memoryBytesOverride, reservePercent);
    }

    /**
     * @param root file-system root under which {@code proc/} and {@code sys/fs/cgroup/} are read
     * @param processors the CPU count
     * @param platformMemory the machine's memory when {@code /proc/meminfo} is unreadable (0: unknown)
     * @param nanoTime the monotonic clock of the cache
     */
    CapacityProbe(Path root, IntSupplier processors, LongSupplier platformMemory, LongSupplier nanoTime,
                  long cpuMillisOverride, long memoryBytesOverride, int reservePercent) {
        if (cpuMillisOverride < 0 || memoryBytesOverride < 0) {
            throw new IllegalArgumentException("capacity overrides cannot be negative: " + cpuMillisOverride + " m, "
                    + memoryBytesOverride + " bytes");
        }
        if (reservePercent < 0 || reservePercent > 100) {
            throw new IllegalArgumentException("reserve_percent must be 0 to 100, not " + reservePercent);
        }
        this.root = root;
        this.cgroups = new CgroupLimits(root);
        this.processors = processors;
        this.platformMemory = platformMemory;
        this.nanoTime = nanoTime;
        this.cpuMillisOverride = cpuMillisOverride;
        this.memoryBytesOverride = memoryBytesOverride;
        this.reservePercent = reservePercent;
    }

    /** What this node offers, measured at most 5 seconds ago. */
    public synchronized Capacity measure() {
        long now = nanoTime.getAsLong();
        if (cached == null || now - cachedAt >= CACHE_NANOS) {
            cached = measureNow();
            cachedAt = now;
        }
        return cached;
    }

    private Capacity measureNow() {
        long cpu = cpuMillisOverride > 0 ? cpuMillisOverride : afterReserve(measuredCpuMillis(), MIN_RESERVE_CPU_MILLIS);
        long mem = memoryBytesOverride > 0 ? memoryBytesOverride
                : afterReserve(measuredMemoryBytes(), MIN_RESERVE_MEMORY_BYTES);
        return new Capacity(cpu, mem);
    }

    /** The smallest CPU limit found (millicores), before the reserve. */
    long measuredCpuMillis() {
        long cpus = Math.max(1, processors.getAsInt()) * 1000L;
        OptionalLong cgroup = cgroups.cpuMillis();
        long cpu = cgroup.isPresent() ? Math.min(cpus, cgroup.getAsLong()) : cpus;
        LOG.debug("CPU: {} processors, cgroup limit {} → {} m", cpus / 1000, cgroup, cpu);
        return cpu;
    }

    /** The smallest memory limit found (bytes), before the reserve; 0 if no source is readable. */
    long measuredMemoryBytes() {
        OptionalLong total = memTotal();
        if (total.isEmpty()) {
            long platform = platformMemory.getAsLong();
            total = platform > 0 ? OptionalLong.of(platform) : OptionalLong.empty();
        }
        OptionalLong cgroup = cgroups.memoryBytes();
        long mem;
        if (total.isPresent() && cgroup.isPresent()) {
            mem = Math.min(total.getAsLong(), cgroup.getAsLong());
        } else if (total.isPresent() || cgroup.isPresent()) {
            mem = total.isPresent() ? total.getAsLong() : cgroup.getAsLong();
        } else {
            LOG.warn("cannot measure memory: no /proc/meminfo, no cgroup limit, no platform value; offering none"
                    + " (set capacity_memory_bytes)");
            mem = 0;
        }
        LOG.debug("memory: machine {}, cgroup limit {} → {} bytes", total, cgroup, mem);
        return mem;
    }

    private long afterReserve(long measured, long minReserve) {
        long reserve = Math.max(minReserve, measured / 100 * reservePercent + measured % 100 * reservePercent / 100);
        return Math.max(0, measured - reserve);
    }

    private OptionalLong memTotal() {
        for (String line : CgroupLimits.lines(root.resolve("proc/meminfo"))) {
            if (line.startsWith("MemTotal:")) {
                String[] f = line.substring("MemTotal:".length()).trim().split("\\s+");
                try {
                    long v = Long.parseLong(f[0]);
                    long unit = f.length > 1 && "kB".equals(f[1]) ? 1024 : 1;
                    return v > 0 && v < Long.MAX_VALUE / unit ? OptionalLong.of(v * unit) : OptionalLong.empty();
                } catch (NumberFormatException e) {
                    return OptionalLong.empty();
                }
            }
        }
        return OptionalLong.empty();
    }

    /**
     * The physical memory the JVM reports ({@code com.sun.management.OperatingSystemMXBean#getTotalMemorySize}),
     * read reflectively through the MXBean's public interface so that the bundle imports no
     * {@code com.sun} package; 0 if unavailable.
     */
    private static long platformMemory() {
        Object bean = ManagementFactory.getOperatingSystemMXBean();
        for (Class<?> type : bean.getClass().getInterfaces()) {
            try {
                Method m = type.getMethod("getTotalMemorySize");
                Object v = m.invoke(bean);
                if (v instanceof Long l) {
                    return l;
                }
            } catch (ReflectiveOperationException | RuntimeException e) {
                // not this interface
            }
        }
        return 0;
    }
}

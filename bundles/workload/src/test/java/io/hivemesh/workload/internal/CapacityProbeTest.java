package io.hivemesh.workload.internal;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The probe over fake {@code /proc} and {@code /sys/fs/cgroup} trees. */
class CapacityProbeTest {
    private static final long MIB = 1L << 20;
    private static final long GIB = 1L << 30;

    @TempDir
    Path root;
    private final AtomicLong nanos = new AtomicLong();

    private void write(String path, String content) throws IOException {
        Path file = root.resolve(path);
        Files.createDirectories(file.getParent());
        Files.writeString(file, content);
    }

    private CapacityProbe probe(int processors, long cpuOverride, long memOverride, int reservePercent) {
        return new CapacityProbe(root, () -> processors, () -> 0, nanos::get, cpuOverride, memOverride, reservePercent);
    }

    private CapacityProbe probe(int processors) {
        return probe(processors, 0, 0, 10);
    }

    private void meminfo(long bytes) throws IOException {
        write("proc/meminfo", "MemTotal:       " + bytes / 1024 + " kB\nMemFree:         1000 kB\n");
    }

    @Test
    void cgroupV2WithoutLimitsGivesTheMachineMinusTenPercent() throws IOException {
        meminfo(8 * GIB);
        write("proc/self/cgroup", "0::/user.slice/karaf.scope\n");
        write("sys/fs/cgroup/user.slice/karaf.scope/cpu.max", "max 100000\n");
        write("sys/fs/cgroup/user.slice/karaf.scope/memory.max", "max\n");
        CapacityProbe p = probe(4);
        assertEquals(4000, p.measuredCpuMillis());
        assertEquals(8 * GIB, p.measuredMemoryBytes());
        assertEquals(new Capacity(3600, 8 * GIB - 8 * GIB / 10), p.measure());
    }

    @Test
    void cgroupV2QuotaAndMemoryLimitAreTheTighter() throws IOException {
        meminfo(16 * GIB);
        write("proc/self/cgroup", "0::/\n");
        write("sys/fs/cgroup/cpu.max", "150000 100000\n");
        write("sys/fs/cgroup/memory.max", (2 * GIB) + "\n");
        CapacityProbe p = probe(8);
        assertEquals(1500, p.measuredCpuMillis());
        assertEquals(2 * GIB, p.measuredMemoryBytes());
        assertEquals(new Capacity(1300, 2 * GIB - 256 * MIB), p.measure(), "the minimum reserve is 200 m and 256 MiB");
    }

    @Test
    void aTighterParentCgroupBindsItsChild() throws IOException {
        meminfo(16 * GIB);
        write("proc/self/cgroup", "0::/machine.slice/pod/karaf\n");
        write("sys/fs/cgroup/machine.slice/pod/karaf/cpu.max", "max 100000\n");
        write("sys/fs/cgroup/machine.slice/pod/karaf/memory.max", (4 * GIB) + "\n");
        write("sys/fs/cgroup/machine.slice/pod/cpu.max", "50000 100000\n");
        write("sys/fs/cgroup/machine.slice/pod/memory.max", GIB + "\n");
        write("sys/fs/cgroup/machine.slice/memory.max", "max\n");
        CapacityProbe p = probe(8);
        assertEquals(500, p.measuredCpuMillis());
        assertEquals(GIB, p.measuredMemoryBytes());
    }

    @Test
    void cgroupV1QuotaAndMemoryLimit() throws IOException {
        meminfo(16 * GIB);
        write("proc/self/cgroup", "12:memory:/docker/abc\n4:cpu,cpuacct:/docker/abc\n1:name=systemd:/docker/abc\n");
        write("sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_quota_us", "200000\n");
        write("sys/fs/cgroup/cpu,cpuacct/docker/abc/cpu.cfs_period_us", "100000\n");
        write("sys/fs/cgroup/memory/docker/abc/memory.limit_in_bytes", (3 * GIB) + "\n");
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        CapacityProbe p = probe(8);
        assertEquals(2000, p.measuredCpuMillis());
        assertEquals(3 * GIB, p.measuredMemoryBytes());
    }

    @Test
    void cgroupV1WithoutLimitsFallsBackToTheMachine() throws IOException {
        meminfo(4 * GIB);
        write("proc/self/cgroup", "12:memory:/\n4:cpu,cpuacct:/\n");
        write("sys/fs/cgroup/cpu,cpuacct/cpu.cfs_quota_us", "-1\n");
        write("sys/fs/cgroup/cpu,cpuacct/cpu.cfs_period_us", "100000\n");
        write("sys/fs/cgroup/memory/memory.limit_in_bytes", "9223372036854771712\n");
        CapacityProbe p = probe(2);
        assertEquals(2000, p.measuredCpuMillis());
        assertEquals(4 * GIB, p.measuredMemoryBytes());
    }

    @Test
    void aCgroupNamespaceFindsItsLimitsAtTheRoot() throws IOException {
        meminfo(16 * GIB);
        write("proc/self/cgroup", "0::/../../user.slice/other\n");
        write("sys/fs/cgroup/cpu.max", "300000 100000\n");
        write("sys/fs/cgroup/memory.max", (5 * GIB) + "\n");
        CapacityProbe p = probe(8);
        assertEquals(3000, p.measuredCpuMillis());
        assertEquals(5 * GIB, p.measuredMemoryBytes());
    }

    @Test
    void missingOrMalformedFilesFallBackToTheNextSource() throws IOException {
        CapacityProbe nothing = probe(3);
        assertEquals(3000, nothing.measuredCpuMillis(), "no /proc/self/cgroup: the CPU count");
        assertEquals(0, nothing.measuredMemoryBytes(), "no source of memory at all");
        assertEquals(new Capacity(2700, 0), nothing.measure());

        meminfo(2 * GIB);
        write("proc/self/cgroup", "0::/gone/away\n");
        assertEquals(2 * GIB, probe(3).measuredMemoryBytes(), "cgroup directory missing: /proc/meminfo");

        write("sys/fs/cgroup/gone/away/cpu.max", "garbage\n");
        write("sys/fs/cgroup/gone/away/memory.max", "lots\n");
        assertEquals(3000, probe(3).measuredCpuMillis());
        assertEquals(2 * GIB, probe(3).measuredMemoryBytes());

        CapacityProbe platform = new CapacityProbe(root.resolve("empty"), () -> 1, () -> 3 * GIB, nanos::get, 0, 0, 10);
        assertEquals(3 * GIB, platform.measuredMemoryBytes(), "no /proc/meminfo: the JVM's figure");
    }

    @Test
    void overridesReplaceTheMeasurementWithoutReserve() throws IOException {
        meminfo(8 * GIB);
        assertEquals(new Capacity(5000, 8 * GIB - 8 * GIB / 10), probe(2, 5000, 0, 10).measure());
        assertEquals(new Capacity(1800, 100 * MIB), probe(2, 0, 100 * MIB, 10).measure());
        assertEquals(new Capacity(7, 9), probe(2, 7, 9, 50).measure());
    }

    @Test
    void theReserveNeverLeavesLessThanNothing() throws IOException {
        meminfo(200 * MIB);
        assertEquals(new Capacity(800, 0), probe(1).measure());
        assertEquals(new Capacity(1000, 0), probe(2, 0, 0, 50).measure(), "50 % of 2000 m; 256 MiB of 200 MiB");
        meminfo(8 * GIB);
        assertEquals(new Capacity(1000, 4 * GIB), probe(2, 0, 0, 50).measure(), "a percentage above the floors");
    }

    @Test
    void measurementsAreCachedForFiveSeconds() throws IOException {
        meminfo(8 * GIB);
        write("proc/self/cgroup", "0::/\n");
        write("sys/fs/cgroup/cpu.max", "400000 100000\n");
        CapacityProbe p = probe(8, 0, 0, 0);
        Capacity first = p.measure();
        assertEquals(3800, first.cpuMillis());
        write("sys/fs/cgroup/cpu.max", "200000 100000\n");
        nanos.addAndGet(TimeUnit.SECONDS.toNanos(5) - 1);
        assertEquals(first, p.measure());
        nanos.addAndGet(1);
        assertEquals(1800, p.measure().cpuMillis());
    }

    @Test
    void refusesBadSettings() {
        assertThrows(IllegalArgumentException.class, () -> probe(1, 0, 0, 101));
        assertThrows(IllegalArgumentException.class, () -> probe(1, 0, 0, -1));
        assertThrows(IllegalArgumentException.class, () -> probe(1, -1, 0, 10));
    }

    @Test
    void thisMachineHasSomething() {
        Capacity c = CapacityProbe.forThisMachine(0, 0, 10).measure();
        assertTrue(c.cpuMillis() > 0, c.toString());
        assertTrue(c.memoryBytes() > 0, c.toString());
    }
}

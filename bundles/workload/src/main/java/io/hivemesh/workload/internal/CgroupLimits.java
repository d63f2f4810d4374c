package io.hivemesh.workload.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The CPU and memory limits the cgroups of this process impose, read under a file-system root
 * ({@code /} in production, a fake tree in tests). The process's cgroups come from
 * {@code /proc/self/cgroup}; each limit is the tightest along the path from the process's cgroup up
 * to the hierarchy's root (a parent's limit binds its children). Directories that do not exist are
 * skipped, so a cgroup namespace (whose {@code /sys/fs/cgroup} is the process's own cgroup) still
 * finds its limits at the root.
 *
 * <ul>
 *   <li>cgroup v2 (line {@code 0::<path>}): {@code /sys/fs/cgroup/<path>/cpu.max}
 *       ({@code "max <period>"} or {@code "<quota> <period>"}) and {@code memory.max}
 *       ({@code max} or bytes).</li>
 *   <li>cgroup v1 (lines {@code <id>:<controllers>:<path>}): {@code cpu.cfs_quota_us} (-1: none) over
 *       {@code cpu.cfs_period_us} under the {@code cpu} controller's mount, {@code memory.limit_in_bytes}
 *       under {@code memory}'s (values of 2^62 or more mean none).</li>
 * </ul>
 * A file that is missing, unreadable or malformed gives no limit. Stateless; reads the files on each call.
 */
final class CgroupLimits {
    private static final long V1_UNLIMITED = 1L << 62;

    private final Path root;

    CgroupLimits(Path root) {
        this.root = root;
    }

    /** The tightest CPU limit in millicores, if any cgroup sets one. */
    OptionalLong cpuMillis() {
        OptionalLong best = OptionalLong.empty();
        for (Membership m : memberships()) {
            if (m.v2()) {
                for (Path dir : ancestors(root.resolve("sys/fs/cgroup"), m.path())) {
                    best = min(best, v2Cpu(dir.resolve("cpu.max")));
                }
            } else if (m.controllers().contains("cpu")) {
                Optional<Path> mount = v1Mount(m, "cpu");
                if (mount.isPresent()) {
                    for (Path dir : ancestors(mount.get(), m.path())) {
                        best = min(best, v1Cpu(dir));
                    }
                }
            }
        }
        return best;
    }

    /** The tightest memory limit in bytes, if any cgroup sets one. */
    OptionalLong memoryBytes() {
        OptionalLong best = OptionalLong.empty();
        for (Membership m : memberships()) {
            if (m.v2()) {
                for (Path dir : ancestors(root.resolve("sys/fs/cgroup"), m.path())) {
                    best = min(best, v2Memory(dir.resolve("memory.max")));
                }
            } else if (m.controllers().contains("memory")) {
                Optional<Path> mount = v1Mount(m, "memory");
                if (mount.isPresent()) {
                    for (Path dir : ancestors(mount.get(), m.path())) {
                        best = min(best, v1Memory(dir.resolve("memory.limit_in_bytes")));
                    }
                }
            }
        }
        return best;
    }

    /** One line of {@code /proc/self/cgroup}. */
    private record Membership(List<String> controllers, String path, boolean v2) {
    }

    private List<Membership> memberships() {
        List<Membership> out = new ArrayList<>();
        for (String line : lines(root.resolve("proc/self/cgroup"))) {
            String[] parts = line.split(":", 3);
            if (parts.length != 3 || !parts[2].startsWith("/")) {
                continue;
            }
            boolean v2 = "0".equals(parts[0]) && parts[1].isEmpty();
            List<String> controllers = parts[1].isEmpty() ? List.of() : List.of(parts[1].split(","));
            out.add(new Membership(controllers, parts[2], v2));
        }
        return out;
    }

    /** Where a v1 controller is mounted: {@code /sys/fs/cgroup/<its controller list>}, else {@code /sys/fs/cgroup/<controller>}. */
    private Optional<Path> v1Mount(Membership m, String controller) {
        Path base = root.resolve("sys/fs/cgroup");
        for (String name : List.of(String.join(",", m.controllers()), controller)) {
            Path dir = base.resolve(name);
            if (Files.isDirectory(dir)) {
                return Optional.of(dir);
            }
        }
        return Optional.empty();
    }

    /** {@code mount/<path>}, its parents, ..., {@code mount}; a path leaving the mount (cgroup namespaces) gives only the mount. */
    private static List<Path> ancestors(Path mount, String cgroupPath) {
        List<Path> out = new ArrayList<>();
        Path leaf = mount.resolve(cgroupPath.substring(1)).normalize();
        if (!leaf.startsWith(mount.normalize())) {
            return List.of(mount);
        }
        for (Path p = leaf; p != null && p.startsWith(mount.normalize()); p = p.getParent()) {
            out.add(p);
        }
        return out;
    }

    private static OptionalLong v2Cpu(Path file) {
        String[] f = firstLine(file).trim().split("\\s+");
        if (f.length != 2 || "max".equals(f[0])) {
            return OptionalLong.empty();
        }
        return quota(f[0], f[1]);
    }

    private static OptionalLong v1Cpu(Path dir) {
        return quota(firstLine(dir.resolve("cpu.cfs_quota_us")).trim(), firstLine(dir.resolve("cpu.cfs_period_us")).trim());
    }

    private static OptionalLong quota(String quotaText, String periodText) {
        try {
            long quota = Long.parseLong(quotaText);
            long period = Long.parseLong(periodText);
            if (quota <= 0 || period <= 0 || quota > Long.MAX_VALUE / 1000) {
                return OptionalLong.empty();
            }
            return OptionalLong.of(quota * 1000 / period);
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong v2Memory(Path file) {
        String text = firstLine(file).trim();
        return "max".equals(text) ? OptionalLong.empty() : bytes(text);
    }

    private static OptionalLong v1Memory(Path file) {
        OptionalLong v = bytes(firstLine(file).trim());
        return v.isPresent() && v.getAsLong() >= V1_UNLIMITED ? OptionalLong.empty() : v;
    }

    private static OptionalLong bytes(String text) {
        try {
            long v = Long.parseLong(text);
            return v > 0 ? OptionalLong.of(v) : OptionalLong.empty();
        } catch (NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    private static OptionalLong min(OptionalLong a, OptionalLong b) {
        if (a.isEmpty()) {
            return b;
        }
        return b.isEmpty() ? a : OptionalLong.of(Math.min(a.getAsLong(), b.getAsLong()));
    }

    private static String firstLine(Path file) {
        List<String> lines = lines(file);
        return lines.isEmpty() ? "" : lines.get(0);
    }

    /** The file's lines, or none if it is missing or unreadable (kernel files are small). */
    static List<String> lines(Path file) {
        try {
            if (!Files.isRegularFile(file) || Files.size(file) > 1 << 20) {
                return List.of();
            }
            return Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
    }
}

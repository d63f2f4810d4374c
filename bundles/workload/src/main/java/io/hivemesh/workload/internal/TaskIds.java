package io.hivemesh.workload.internal;

import io.hivemesh.api.peer.PeerId;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Names of the machine plane. A task id is stable for a tenant and manifest name: the first 16
 * bytes of sha256("hivemesh-task:" + tenant + "/" + name) as 32 lower-case hex characters. A
 * replica's runtime workload id is {@code w<12 hex of the task>-g<generation>-r<replica>-<node tag>},
 * a lower-case DNS label of at most {@value #MAX_RUNTIME_ID} characters; the node tag (last
 * {@value #NODE_TAG_LENGTH} alphanumerics of the node's PeerId, lower-cased) keeps two nodes
 * sharing one runtime apart (the pods' labels carry the full PeerId). Stateless.
 */
public final class TaskIds {
    /** Longest runtime workload id (the runtime engines' limit). */
    public static final int MAX_RUNTIME_ID = 40;
    /** Characters of the PeerId in a node tag. */
    public static final int NODE_TAG_LENGTH = 6;
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?");
    private static final Pattern TASK_ID = Pattern.compile("[0-9a-f]{32}");
    private static final Pattern RUNTIME_ID = Pattern.compile("w[0-9a-f]{12}-g[0-9]{1,19}-r[0-9]{1,10}-([0-9a-z]{1,"
            + NODE_TAG_LENGTH + "})");

    private TaskIds() {
    }

    /** The task id of {@code name} applied by {@code tenant}; both must be lower-case DNS labels. */
    public static String taskId(String tenant, String name) {
        requireLabel("tenant", tenant);
        requireLabel("name", name);
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256")
                    .digest(("hivemesh-task:" + tenant + "/" + name).getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(Arrays.copyOf(digest, 16));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is not available", e);
        }
    }

    /** The same as {@link #taskId} (the design's name for it). */
    public static String of(String tenant, String name) {
        return taskId(tenant, name);
    }

    /** Whether {@code s} has the form of a task id (32 lower-case hex characters). */
    public static boolean isTaskId(String s) {
        return s != null && TASK_ID.matcher(s).matches();
    }

    /** The runtime workload id of replica {@code replica} of task generation {@code generation} on {@code node}. */
    public static String runtimeId(String taskId, long generation, int replica, PeerId node) {
        if (!isTaskId(taskId)) {
            throw new IllegalArgumentException("task id '" + taskId + "' is not 32 lower-case hex characters");
        }
        if (generation < 0) {
            throw new IllegalArgumentException("generation " + generation + " is negative");
        }
        if (replica < 0) {
            throw new IllegalArgumentException("replica " + replica + " is negative");
        }
        String id = "w" + taskId.substring(0, 12) + "-g" + generation + "-r" + replica + "-" + nodeTag(node);
        if (id.length() > MAX_RUNTIME_ID) {
            throw new IllegalArgumentException("runtime id '" + id + "' of generation " + generation + " replica "
                    + replica + " is longer than " + MAX_RUNTIME_ID + " characters");
        }
        return id;
    }

    /** The tag of {@code node} in runtime ids: the last alphanumerics of its PeerId, lower-cased. */
    public static String nodeTag(PeerId node) {
        String alnum = node.toString().toLowerCase(Locale.ROOT).replaceAll("[^0-9a-z]", "");
        if (alnum.isEmpty()) {
            throw new IllegalArgumentException("peer id " + node + " has no alphanumeric character");
        }
        return alnum.substring(Math.max(0, alnum.length() - NODE_TAG_LENGTH));
    }

    /** Whether {@code workloadId} is a replica's runtime id (of any task) ending in node tag {@code tag}. */
    public static boolean isReplicaOf(String workloadId, String tag) {
        if (workloadId == null) {
            return false;
        }
        var m = RUNTIME_ID.matcher(workloadId);
        return m.matches() && m.group(1).equals(tag);
    }

    private static void requireLabel(String what, String value) {
        if (value == null) {
            throw new IllegalArgumentException(what + " is missing");
        }
        if (!DNS_LABEL.matcher(value).matches()) {
            throw new IllegalArgumentException(what + " '" + value
                    + "' is not a lower-case DNS label (a-z, 0-9 and '-', not at either end, at most 63)");
        }
    }
}

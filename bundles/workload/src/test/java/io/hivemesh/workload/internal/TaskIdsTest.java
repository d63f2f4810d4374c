package io.hivemesh.workload.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.peer.PeerId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class TaskIdsTest {
    private static final Pattern RUNTIME_ID_RULE = Pattern.compile("[a-z0-9]([-a-z0-9]{0,38}[a-z0-9])?");

    @Test
    void taskIdIsTheFirstHalfOfTheSha256OfTenantAndName() throws Exception {
        byte[] digest = MessageDigest.getInstance("SHA-256")
                .digest("hivemesh-task:default/web".getBytes(StandardCharsets.UTF_8));
        String expected = HexFormat.of().formatHex(digest).substring(0, 32);
        assertEquals(expected, TaskIds.taskId("default", "web"));
        assertEquals(expected, TaskIds.of("default", "web"));
        assertTrue(TaskIds.isTaskId(expected));
    }

    @Test
    void taskIdIsStableAndSeparatesTenantsAndNames() {
        assertEquals(TaskIds.taskId("acme", "web"), TaskIds.taskId("acme", "web"));
        assertNotEquals(TaskIds.taskId("acme", "web"), TaskIds.taskId("other", "web"));
        assertNotEquals(TaskIds.taskId("acme", "web"), TaskIds.taskId("acme", "web2"));
        // "a/b" + "c" and "a" + "b/c" cannot meet: '/' is not allowed in either part.
        assertThrows(IllegalArgumentException.class, () -> TaskIds.taskId("a/b", "c"));
    }

    @Test
    void badTenantsAndNamesAreRefusedNamingTheValue() {
        IllegalArgumentException upper = assertThrows(IllegalArgumentException.class,
                () -> TaskIds.taskId("default", "Web"));
        assertTrue(upper.getMessage().contains("name 'Web'"), upper.getMessage());
        IllegalArgumentException dash = assertThrows(IllegalArgumentException.class,
                () -> TaskIds.taskId("-acme", "web"));
        assertTrue(dash.getMessage().contains("tenant '-acme'"), dash.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TaskIds.taskId("", "web"));
        assertThrows(IllegalArgumentException.class, () -> TaskIds.taskId("acme", "x".repeat(64)));
        assertEquals(32, TaskIds.taskId("acme", "x".repeat(63)).length());
        IllegalArgumentException missing = assertThrows(IllegalArgumentException.class,
                () -> TaskIds.taskId(null, "web"));
        assertTrue(missing.getMessage().contains("tenant"), missing.getMessage());
        assertFalse(TaskIds.isTaskId("ABCDEF0123456789ABCDEF0123456789"));
        assertFalse(TaskIds.isTaskId(null));
    }

    @Test
    void runtimeIdHasTheDesignedFormAndIsARuntimeWorkloadId() {
        PeerId node = TestPeers.peer(1);
        String task = TaskIds.taskId("default", "web");
        String tag = TaskIds.nodeTag(node);
        String s = node.toString().toLowerCase(Locale.ROOT);
        assertEquals(s.substring(s.length() - 6), tag);
        String id = TaskIds.runtimeId(task, 3, 1, node);
        assertEquals("w" + task.substring(0, 12) + "-g3-r1-" + tag, id);
        assertTrue(RUNTIME_ID_RULE.matcher(id).matches(), id);
        assertTrue(TaskIds.isReplicaOf(id, tag));
        assertFalse(TaskIds.isReplicaOf(id, TaskIds.nodeTag(TestPeers.peer(2))));
        assertFalse(TaskIds.isReplicaOf("web-1", tag));
        assertFalse(TaskIds.isReplicaOf(null, tag));
    }

    @Test
    void runtimeIdsOfTwoNodesOnOneRuntimeDiffer() {
        String task = TaskIds.taskId("default", "web");
        assertNotEquals(TaskIds.runtimeId(task, 1, 0, TestPeers.peer(1)), TaskIds.runtimeId(task, 1, 0, TestPeers.peer(2)));
        assertNotEquals(TaskIds.runtimeId(task, 1, 0, TestPeers.peer(1)), TaskIds.runtimeId(task, 2, 0, TestPeers.peer(1)));
    }

    @Test
    void runtimeIdRefusesWhatWouldNotFit() {
        PeerId node = TestPeers.peer(1);
        String task = TaskIds.taskId("default", "web");
        assertTrue(TaskIds.runtimeId(task, 999_999_999_999L, 999, node).length() <= TaskIds.MAX_RUNTIME_ID);
        IllegalArgumentException tooLong = assertThrows(IllegalArgumentException.class,
                () -> TaskIds.runtimeId(task, Long.MAX_VALUE, 1, node));
        assertTrue(tooLong.getMessage().contains("longer than 40"), tooLong.getMessage());
        IllegalArgumentException badTask = assertThrows(IllegalArgumentException.class,
                () -> TaskIds.runtimeId("web", 1, 0, node));
        assertTrue(badTask.getMessage().contains("'web'"), badTask.getMessage());
        assertThrows(IllegalArgumentException.class, () -> TaskIds.runtimeId(task, -1, 0, node));
        assertThrows(IllegalArgumentException.class, () -> TaskIds.runtimeId(task, 1, -1, node));
    }
}

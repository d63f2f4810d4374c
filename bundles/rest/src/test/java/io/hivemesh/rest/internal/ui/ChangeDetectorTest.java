package io.hivemesh.rest.internal.ui;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class ChangeDetectorTest {
    private static byte[] b(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void theFirstSnapshotIsAChangeTheSameAgainIsNotAnotherIs() {
        ChangeDetector d = new ChangeDetector();
        assertTrue(d.changed(b("{\"a\":1}")));
        assertFalse(d.changed(b("{\"a\":1}")));
        assertTrue(d.changed(b("{\"a\":2}")));
        assertFalse(d.changed(b("{\"a\":2}")));
        assertTrue(d.changed(b("{\"a\":1}")), "back to an earlier state is a change too");
    }

    @Test
    void theDetectorKeepsACopyNotTheCallersArray() {
        ChangeDetector d = new ChangeDetector();
        byte[] x = b("{\"a\":1}");
        assertTrue(d.changed(x));
        x[5] = '9';
        assertTrue(d.changed(x), "a mutated array is a different snapshot");
        assertFalse(d.changed(b("{\"a\":9}")));
    }
}

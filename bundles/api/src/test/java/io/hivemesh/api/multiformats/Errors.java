package io.hivemesh.api.multiformats;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.function.Executable;

/** Asserts that malformed input fails with a {@link MultiformatException} naming the problem. */
public final class Errors {
    private Errors() {
    }

    /** Runs {@code action}, expecting a MultiformatException whose message contains every fragment. */
    public static MultiformatException assertRejected(Executable action, String... fragments) {
        MultiformatException e = assertThrows(MultiformatException.class, action);
        for (String fragment : fragments) {
            assertTrue(e.getMessage().contains(fragment),
                    () -> "message '" + e.getMessage() + "' does not contain '" + fragment + "'");
        }
        return e;
    }
}

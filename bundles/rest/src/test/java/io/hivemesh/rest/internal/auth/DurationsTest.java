package io.hivemesh.rest.internal.auth;

import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class DurationsTest {
    @Test
    void parsesUnitsAndSums() {
        assertEquals(Duration.ofMinutes(30), Durations.parse("30m"));
        assertEquals(Duration.ofHours(12), Durations.parse("12h"));
        assertEquals(Duration.ofDays(7), Durations.parse(" 7d "));
        assertEquals(Duration.ofSeconds(90), Durations.parse("90s"));
        assertEquals(Duration.ofMinutes(90), Durations.parse("1h30m"));
        assertEquals("7d", Durations.format(Duration.ofDays(7)));
        assertEquals("90m", Durations.format(Duration.ofMinutes(90)));
    }

    @Test
    void refusesJunkZeroAndTooLong() {
        for (String bad : new String[] {"", "7", "d", "7w", "-1h", "1.5h", "7 d", "1h 30m", "9999999999d",
                "0s", "0h0m", "3651d", "999999999d", "x".repeat(10000)}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Durations.parse(bad), bad);
            assertTrue(e.getMessage().length() < 200, "messages stay short: " + e.getMessage());
        }
        assertEquals(Duration.ofDays(3650), Durations.parse("3650d"));
    }
}

package io.hivemesh.shell.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.crypto.KeyInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class CryptoKeysCommandTest {
    private final List<KeyInfo> keys = List.of(
            new KeyInfo("Ed25519", "00112233aabbccdd", new byte[32], Instant.EPOCH, true),
            new KeyInfo("X25519+ML-KEM-768", "0123456789abcdef", new byte[1217], Instant.parse("2026-11-22T00:00:00Z"), true),
            new KeyInfo("X25519+ML-KEM-768", "fedcba9876543210", new byte[1217], Instant.parse("2026-11-21T00:00:00Z"), false));

    private String render(boolean verbose) {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        CryptoKeysCommand.print(new PrintStream(buf, true, StandardCharsets.UTF_8), keys, verbose);
        return buf.toString(StandardCharsets.UTF_8);
    }

    @Test
    void listsEveryKeyWithItsStatus() {
        String out = render(false);
        String[] lines = out.split("\n");
        assertEquals(4, lines.length, out);
        assertTrue(lines[2].contains("0123456789abcdef") && lines[2].contains("current") && lines[2].contains("1217"), out);
        assertTrue(lines[3].contains("fedcba9876543210") && lines[3].contains("retired"), out);
    }

    @Test
    void verbosePrintsWholeKeys() {
        String out = render(true);
        assertTrue(out.contains("  " + "A".repeat(40)), out);
        assertEquals(7, out.split("\n").length);
    }

    @Test
    void withoutTheServiceItSaysWhy() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> new CryptoKeysCommand().execute());
        assertEquals(CryptoKeysCommand.NO_KEYS, e.getMessage());
    }
}

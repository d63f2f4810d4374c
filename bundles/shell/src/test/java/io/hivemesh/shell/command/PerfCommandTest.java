package io.hivemesh.shell.command;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.net.PerfResult;
import io.hivemesh.api.peer.KeyType;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.peer.PublicKey;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class PerfCommandTest {
    private static final PeerId PEER = PeerId.fromPublicKey(new PublicKey(KeyType.ED25519,
            HexFormat.of().parseHex("1ed1e8fae2c4a144b8be8fd4b47bf3d3b34b871c3cacf6010f0e42d474fce27e")));

    @Test
    void byteCountsTakeBinarySuffixes() {
        assertEquals(1048576, PerfCommand.bytes("--upload", "1048576"));
        assertEquals(64 * 1024, PerfCommand.bytes("--upload", "64K"));
        assertEquals(16L << 20, PerfCommand.bytes("--upload", "16m"));
        assertEquals(1L << 30, PerfCommand.bytes("--download", "1G"));
        assertEquals(0, PerfCommand.bytes("--download", "0"));
    }

    @Test
    void badOrTooLargeCountsNameTheOption() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> PerfCommand.bytes("--download", "2G"));
        assertTrue(e.getMessage().startsWith("--download must be between 0 and 1G"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> PerfCommand.bytes("--upload", "lots"));
        assertTrue(e.getMessage().contains("--upload must be a byte count"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> PerfCommand.bytes("--upload", "-1"));
    }

    @Test
    void printsThroughputEachWayAndTheTime() {
        PerfResult r = new PerfResult(64L << 20, 32L << 20, Duration.ofMillis(500), Duration.ofMillis(250),
                Duration.ofMillis(760));
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        PerfCommand.print(new PrintStream(bytes, true, StandardCharsets.UTF_8), PEER, r);
        assertEquals("perf " + PEER + "\n"
                + "upload    64.00 MiB in 0.500 s: 128.0 MiB/s\n"
                + "download  32.00 MiB in 0.250 s: 128.0 MiB/s\n"
                + "total     0.760 s\n", bytes.toString(StandardCharsets.UTF_8).replace(System.lineSeparator(), "\n"));
    }
}

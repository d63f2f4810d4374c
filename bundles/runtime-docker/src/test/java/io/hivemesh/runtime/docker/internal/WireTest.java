package io.hivemesh.runtime.docker.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The HTTP body codings and the multiplexed log frames, including malformed and oversize input. */
class WireTest {
    static byte[] frame(int stream, String payload) {
        byte[] p = payload.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(stream);
        out.writeBytes(new byte[] {0, 0, 0, (byte) (p.length >>> 24), (byte) (p.length >>> 16), (byte) (p.length >>> 8), (byte) p.length});
        out.writeBytes(p);
        return out.toByteArray();
    }

    @Test
    void logFramesBecomeLinesAcrossFrameBoundaries() throws IOException {
        ByteArrayOutputStream s = new ByteArrayOutputStream();
        s.writeBytes(frame(1, "hel"));
        s.writeBytes(frame(2, "lo\nwor"));
        s.writeBytes(frame(1, "ld\nlast"));
        List<String> lines = new ArrayList<>();
        LogFrames.decode(new ByteArrayInputStream(s.toByteArray()), lines::add);
        assertEquals(List.of("hello", "world", "last"), lines);
    }

    @Test
    void badLogFramesFail() {
        byte[] oversize = {1, 0, 0, 0, 0x7f, 0, 0, 0};
        assertThrows(HttpProtocolException.class, () -> LogFrames.decode(new ByteArrayInputStream(oversize), l -> { }));
        byte[] notMux = "plain text log\n".getBytes(StandardCharsets.UTF_8);
        assertThrows(HttpProtocolException.class, () -> LogFrames.decode(new ByteArrayInputStream(notMux), l -> { }));
        byte[] cut = java.util.Arrays.copyOf(frame(1, "abcdef"), 10);
        assertThrows(HttpProtocolException.class, () -> LogFrames.decode(new ByteArrayInputStream(cut), l -> { }));
    }

    @Test
    void chunkedBodies() throws IOException {
        byte[] body = "4\r\nWiki\r\n6;ext=1\r\npedia \r\n0\r\nTrailer: x\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
        assertArrayEquals("Wikipedia ".getBytes(StandardCharsets.UTF_8),
                HttpBodies.readAll(HttpBodies.chunked(new ByteArrayInputStream(body)), 100));
        for (String bad : List.of("zz\r\nab\r\n0\r\n\r\n", "4\r\nabcdXX0\r\n\r\n", "4\r\nab", "123456789\r\n")) {
            assertThrows(HttpProtocolException.class, () -> HttpBodies.readAll(
                    HttpBodies.chunked(new ByteArrayInputStream(bad.getBytes(StandardCharsets.ISO_8859_1))), 1 << 20), bad);
        }
        assertThrows(HttpProtocolException.class, () -> HttpBodies.readAll(new ByteArrayInputStream(new byte[101]), 100));
        assertThrows(HttpProtocolException.class, () -> HttpBodies.readAll(HttpBodies.fixed(new ByteArrayInputStream(new byte[3]), 5), 100));
        assertThrows(HttpProtocolException.class, () -> HttpBodies.line(new ByteArrayInputStream(new byte[HttpBodies.MAX_LINE + 1])));
    }
}

package io.hivemesh.runtime.docker.internal;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;

class WireFuzzTest {
    /** Any bytes either decode into lines or fail with an IOException; nothing else escapes. */
    @FuzzTest(maxDuration = "10s")
    void logFrames(byte[] input) {
        try {
            LogFrames.decode(new ByteArrayInputStream(input), line -> { });
        } catch (IOException expected) {
            // malformed input: a clear error
        }
    }

    /** Chunked decoding of any bytes, bounded, ends in data or an IOException. */
    @FuzzTest(maxDuration = "10s")
    void chunkedBody(byte[] input) {
        try {
            HttpBodies.readAll(HttpBodies.chunked(new ByteArrayInputStream(input)), 1 << 20);
        } catch (IOException expected) {
            // malformed input: a clear error
        }
    }
}

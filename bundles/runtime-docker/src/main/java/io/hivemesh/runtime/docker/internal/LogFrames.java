package io.hivemesh.runtime.docker.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Decodes the Docker Engine API's multiplexed log stream of a container without a TTY: frames of
 * an 8-byte header (stream type 0/1/2, three zero bytes, big-endian payload length) and the payload;
 * emits complete lines. Frames above {@link #MAX_FRAME} are a protocol violation.
 */
final class LogFrames {
    static final int MAX_FRAME = 1 << 20;
    static final int MAX_LINE = 64 << 10;

    private LogFrames() {
    }

    /** Reads frames until end of stream, calling {@code onLine} for each line (a last partial line too). */
    static void decode(InputStream in, Consumer<String> onLine) throws IOException {
        byte[] header = new byte[8];
        ByteArrayOutputStream line = new ByteArrayOutputStream();
        while (true) {
            int got = in.readNBytes(header, 0, 8);
            if (got == 0) {
                break;
            }
            if (got < 8) {
                throw new HttpProtocolException("log stream ended inside a frame header");
            }
            if (header[0] > 2 || header[1] != 0 || header[2] != 0 || header[3] != 0) {
                throw new HttpProtocolException("not a multiplexed log frame header (stream byte " + header[0] + ")");
            }
            long size = ((header[4] & 0xffL) << 24) | ((header[5] & 0xff) << 16) | ((header[6] & 0xff) << 8) | (header[7] & 0xff);
            if (size > MAX_FRAME) {
                throw new HttpProtocolException("log frame of " + size + " bytes exceeds " + MAX_FRAME);
            }
            byte[] payload = in.readNBytes((int) size);
            if (payload.length < size) {
                throw new HttpProtocolException("log stream ended inside a frame");
            }
            for (byte b : payload) {
                if (b == '\n') {
                    onLine.accept(line.toString(StandardCharsets.UTF_8));
                    line.reset();
                } else if (line.size() < MAX_LINE) {
                    line.write(b);
                }
            }
        }
        if (line.size() > 0) {
            onLine.accept(line.toString(StandardCharsets.UTF_8));
        }
    }
}

package io.hivemesh.rest.internal.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import org.junit.jupiter.api.Test;

/** The non-blocking writer: it writes only while the stream is ready and keeps only the newest snapshot. */
class AsyncSseClientTest {
    private static final long S = 1_000_000_000L;

    /** An output stream whose readiness the test sets, as a container's non-blocking stream behaves. */
    static final class Stream extends ServletOutputStream {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        boolean ready = true;
        boolean broken;
        int flushes;

        @Override
        public boolean isReady() {
            return ready;
        }

        @Override
        public void setWriteListener(WriteListener l) {
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b});
        }

        @Override
        public void write(byte[] b) throws IOException {
            if (!ready) {
                throw new IllegalStateException("write while not ready");
            }
            if (broken) {
                throw new IOException("Broken pipe");
            }
            written.write(b);
        }

        @Override
        public void flush() {
            flushes++;
        }

        String text() {
            return written.toString(StandardCharsets.UTF_8);
        }
    }

    private final Stream out = new Stream();
    private final AtomicInteger gone = new AtomicInteger();
    private final AtomicInteger completed = new AtomicInteger();
    private final AsyncSseClient client = new AsyncSseClient(completed::incrementAndGet, out, 60 * S, gone::incrementAndGet);

    private static Frame snap(String json) {
        return Frame.snapshot(json.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void aReadyStreamIsWrittenAndFlushedAtOnce() {
        assertTrue(client.offer(snap("{\"v\":1}"), 0));
        assertTrue(out.text().contains("data: {\"v\":1}\n\n"), out.text());
        assertEquals(1, out.flushes);
    }

    @Test
    void whileNotReadyOnlyTheNewestSnapshotWaitsAndAHeartbeatDoesNotDisplaceIt() {
        out.ready = false;
        assertTrue(client.offer(snap("{\"v\":1}"), 0));
        assertTrue(client.offer(snap("{\"v\":2}"), 1 * S));
        assertTrue(client.offer(Frame.HEARTBEAT, 2 * S));
        assertEquals("", out.text());
        out.ready = true;
        client.onWritePossible();
        assertFalse(out.text().contains("{\"v\":1}"), out.text());
        assertTrue(out.text().contains("{\"v\":2}"), out.text());
        assertFalse(out.text().contains("heartbeat"), out.text());
        assertEquals(1, out.flushes);
    }

    @Test
    void aClientThatStopsReadingIsGivenUpAfterTheStallLimit() {
        out.ready = false;
        assertTrue(client.offer(snap("{\"v\":1}"), 0));
        assertTrue(client.offer(Frame.HEARTBEAT, 60 * S));
        assertFalse(client.offer(Frame.HEARTBEAT, 61 * S));
    }

    @Test
    void aBrokenConnectionTellsTheHubOnceAndRefusesFurtherFrames() {
        out.broken = true;
        assertFalse(client.offer(snap("{\"v\":1}"), 0));
        assertEquals(1, gone.get());
        assertFalse(client.offer(snap("{\"v\":2}"), 1));
        client.onError(new IOException("reset"));
        client.close();
        assertEquals(1, gone.get());
        assertEquals(1, completed.get());
    }
}

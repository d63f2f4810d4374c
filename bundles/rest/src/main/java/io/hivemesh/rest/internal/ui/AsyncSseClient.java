package io.hivemesh.rest.internal.ui;

import javax.servlet.AsyncEvent;
import javax.servlet.AsyncListener;
import javax.servlet.ServletOutputStream;
import javax.servlet.WriteListener;
import java.io.IOException;

/**
 * An SSE client on an asynchronous servlet response with non-blocking output: frames are written
 * only while {@link ServletOutputStream#isReady()} says so, the rest from
 * {@link #onWritePossible()} on a container thread; no thread ever waits for a slow client. At most
 * one frame is pending (the newest snapshot); a frame pending longer than {@code stallNanos} means
 * the client stopped reading and it is dropped. A client whose connection failed or completed
 * tells {@code onGone}. {@code complete} ends the response ({@code AsyncContext::complete}).
 */
final class AsyncSseClient implements SseClient, WriteListener, AsyncListener {
    private final Runnable complete;
    private final ServletOutputStream out;
    private final long stallNanos;
    private final Runnable onGone;
    private Frame pending;
    private long pendingSinceNanos;
    private boolean needsFlush;
    private boolean gone;

    AsyncSseClient(Runnable complete, ServletOutputStream out, long stallNanos, Runnable onGone) {
        this.complete = complete;
        this.out = out;
        this.stallNanos = stallNanos;
        this.onGone = onGone;
    }

    @Override
    public boolean offer(Frame frame, long nowNanos) {
        synchronized (this) {
            if (gone) {
                return false;
            }
            if (pending == null) {
                pending = frame;
                pendingSinceNanos = nowNanos;
            } else if (nowNanos - pendingSinceNanos > stallNanos) {
                return false;
            } else if (frame.snapshot()) {
                pending = frame;
            }
            pump();
            return !gone;
        }
    }

    /** Writes what the connection takes now; the caller holds the lock. */
    private void pump() {
        try {
            while (!gone && out.isReady()) {
                if (pending != null) {
                    Frame f = pending;
                    pending = null;
                    needsFlush = true;
                    out.write(f.bytes());
                } else if (needsFlush) {
                    needsFlush = false;
                    out.flush();
                } else {
                    return;
                }
            }
        } catch (IOException | IllegalStateException e) {
            markGone();
        }
    }

    @Override
    public synchronized void onWritePossible() {
        pump();
    }

    @Override
    public void onError(Throwable t) {
        markGone();
    }

    @Override
    public void onError(AsyncEvent event) {
        markGone();
    }

    @Override
    public void onComplete(AsyncEvent event) {
        markGone();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        close();
    }

    @Override
    public void onStartAsync(AsyncEvent event) {
    }

    @Override
    public void close() {
        markGone();
        try {
            complete.run();
        } catch (IllegalStateException e) {
            // already completed
        }
    }

    private void markGone() {
        boolean first;
        synchronized (this) {
            first = !gone;
            gone = true;
            pending = null;
        }
        if (first) {
            onGone.run();
        }
    }
}

package io.hivemesh.transport.internal;

import io.netty.buffer.ByteBuf;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;

/**
 * The bytes a stream received and nobody read yet: appended into fixed pages of
 * {@value #PAGE} bytes, so a peer sending one-byte frames costs one byte each, not an object per
 * frame. Not thread-safe (the session's event loop owns it).
 */
final class InboundBuffer {
    static final int PAGE = 16 * 1024;

    private final ArrayDeque<byte[]> pages = new ArrayDeque<>();
    /** Read position in the first page, write position in the last. */
    private int head;
    private int tail = PAGE;
    private long size;

    long size() {
        return size;
    }

    boolean isEmpty() {
        return size == 0;
    }

    /** Copies the readable bytes of {@code chunk} (not released here). */
    void append(ByteBuf chunk) {
        int n = chunk.readableBytes();
        int from = chunk.readerIndex();
        while (n > 0) {
            if (tail == PAGE) {
                pages.addLast(new byte[PAGE]);
                tail = 0;
                if (pages.size() == 1) {
                    head = 0;
                }
            }
            int k = Math.min(n, PAGE - tail);
            chunk.getBytes(from, pages.peekLast(), tail, k);
            tail += k;
            from += k;
            n -= k;
            size += k;
        }
    }

    /** Removes and returns up to {@code max} bytes (a new heap buffer the caller owns), or null if empty. */
    ByteBuffer take(int max) {
        if (size == 0) {
            return null;
        }
        int n = (int) Math.min(max, size);
        byte[] out = new byte[n];
        int at = 0;
        while (at < n) {
            byte[] first = pages.peekFirst();
            int end = pages.size() == 1 ? tail : PAGE;
            int k = Math.min(n - at, end - head);
            System.arraycopy(first, head, out, at, k);
            head += k;
            at += k;
            if (head == end) {
                pages.pollFirst();
                head = 0;
                if (pages.isEmpty()) {
                    tail = PAGE;
                }
            }
        }
        size -= n;
        return ByteBuffer.wrap(out);
    }

    void clear() {
        pages.clear();
        head = 0;
        tail = PAGE;
        size = 0;
    }
}

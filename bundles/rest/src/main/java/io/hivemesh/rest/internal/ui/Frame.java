package io.hivemesh.rest.internal.ui;

import java.nio.charset.StandardCharsets;

/**
 * One server-sent event as written on the wire: a snapshot ({@code event: snapshot}, the JSON on one
 * {@code data:} line) or a heartbeat comment. A newer snapshot supersedes an unwritten older one.
 */
record Frame(boolean snapshot, byte[] bytes) {
    static final Frame HEARTBEAT = new Frame(false, ": heartbeat\n\n".getBytes(StandardCharsets.UTF_8));

    /** The frame of a snapshot; {@code json} must be compact JSON (Jackson escapes CR and LF in strings). */
    static Frame snapshot(byte[] json) {
        for (byte b : json) {
            if (b == '\n' || b == '\r') {
                throw new IllegalArgumentException("a snapshot's JSON must be on one line for a data: field");
            }
        }
        byte[] head = "retry: 3000\nevent: snapshot\ndata: ".getBytes(StandardCharsets.UTF_8);
        byte[] f = new byte[head.length + json.length + 2];
        System.arraycopy(head, 0, f, 0, head.length);
        System.arraycopy(json, 0, f, head.length, json.length);
        f[f.length - 2] = '\n';
        f[f.length - 1] = '\n';
        return new Frame(true, f);
    }

    String text() {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}

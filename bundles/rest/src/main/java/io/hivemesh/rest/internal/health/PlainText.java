package io.hivemesh.rest.internal.health;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import javax.servlet.http.HttpServletResponse;

/** Writes the short {@code text/plain} answers of the health endpoints. */
final class PlainText {
    static final String CONTENT_TYPE = "text/plain; charset=utf-8";

    private PlainText() {
    }

    static void write(HttpServletResponse resp, int code, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        resp.setStatus(code);
        resp.setContentType(CONTENT_TYPE);
        resp.setHeader("Cache-Control", "no-store");
        resp.setContentLength(b.length);
        resp.getOutputStream().write(b);
    }
}

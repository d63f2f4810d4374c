package io.hivemesh.runtime.docker.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Bounded readers for HTTP/1.1 heads and bodies (RFC 9112: status line, fields, chunked coding). */
final class HttpBodies {
    static final int MAX_LINE = 8192;
    static final int MAX_FIELDS = 100;

    private HttpBodies() {
    }

    /** One CRLF- (or LF-) terminated line without its terminator; null at end of stream before any byte. */
    static String line(InputStream in) throws IOException {
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) >= 0) {
            if (b == '\n') {
                byte[] bytes = buf.toByteArray();
                int n = bytes.length > 0 && bytes[bytes.length - 1] == '\r' ? bytes.length - 1 : bytes.length;
                return new String(bytes, 0, n, StandardCharsets.ISO_8859_1);
            }
            if (buf.size() == MAX_LINE) {
                throw new HttpProtocolException("HTTP line longer than " + MAX_LINE + " bytes");
            }
            buf.write(b);
        }
        if (buf.size() > 0) {
            throw new HttpProtocolException("connection closed in the middle of an HTTP line");
        }
        return null;
    }

    /** A body of exactly {@code length} bytes. */
    static InputStream fixed(InputStream in, long length) {
        return new InputStream() {
            long left = length;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (left == 0) {
                    return -1;
                }
                int n = in.read(b, off, (int) Math.min(len, left));
                if (n < 0) {
                    throw new HttpProtocolException("connection closed " + left + " bytes before the end of the body");
                }
                left -= n;
                return n;
            }
        };
    }

    /** A chunked body, decoded; trailer fields are read and dropped. */
    static InputStream chunked(InputStream in) {
        return new InputStream() {
            long left;
            boolean done;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (done) {
                    return -1;
                }
                if (left == 0) {
                    String size = line(in);
                    if (size == null) {
                        throw new HttpProtocolException("connection closed before the last chunk");
                    }
                    int semi = size.indexOf(';');
                    String hex = (semi >= 0 ? size.substring(0, semi) : size).strip();
                    if (hex.isEmpty() || hex.length() > 8 || !hex.chars().allMatch(c -> Character.digit(c, 16) >= 0)) {
                        throw new HttpProtocolException("bad chunk size '" + size + "'");
                    }
                    left = Long.parseLong(hex, 16);
                    if (left == 0) {
                        for (int i = 0; i <= MAX_FIELDS; i++) {
                            String trailer = line(in);
                            if (trailer == null || trailer.isEmpty()) {
                                done = true;
                                return -1;
                            }
                        }
                        throw new HttpProtocolException("more than " + MAX_FIELDS + " trailer fields");
                    }
                }
                int n = in.read(b, off, (int) Math.min(len, left));
                if (n < 0) {
                    throw new HttpProtocolException("connection closed inside a chunk");
                }
                left -= n;
                if (left == 0) {
                    String crlf = line(in);
                    if (crlf == null || !crlf.isEmpty()) {
                        throw new HttpProtocolException("chunk not followed by CRLF");
                    }
                }
                return n;
            }
        };
    }

    /** Reads all of {@code in}, failing if it exceeds {@code max} bytes. */
    static byte[] readAll(InputStream in, int max) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[8192];
        int n;
        while ((n = in.read(buf)) >= 0) {
            if (out.size() + n > max) {
                throw new HttpProtocolException("response body larger than " + max + " bytes");
            }
            out.write(buf, 0, n);
        }
        return out.toByteArray();
    }
}

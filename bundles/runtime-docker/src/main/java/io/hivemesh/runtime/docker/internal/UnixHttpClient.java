package io.hivemesh.runtime.docker.internal;

import java.io.BufferedInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/**
 * A small HTTP/1.1 client over a unix domain socket (the JDK's HttpClient cannot dial one): one
 * connection per request ({@code Connection: close}), bounded head and body, and a watchdog that
 * closes the connection when a call exceeds its time limit. Thread-safe.
 */
final class UnixHttpClient {
    /** Largest non-streamed response body. */
    static final int MAX_BODY = 16 << 20;

    /** A response whose body is read as a stream; close it to drop the connection. */
    static final class Streamed implements Closeable {
        final int status;
        final InputStream body;
        private final SocketChannel channel;

        Streamed(int status, InputStream body, SocketChannel channel) {
            this.status = status;
            this.body = body;
            this.channel = channel;
        }

        @Override
        public void close() throws IOException {
            channel.close();
        }
    }

    /** A whole response. */
    record Response(int status, byte[] body) {
        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    private final Path socket;
    private final Duration timeout;
    private final ScheduledExecutorService watchdog;

    UnixHttpClient(Path socket, Duration timeout, ScheduledExecutorService watchdog) {
        this.socket = socket;
        this.timeout = timeout;
        this.watchdog = watchdog;
    }

    Path socket() {
        return socket;
    }

    /** Sends a request and reads the whole response, within the time limit. */
    Response call(String method, String path, byte[] jsonBody) throws IOException {
        Streamed s = open(method, path, jsonBody);
        ScheduledFuture<?> guard = watchdog.schedule(() -> {
            try {
                s.close();
            } catch (IOException ignored) {
                // closing is all the watchdog does
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try (s) {
            return new Response(s.status, HttpBodies.readAll(s.body, MAX_BODY));
        } catch (IOException e) {
            if (guard.isDone()) {
                throw new IOException(method + " " + path + ": no complete answer within " + timeout.toSeconds() + " s", e);
            }
            throw e;
        } finally {
            guard.cancel(false);
        }
    }

    /** Sends a request and returns once the head is read; the body streams (e.g. followed logs). */
    Streamed open(String method, String path, byte[] jsonBody) throws IOException {
        SocketChannel channel = SocketChannel.open(UnixDomainSocketAddress.of(socket));
        ScheduledFuture<?> guard = watchdog.schedule(() -> {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing is all the watchdog does
            }
        }, timeout.toMillis(), TimeUnit.MILLISECONDS);
        try {
            StringBuilder head = new StringBuilder();
            head.append(method).append(' ').append(path).append(" HTTP/1.1\r\n")
                    .append("Host: docker\r\nUser-Agent: hivemesh\r\nConnection: close\r\n");
            if (jsonBody != null) {
                head.append("Content-Type: application/json\r\nContent-Length: ").append(jsonBody.length).append("\r\n");
            }
            head.append("\r\n");
            write(channel, head.toString().getBytes(StandardCharsets.ISO_8859_1));
            if (jsonBody != null) {
                write(channel, jsonBody);
            }
            InputStream in = new BufferedInputStream(Channels.newInputStream(channel));
            String status = HttpBodies.line(in);
            if (status == null || !status.startsWith("HTTP/1.") || status.length() < 12) {
                throw new HttpProtocolException("not an HTTP/1.x status line: '" + status + "'");
            }
            int code;
            try {
                code = Integer.parseInt(status.substring(9, 12));
            } catch (NumberFormatException e) {
                throw new HttpProtocolException("bad status code in '" + status + "'");
            }
            Map<String, String> fields = new HashMap<>();
            for (int i = 0; ; i++) {
                if (i > HttpBodies.MAX_FIELDS) {
                    throw new HttpProtocolException("more than " + HttpBodies.MAX_FIELDS + " header fields");
                }
                String line = HttpBodies.line(in);
                if (line == null) {
                    throw new HttpProtocolException("connection closed inside the response head");
                }
                if (line.isEmpty()) {
                    break;
                }
                int colon = line.indexOf(':');
                if (colon > 0) {
                    fields.put(line.substring(0, colon).strip().toLowerCase(Locale.ROOT), line.substring(colon + 1).strip());
                }
            }
            InputStream body;
            if (code == 204 || code == 304 || method.equals("HEAD")) {
                body = InputStream.nullInputStream();
            } else if (fields.getOrDefault("transfer-encoding", "").toLowerCase(Locale.ROOT).contains("chunked")) {
                body = HttpBodies.chunked(in);
            } else if (fields.containsKey("content-length")) {
                long length;
                try {
                    length = Long.parseLong(fields.get("content-length"));
                } catch (NumberFormatException e) {
                    throw new HttpProtocolException("bad Content-Length '" + fields.get("content-length") + "'");
                }
                if (length < 0) {
                    throw new HttpProtocolException("negative Content-Length");
                }
                body = HttpBodies.fixed(in, length);
            } else {
                body = in;
            }
            guard.cancel(false);
            return new Streamed(code, body, channel);
        } catch (IOException | RuntimeException e) {
            guard.cancel(false);
            channel.close();
            throw e;
        }
    }

    private static void write(SocketChannel channel, byte[] bytes) throws IOException {
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
            channel.write(buf);
        }
    }
}

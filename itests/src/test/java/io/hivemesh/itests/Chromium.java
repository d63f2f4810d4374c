package io.hivemesh.itests;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * A real headless Debian {@code chromium} driven over the Chrome DevTools Protocol with the JDK's
 * own WebSocket client: one page (a target attached in flat session mode), {@link #navigate},
 * {@link #evaluate}. Every wait has a deadline; {@link #close()} ends the browser and its child
 * processes (by their process handles) and removes its profile directory. The page's uncaught
 * JavaScript exceptions and console errors are kept for failure messages ({@link #pageErrors()}).
 */
final class Chromium implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Pattern LISTENING = Pattern.compile("DevTools listening on (ws://\\S+)");
    private static final Duration CALL = Duration.ofSeconds(30);

    private final Path profile;
    private final Process process;
    private final WebSocket socket;
    private final AtomicInteger ids = new AtomicInteger();
    private final Map<Integer, CompletableFuture<JsonNode>> calls = new ConcurrentHashMap<>();
    private final List<String> pageErrors = java.util.Collections.synchronizedList(new ArrayList<>());
    private final String session;

    private Chromium(Path profile, Process process, WebSocket socket, String session) {
        this.profile = profile;
        this.process = process;
        this.socket = socket;
        this.session = session;
    }

    /** Starts the browser with one blank page; fails naming what the browser printed if it does not come up. */
    static Chromium start() throws Exception {
        Path profile = Files.createTempDirectory("hivemesh-chromium");
        Process p = new ProcessBuilder("chromium", "--headless=new", "--no-sandbox", "--remote-debugging-port=0",
                "--user-data-dir=" + profile, "--no-first-run", "--no-default-browser-check", "--disable-gpu",
                "--disable-extensions", "--disable-background-networking", "--disable-sync",
                "--disable-dev-shm-usage", "about:blank").redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        p.getOutputStream().close();
        CompletableFuture<String> wsUrl = new CompletableFuture<>();
        Deque<String> tail = new ArrayDeque<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getErrorStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = r.readLine()) != null) {
                    synchronized (tail) {
                        tail.addLast(line);
                        if (tail.size() > 40) {
                            tail.removeFirst();
                        }
                    }
                    Matcher m = LISTENING.matcher(line);
                    if (m.find()) {
                        wsUrl.complete(m.group(1));
                    }
                }
            } catch (IOException e) {
                wsUrl.completeExceptionally(e);
            }
            wsUrl.completeExceptionally(new IOException("chromium closed its stderr without a DevTools URL"));
        }, "chromium-stderr");
        reader.setDaemon(true);
        reader.start();
        String url;
        try {
            url = wsUrl.get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            kill(p);
            deleteTree(profile);
            synchronized (tail) {
                throw new AssertionError("chromium did not print its DevTools URL within 30 s: " + String.join("\n", tail), e);
            }
        }
        Holder h = new Holder();
        WebSocket ws;
        try {
            ws = HttpClient.newHttpClient().newWebSocketBuilder().connectTimeout(Duration.ofSeconds(10))
                    .buildAsync(URI.create(url), h).get(20, TimeUnit.SECONDS);
        } catch (Exception e) {
            kill(p);
            deleteTree(profile);
            throw new AssertionError("connecting to chromium's DevTools at " + url, e);
        }
        Chromium c = null;
        try {
            Chromium boot = new Chromium(profile, p, ws, null);
            h.owner = boot;
            String target = boot.call(null, "Target.createTarget", JSON.createObjectNode().put("url", "about:blank"))
                    .path("targetId").asText();
            String session = boot.call(null, "Target.attachToTarget", JSON.createObjectNode()
                    .put("targetId", target).put("flatten", true)).path("sessionId").asText();
            c = new Chromium(profile, p, ws, session);
            h.owner = c;
            c.call("Page.enable", JSON.createObjectNode());
            c.call("Runtime.enable", JSON.createObjectNode());
            return c;
        } catch (Exception | AssertionError e) {
            kill(p);
            deleteTree(profile);
            throw e;
        }
    }

    /** Routes answers to their calls and keeps the page's errors. */
    private static final class Holder implements WebSocket.Listener {
        volatile Chromium owner;
        private final StringBuilder text = new StringBuilder();

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                String message = text.toString();
                text.setLength(0);
                Chromium o = owner;
                if (o != null) {
                    o.received(message);
                }
            }
            ws.request(1);
            return null;
        }

        @Override
        public void onError(WebSocket ws, Throwable error) {
            Chromium o = owner;
            if (o != null) {
                o.calls.values().forEach(f -> f.completeExceptionally(error));
            }
        }
    }

    private void received(String message) {
        JsonNode m;
        try {
            m = JSON.readTree(message);
        } catch (IOException e) {
            return;
        }
        if (m.has("id")) {
            CompletableFuture<JsonNode> f = calls.remove(m.get("id").asInt());
            if (f != null) {
                f.complete(m);
            }
        } else if ("Runtime.exceptionThrown".equals(m.path("method").asText())) {
            pageErrors.add(m.at("/params/exceptionDetails").toString());
        } else if ("Runtime.consoleAPICalled".equals(m.path("method").asText())
                && "error".equals(m.at("/params/type").asText())) {
            pageErrors.add(m.at("/params/args").toString());
        }
    }

    private JsonNode call(String method, ObjectNode params) throws Exception {
        return call(session, method, params);
    }

    private JsonNode call(String sessionId, String method, ObjectNode params) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode().put("id", id).put("method", method);
        msg.set("params", params);
        if (sessionId != null) {
            msg.put("sessionId", sessionId);
        }
        CompletableFuture<JsonNode> answer = new CompletableFuture<>();
        calls.put(id, answer);
        socket.sendText(JSON.writeValueAsString(msg), true).get(CALL.toSeconds(), TimeUnit.SECONDS);
        JsonNode r;
        try {
            r = answer.get(CALL.toSeconds(), TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new AssertionError("chromium did not answer " + method + " within " + CALL.toSeconds() + " s");
        } finally {
            calls.remove(id);
        }
        if (r.has("error")) {
            throw new AssertionError("chromium refused " + method + ": " + r.get("error"));
        }
        return r.path("result");
    }

    /** Navigates the page to {@code url} and waits (at most {@code wait}) until its document has loaded. */
    void navigate(String url, Duration wait) throws Exception {
        JsonNode r = call("Page.navigate", JSON.createObjectNode().put("url", url));
        if (r.hasNonNull("errorText")) {
            throw new AssertionError("chromium could not load " + url + ": " + r.get("errorText").asText());
        }
        await("document.readyState", v -> "complete".equals(v.asText()), "the page " + url + " loaded", wait);
    }

    /** The value of the JavaScript {@code expression} in the page (by value); fails on a thrown exception. */
    JsonNode evaluate(String expression) throws Exception {
        JsonNode r = call("Runtime.evaluate", JSON.createObjectNode().put("expression", expression)
                .put("returnByValue", true));
        if (r.has("exceptionDetails")) {
            throw new AssertionError("the page threw evaluating `" + expression + "`: " + r.get("exceptionDetails"));
        }
        JsonNode v = r.at("/result/value");
        return v.isMissingNode() ? JSON.nullNode() : v;
    }

    /**
     * Evaluates {@code expression} every 200 ms until {@code ok} accepts its value, at most
     * {@code wait}; returns that value or fails naming {@code what}, the last value and the page's errors.
     */
    JsonNode await(String expression, Predicate<JsonNode> ok, String what, Duration wait) throws Exception {
        long end = System.nanoTime() + wait.toNanos();
        JsonNode last = null;
        AssertionError lastError = null;
        while (true) {
            try {
                last = evaluate(expression);
                lastError = null;
                if (ok.test(last)) {
                    return last;
                }
            } catch (AssertionError e) {
                lastError = e;
            }
            if (System.nanoTime() > end) {
                AssertionError e = new AssertionError("not within " + wait.toSeconds() + " s: " + what + "; last `"
                        + expression + "` = " + last + "; page errors: " + pageErrors());
                if (lastError != null) {
                    e.addSuppressed(lastError);
                }
                throw e;
            }
            Thread.sleep(200);
        }
    }

    List<String> pageErrors() {
        synchronized (pageErrors) {
            return List.copyOf(pageErrors);
        }
    }

    static JsonNode parse(String json) throws IOException {
        return JSON.readTree(json);
    }

    @Override
    public void close() {
        try {
            call(null, "Browser.close", JSON.createObjectNode());
        } catch (Exception | AssertionError e) {
            // the browser may already be gone; the process is ended below in any case
        }
        socket.abort();
        kill(process);
        deleteTree(profile);
    }

    /** Ends the browser and every process it started, by their handles, each with a bounded wait. */
    private static void kill(Process p) {
        List<ProcessHandle> children = p.descendants().toList();
        p.destroy();
        try {
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                p.waitFor(10, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (ProcessHandle c : children) {
            if (c.isAlive()) {
                c.destroyForcibly();
            }
        }
        for (ProcessHandle c : children) {
            try {
                c.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // reported by the deletion below at worst
            }
        }
    }

    private static void deleteTree(Path dir) {
        for (int attempt = 0; attempt < 5 && Files.exists(dir); attempt++) {
            try (Stream<Path> s = Files.walk(dir)) {
                s.sorted(Comparator.reverseOrder()).forEach(f -> f.toFile().delete());
            } catch (IOException | java.io.UncheckedIOException e) {
                // a file that vanished or appeared meanwhile: walk again
            }
        }
        if (Files.exists(dir)) {
            throw new AssertionError("could not remove chromium's profile directory " + dir);
        }
    }
}

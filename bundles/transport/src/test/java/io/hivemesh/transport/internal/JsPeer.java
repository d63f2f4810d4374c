package io.hivemesh.transport.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A js-libp2p peer in a Node process (src/test/js-peer/peer.mjs of the module running the test,
 * packages installed by the build with {@code npm ci}), driven by JSON lines. Fails loudly if Node
 * or the packages are missing. Other modules' tests (the DHT's) use it through this module's test-jar.
 */
public final class JsPeer implements AutoCloseable {
    public static final Path DIR = Path.of(System.getProperty("hivemesh.jsPeer", "src/test/js-peer")).toAbsolutePath();
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Process process;
    private final OutputStream stdin;
    private final Map<Integer, CompletableFuture<JsonNode>> pending = new ConcurrentHashMap<>();
    private final AtomicInteger ids = new AtomicInteger();
    public final String peerId;
    public final String address;

    /** Starts {@code peer.mjs} of the calling module's js-peer directory with {@code args}. */
    public JsPeer(String... args) throws IOException, InterruptedException {
        if (!Files.isDirectory(DIR.resolve("node_modules/libp2p"))) {
            throw new IllegalStateException("js-libp2p is not installed in " + DIR
                    + ": the build runs `npm ci` there (pre-integration-test); is npm on the PATH?");
        }
        ProcessBuilder pb = new ProcessBuilder(command(args)).directory(DIR.toFile())
                .redirectError(ProcessBuilder.Redirect.INHERIT);
        try {
            process = pb.start();
        } catch (IOException e) {
            throw new IllegalStateException("cannot start `node` (Node.js 20 must be installed): " + e.getMessage(), e);
        }
        stdin = process.getOutputStream();
        BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        CompletableFuture<JsonNode> ready = new CompletableFuture<>();
        Thread reader = new Thread(() -> {
            try {
                String line;
                while ((line = out.readLine()) != null) {
                    JsonNode n = JSON.readTree(line);
                    if (n.has("event")) {
                        ready.complete(n);
                    } else {
                        CompletableFuture<JsonNode> f = pending.remove(n.get("id").asInt());
                        if (f != null) {
                            f.complete(n);
                        }
                    }
                }
            } catch (IOException e) {
                ready.completeExceptionally(e);
            }
            IllegalStateException gone = new IllegalStateException("js peer exited");
            ready.completeExceptionally(gone);
            pending.values().forEach(f -> f.completeExceptionally(gone));
        }, "js-peer-reader");
        reader.setDaemon(true);
        reader.start();
        JsonNode r;
        try {
            r = ready.get(60, TimeUnit.SECONDS);
        } catch (Exception e) {
            process.destroyForcibly();
            throw new IllegalStateException("js peer did not start: " + e, e);
        }
        peerId = r.get("peer").asText();
        address = r.get("addrs").get(0).asText();
    }

    /** Runs one command; fails with the js error text if the peer reports one. */
    public JsonNode call(String cmd, Map<String, Object> args, long timeoutSeconds) throws Exception {
        int id = ids.incrementAndGet();
        ObjectNode msg = JSON.createObjectNode();
        msg.put("id", id).put("cmd", cmd);
        args.forEach((k, v) -> msg.set(k, JSON.valueToTree(v)));
        CompletableFuture<JsonNode> f = new CompletableFuture<>();
        pending.put(id, f);
        synchronized (stdin) {
            stdin.write((JSON.writeValueAsString(msg) + "\n").getBytes(StandardCharsets.UTF_8));
            stdin.flush();
        }
        JsonNode reply = f.get(timeoutSeconds, TimeUnit.SECONDS);
        if (!reply.get("ok").asBoolean()) {
            throw new AssertionError("js peer: " + cmd + " failed: " + reply.get("error").asText());
        }
        return reply;
    }

    private static List<String> command(String... args) {
        List<String> cmd = new ArrayList<>(List.of("node", "--import", "./polyfill.mjs", "peer.mjs"));
        cmd.addAll(List.of(args));
        return cmd;
    }

    @Override
    public void close() throws Exception {
        try {
            stdin.close();
        } catch (IOException ignored) {
            // the process may already be gone
        }
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
        }
    }
}

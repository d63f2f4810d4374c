package io.hivemesh.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The dashboard of one real node with real podman, in a real headless chromium: the page shows the
 * node's PeerId; a workload applied with {@code workload:apply} appears with a Running replica and
 * disappears after {@code workload:delete}, both without a reload. Also over plain HTTP: the page's
 * files and headers, the first SSE frame, and the bound on live clients (503 beyond 32, seats freed
 * when clients go away).
 * The HTTP test runs first: it needs every seat, and a browser that went away holds its seat until
 * the node notices (its next heartbeat write fails).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class DashboardIT {
    private static final NodeScript SCRIPT = new NodeScript(Path.of("target/dashboard"),
            Integer.getInteger("hivemesh.it.portBase", 24000) + 4200);
    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(3)).followRedirects(HttpClient.Redirect.NEVER).build();
    private static String base;
    private static String peerId;

    @BeforeAll
    static void startNode() throws Exception {
        assertEquals(0, SCRIPT.run("create", 1).exit());
        Files.writeString(SCRIPT.nodeDir(1).resolve("etc/io.hivemesh.workload.cfg"),
                "\nheartbeat_interval_ms = 1000\nengine = podman\n", StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        NodeScript.Result start = SCRIPT.run("start", 1);
        assertEquals(0, start.exit(), start.out());
        peerId = SCRIPT.peerId(1);
        base = "http://127.0.0.1:" + SCRIPT.port(1, 1);
    }

    @AfterAll
    static void destroy() throws Exception {
        SCRIPT.run("destroy", 1);
    }

    @Test
    @Order(2)
    void theBrowserShowsTheNodeAndAWorkloadComingAndGoingLive() throws Exception {
        Path manifest = Files.createTempFile("hivemesh-ui", ".yaml");
        Files.writeString(manifest, """
                apiVersion: v1
                kind: Pod
                metadata: {name: itdash}
                spec:
                  containers:
                  - name: main
                    image: localhost/busybox:latest
                    command: [sh, -c, "exec sleep 3600"]
                """);
        try (Chromium browser = Chromium.start()) {
            DashboardPage page = new DashboardPage(browser, base, WAIT).open();
            assertEquals(peerId, page.peerId());
            assertTrue(page.text("self-agent").startsWith("hivemesh/"), page.text("self-agent"));
            assertTrue(page.text("self-addresses").contains("/p2p/" + peerId), page.text("self-addresses"));
            assertEquals("none (no content exchange in this node yet)", page.text("transfers"));
            browser.await("document.querySelectorAll('#nodes tr.mesh-node').length", v -> v.asInt() >= 1,
                    "the mesh's nodes list this node", WAIT);
            assertTrue(page.text("nodes").contains(peerId + " (this node)"), page.text("nodes"));
            assertTrue(page.rows("itdash").isEmpty());
            int before = page.snapshots();

            NodeScript.Result applied = SCRIPT.run("exec", 1, "workload:apply " + manifest);
            assertEquals(0, applied.exit(), applied.out());
            List<DashboardPage.Row> running = page.awaitRunning("itdash");
            assertEquals(peerId, running.get(0).node(), "the one node runs the replica: " + running);
            page.assertNotReloaded();
            assertTrue(page.snapshots() > before, "new snapshots arrived over the live feed");

            NodeScript.Result deleted = SCRIPT.run("exec", 1, "workload:delete itdash");
            assertEquals(0, deleted.exit(), deleted.out());
            page.awaitGone("itdash");
            page.assertNotReloaded();
            assertEquals(List.of(), browser.pageErrors(), "no script error on the page");

            // Hostile values are shown as text: the page's own renderer, given markup, creates no element from it.
            String hostile = "<img src=x id=pwned onerror=\"window.__pwned=1\"><script>window.__pwned=2</script>";
            browser.evaluate("window.hivemeshDashboard.render({node: {peerId: " + quote(hostile) + ", agent: 'a',"
                    + " addresses: [" + quote(hostile) + "]}, peers: [{peerId: " + quote(hostile) + ", address: 'x',"
                    + " direction: 'inbound'}], nodes: [], workloads: [{tenant: " + quote(hostile) + ", name: 'evil',"
                    + " generation: 1, replicas: 1, running: 0, assignments: [{index: 0, node: 'n', generation: 1,"
                    + " state: 'Failed', reason: " + quote(hostile) + ", ports: []}]}], transfers: {text: "
                    + quote(hostile) + "}, problems: [" + quote(hostile) + "]})");
            assertEquals(hostile, page.peerId());
            assertEquals(hostile, page.text("transfers"));
            assertTrue(page.text("workloads").contains("Failed (" + hostile + ")"), page.text("workloads"));
            assertEquals(0, browser.evaluate("document.querySelectorAll('#pwned, body img, body script').length").asInt());
            assertTrue(browser.evaluate("window.__pwned === undefined").asBoolean());
        } finally {
            Files.deleteIfExists(manifest);
        }
    }

    @Test
    @Order(1)
    void thePageFilesTheFirstEventAndTheBoundOnLiveClients() throws Exception {
        HttpResponse<String> redirect = get("/ui");
        assertEquals(301, redirect.statusCode());
        assertEquals("/ui/", redirect.headers().firstValue("Location").map(l -> URI.create(l).getPath()).orElse(""));
        HttpResponse<String> index = get("/ui/");
        assertEquals(200, index.statusCode());
        assertTrue(index.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
        assertTrue(index.headers().firstValue("Content-Security-Policy").orElse("").contains("script-src 'self'"));
        assertFalse(index.body().contains("http://") || index.body().contains("https://"), "no external resource");
        assertEquals(200, get("/ui/dashboard.js").statusCode());
        assertEquals(200, get("/ui/dashboard.css").statusCode());
        for (String bad : List.of("/ui/nope.js", "/ui/../ui/index.html%00", "/ui/static/index.html",
                "/ui/%2e%2e/etc/passwd", "/ui/dashboard.js/")) {
            int code = get(bad).statusCode();
            assertTrue(code == 404 || code == 400, bad + " answers " + code);
        }

        List<InputStream> streams = new ArrayList<>();
        try {
            for (int i = 0; i < 32; i++) {
                HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/ui/events"))
                        .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofInputStream());
                assertEquals(200, r.statusCode(), "live client " + (i + 1));
                streams.add(r.body());
                if (i == 0) {
                    assertTrue(r.headers().firstValue("Content-Type").orElse("").startsWith("text/event-stream"));
                    String frame = firstFrame(r.body());
                    assertTrue(frame.startsWith("retry: 3000\nevent: snapshot\ndata: {"), frame);
                    JsonNode snapshot = Chromium.parse(frame.substring(frame.indexOf("data: ") + 6));
                    assertEquals(peerId, snapshot.at("/node/peerId").asText(), frame);
                    assertFalse(snapshot.at("/transfers/supported").asBoolean(), frame);
                }
            }
            HttpResponse<String> refused = get("/ui/events");
            assertEquals(503, refused.statusCode(), refused.body());
            assertTrue(refused.body().contains("ServiceUnavailable"), refused.body());
            assertTrue(refused.headers().firstValue("Retry-After").isPresent());
        } finally {
            for (InputStream s : streams) {
                s.close();
            }
        }
        // The closed clients are noticed (at the latest by their next heartbeat) and their seats freed.
        long end = System.nanoTime() + WAIT.toNanos();
        int code = 503;
        while (System.nanoTime() < end) {
            HttpResponse<InputStream> r = HTTP.send(HttpRequest.newBuilder(URI.create(base + "/ui/events"))
                    .timeout(Duration.ofSeconds(20)).build(), HttpResponse.BodyHandlers.ofInputStream());
            code = r.statusCode();
            r.body().close();
            if (code == 200) {
                break;
            }
            Thread.sleep(1000);
        }
        assertEquals(200, code, "a seat is free again within " + WAIT.toSeconds() + " s after the clients went away");
    }

    /** The first SSE frame (up to the blank line), read with a deadline. */
    private static String firstFrame(InputStream in) throws Exception {
        java.util.concurrent.CompletableFuture<String> f = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            StringBuilder sb = new StringBuilder();
            try {
                int b;
                while ((b = in.read()) != -1) {
                    sb.append((char) b);
                    if (sb.length() >= 2 && sb.charAt(sb.length() - 1) == '\n' && sb.charAt(sb.length() - 2) == '\n') {
                        break;
                    }
                }
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
            return new String(sb.toString().getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        });
        return f.get(20, TimeUnit.SECONDS);
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(10)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    /** {@code s} as a JavaScript string literal (JSON is one). */
    private static String quote(String s) throws Exception {
        return new com.fasterxml.jackson.databind.ObjectMapper().writeValueAsString(s);
    }
}

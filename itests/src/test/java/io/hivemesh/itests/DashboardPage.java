package io.hivemesh.itests;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * The node's dashboard ({@code /ui/}) as a test reads it in a real browser: what the page shows, read
 * from its DOM, and waits for it to change live. Independent of how a workload was applied (shell
 * command or kubectl), so that every dashboard test can use it.
 */
final class DashboardPage {
    /** One replica row of the workloads table as the page shows it. */
    record Row(String tenant, String workload, String index, String generation, String node, String state) {
    }

    private static final String ROWS = "JSON.stringify(Array.from(document.querySelectorAll('#workloads tr.replica'))"
            + ".map(function (r) { return {tenant: r.dataset.tenant, workload: r.dataset.workload,"
            + " index: r.dataset.index || '', generation: r.dataset.generation || '',"
            + " node: r.cells[5] ? r.cells[5].textContent : '', state: r.dataset.state || ''}; }))";

    private final Chromium browser;
    private final String url;
    private final Duration wait;
    private String marker;

    DashboardPage(Chromium browser, String baseUrl, Duration wait) {
        this.browser = browser;
        this.url = baseUrl + "/ui/";
        this.wait = wait;
    }

    /** Loads the page, waits until its live feed delivered a snapshot, and marks the document (see {@link #assertNotReloaded}). */
    DashboardPage open() throws Exception {
        browser.navigate(url, wait);
        browser.await("window.hivemeshDashboard ? window.hivemeshDashboard.snapshots : 0", v -> v.asInt() > 0,
                "the dashboard received its first snapshot over /ui/events", wait);
        marker = UUID.randomUUID().toString();
        browser.evaluate("window.__hivemeshItMarker = '" + marker + "'");
        return this;
    }

    String text(String id) throws Exception {
        return browser.evaluate("(function () { var e = document.getElementById('" + id + "');"
                + " return e === null ? null : e.textContent; })()").asText();
    }

    String peerId() throws Exception {
        return text("self-peer-id");
    }

    /** The snapshots the page has rendered since it loaded. */
    int snapshots() throws Exception {
        return browser.evaluate("window.hivemeshDashboard.snapshots").asInt();
    }

    List<Row> rows() throws Exception {
        return parse(browser.evaluate(ROWS).asText());
    }

    List<Row> rows(String workload) throws Exception {
        return rows().stream().filter(r -> workload.equals(r.workload())).toList();
    }

    /** Waits until the rows of {@code workload} satisfy {@code ok}, without reloading; returns them. */
    List<Row> awaitRows(String workload, Predicate<List<Row>> ok, String what) throws Exception {
        JsonNode v = browser.await(ROWS, j -> {
            try {
                return ok.test(parse(j.asText()).stream().filter(r -> workload.equals(r.workload())).toList());
            } catch (Exception e) {
                return false;
            }
        }, what, wait);
        return parse(v.asText()).stream().filter(r -> workload.equals(r.workload())).toList();
    }

    /** Waits until {@code workload} shows a replica in state Running. */
    List<Row> awaitRunning(String workload) throws Exception {
        return awaitRows(workload, rs -> rs.stream().anyMatch(r -> r.state().equals("Running")),
                "the dashboard shows a Running replica of " + workload);
    }

    /** Waits until the page shows no row of {@code workload}. */
    void awaitGone(String workload) throws Exception {
        awaitRows(workload, List::isEmpty, "the dashboard no longer shows " + workload);
    }

    /** Fails if the document was reloaded since {@link #open()} (the marker set then is gone). */
    void assertNotReloaded() throws Exception {
        assertEquals(marker, browser.evaluate("window.__hivemeshItMarker || null").asText(null),
                "the page updated live, without a reload");
    }

    private static List<Row> parse(String json) throws Exception {
        List<Row> rows = new ArrayList<>();
        for (JsonNode n : Chromium.parse(json)) {
            rows.add(new Row(n.path("tenant").asText(), n.path("workload").asText(), n.path("index").asText(),
                    n.path("generation").asText(), n.path("node").asText(), n.path("state").asText()));
        }
        return rows;
    }
}

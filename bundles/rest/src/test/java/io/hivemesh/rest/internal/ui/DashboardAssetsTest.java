package io.hivemesh.rest.internal.ui;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class DashboardAssetsTest {
    private final DashboardAssets assets = DashboardAssets.load();

    @Test
    void thePageItsScriptAndItsStyleAreServedWithTheirTypes() {
        assertTrue(assets.get("/").contentType().startsWith("text/html"));
        assertTrue(assets.get("/dashboard.js").contentType().startsWith("text/javascript"));
        assertTrue(assets.get("/dashboard.css").contentType().startsWith("text/css"));
        assertNotNull(assets.get("/index.html"));
    }

    @Test
    void onlyTheListedPathsAreServed() {
        for (String p : new String[] {"", "/x", "/../DashboardAssets.class", "/static/index.html", "/dashboard.js/",
                "/DASHBOARD.JS", "/dashboard.js%00", "//dashboard.js"}) {
            assertNull(assets.get(p), p);
        }
    }

    @Test
    void thePageLoadsNothingFromElsewhereAndTheScriptBuildsNoHtmlFromData() {
        String html = new String(assets.get("/").bytes(), StandardCharsets.UTF_8);
        String js = new String(assets.get("/dashboard.js").bytes(), StandardCharsets.UTF_8);
        assertFalse(html.contains("http://") || html.contains("https://") || html.contains("<script>"), html);
        for (String sink : new String[] {"innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval("}) {
            assertFalse(js.contains(sink), "the script uses " + sink);
        }
        assertTrue(DashboardAssets.CSP.contains("script-src 'self'"));
        assertEquals(-1, DashboardAssets.CSP.indexOf("unsafe"));
    }
}

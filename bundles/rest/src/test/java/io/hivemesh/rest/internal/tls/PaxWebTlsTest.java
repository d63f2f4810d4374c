package io.hivemesh.rest.internal.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class PaxWebTlsTest {
    @TempDir
    Path dir;

    @Test
    void onlyChangedValuesCountAndARenewalChangesTheKeystore() {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        NodeTls tls = NodeTls.open(dir, SubjectNames.forThisMachine(List.of()), NodeTls.SERVING_VALIDITY, clock,
                new SecureRandom());
        Map<String, String> wanted = PaxWebTls.properties(tls, 6443);
        assertEquals("true", wanted.get("org.osgi.service.http.secure.enabled"));
        assertEquals("6443", wanted.get("org.osgi.service.http.port.secure"));
        assertEquals("true", wanted.get("org.ops4j.pax.web.ssl.clientauth.wanted"));
        assertEquals("false", wanted.get("org.ops4j.pax.web.ssl.clientauth.needed"));

        Hashtable<String, Object> shipped = new Hashtable<>();
        shipped.put("org.osgi.service.http.port", "8181");
        shipped.put("org.osgi.service.http.secure.enabled", "false");
        assertEquals(wanted, PaxWebTls.differences(shipped, wanted), "everything differs from the shipped file");

        Hashtable<String, Object> applied = new Hashtable<>(shipped);
        applied.putAll(wanted);
        applied.put("org.osgi.service.http.secure.enabled", Boolean.TRUE);  // a typed value compares by text
        assertTrue(PaxWebTls.differences(applied, wanted).isEmpty(), "nothing to update: no restart");

        clock.advance(java.time.Duration.ofDays(61));
        assertTrue(tls.renewIfDue());
        Map<String, String> diff = PaxWebTls.differences(applied, PaxWebTls.properties(tls, 6443));
        assertEquals(List.of("org.ops4j.pax.web.ssl.keystore"), List.copyOf(diff.keySet()));
    }
}

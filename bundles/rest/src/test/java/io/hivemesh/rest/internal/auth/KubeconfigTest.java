package io.hivemesh.rest.internal.auth;

import io.hivemesh.rest.internal.tls.MutableClock;
import io.hivemesh.rest.internal.tls.NodeTls;
import io.hivemesh.rest.internal.tls.Pem;
import io.hivemesh.rest.internal.tls.SubjectNames;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class KubeconfigTest {
    @TempDir
    Path dir;

    @Test
    @SuppressWarnings("unchecked")
    void kubeconfigHasServerCaTokenAndTheTenantAsNamespace() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        SecureRandom random = new SecureRandom();
        NodeTls tls = NodeTls.open(dir.resolve("tls"), SubjectNames.forThisMachine(List.of()), NodeTls.SERVING_VALIDITY,
                clock, random);
        TokenStore tokens = new TokenStore(dir.resolve("tokens.json"), clock, random);
        RestSecurity sec = new RestSecurity(tokens, tls, 16443, Duration.ofHours(24), 30);
        Path file = dir.resolve("kube/config");
        TokenStore.Created t = sec.writeKubeconfig("acme", "2h", null, file);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        Map<String, Object> k = new Yaml().load(Files.readString(file));
        assertEquals("v1", k.get("apiVersion"));
        assertEquals("Config", k.get("kind"));
        Map<String, Object> cluster = (Map<String, Object>) ((List<Map<String, Object>>) k.get("clusters")).get(0).get("cluster");
        assertEquals("https://127.0.0.1:16443", cluster.get("server"));
        String ca = new String(Base64.getDecoder().decode((String) cluster.get("certificate-authority-data")),
                StandardCharsets.US_ASCII);
        assertEquals(tls.ca().certificate(), Pem.certificate(ca));
        Map<String, Object> user = (Map<String, Object>) ((List<Map<String, Object>>) k.get("users")).get(0).get("user");
        assertEquals(t.text(), user.get("token"));
        assertTrue(tokens.check(t.text()).ok());
        assertEquals(clock.instant().plus(Duration.ofHours(2)), t.token().expires());
        Map<String, Object> ctx = ((List<Map<String, Object>>) k.get("contexts")).get(0);
        assertEquals(k.get("current-context"), ctx.get("name"));
        assertEquals("acme", ((Map<String, Object>) ctx.get("context")).get("namespace"));

        assertThrows(IllegalArgumentException.class, () -> sec.writeKubeconfig("acme", null, "http://127.0.0.1:1", dir.resolve("x")));
        assertThrows(IllegalArgumentException.class, () -> sec.writeKubeconfig("acme", null, null, dir));
        assertThrows(IllegalArgumentException.class, () -> sec.writeKubeconfig("ACME", null, null, dir.resolve("y")));
        assertFalse(Files.exists(dir.resolve("x")) || Files.exists(dir.resolve("y")));
        assertEquals(1, tokens.list().size(), "a refused kubeconfig creates no token");
    }

    @Test
    void certIssueWritesKeyCertificateAndCaOwnerOnly() throws Exception {
        MutableClock clock = new MutableClock(Instant.parse("2026-12-01T00:00:00Z"));
        SecureRandom random = new SecureRandom();
        NodeTls tls = NodeTls.open(dir.resolve("tls"), SubjectNames.forThisMachine(List.of()), NodeTls.SERVING_VALIDITY,
                clock, random);
        RestSecurity sec = new RestSecurity(new TokenStore(dir.resolve("tokens.json"), clock, random), tls, 16443,
                Duration.ofHours(24), 30);
        RestSecurity.IssuedFiles f = sec.issueCertificate("acme", null, dir.resolve("out"));
        for (Path p : List.of(f.key(), f.certificate(), f.ca())) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p.toString());
        }
        var cert = Pem.certificate(Files.readString(f.certificate()));
        assertEquals(Duration.ofDays(30).plusMinutes(5), Duration.between(cert.getNotBefore().toInstant(),
                cert.getNotAfter().toInstant()));
        assertTrue(cert.getSubjectX500Principal().getName().matches("CN=acme-[0-9a-f]{8},O=acme"),
                cert.getSubjectX500Principal().getName());
        assertTrue(f.key().getFileName().toString().matches("acme-[0-9a-f]{8}\\.key"));
        var check = new ClientCertificateCheck(tls.ca().certificate(), clock).check(new java.security.cert.X509Certificate[] {cert});
        assertTrue(check.ok(), check.problem());
        assertEquals("acme", check.tenant());
        assertThrows(IllegalArgumentException.class, () -> sec.issueCertificate("acme", 0, dir.resolve("out")));
        assertThrows(IllegalArgumentException.class, () -> sec.issueCertificate("acme", 3651, dir.resolve("out")));
        assertThrows(IllegalArgumentException.class, () -> sec.issueCertificate("acme", 1, f.key()));
    }
}

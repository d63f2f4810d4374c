package io.hivemesh.rest.internal.auth;

import io.hivemesh.rest.internal.http.ApiException;
import io.hivemesh.rest.internal.http.Caller;
import io.hivemesh.rest.internal.tls.CertificateAuthority;
import io.hivemesh.rest.internal.tls.MutableClock;
import io.hivemesh.rest.internal.tls.NodeTls;
import io.hivemesh.rest.internal.tls.SubjectNames;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class CredentialsAuthenticatorTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final int PORT = 16443;

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final SecureRandom random = new SecureRandom();
    private NodeTls tls;
    private TokenStore tokens;
    private CredentialsAuthenticator auth;

    @BeforeEach
    void setUp() {
        tls = NodeTls.open(dir.resolve("tls"), SubjectNames.forThisMachine(List.of()), NodeTls.SERVING_VALIDITY, clock,
                random);
        tokens = new TokenStore(dir.resolve("tokens.json"), clock, random);
        auth = new CredentialsAuthenticator(tokens, new ClientCertificateCheck(tls.ca().certificate(), clock), PORT);
    }

    private static Credentials tls(String... authorization) {
        return new Credentials(true, List.of(authorization), null);
    }

    private static Credentials tls(X509Certificate... chain) {
        return new Credentials(true, List.of(), chain);
    }

    private String refused(Credentials c) {
        ApiException e = assertThrows(ApiException.class, () -> auth.authenticate(c));
        assertEquals(401, e.code());
        assertEquals("Unauthorized", e.reason());
        return e.getMessage();
    }

    @Test
    void aValidTokenOverTlsIsItsTenant() {
        TokenStore.Created t = tokens.create("acme", Duration.ofHours(1));
        Caller c = auth.authenticate(tls("Bearer " + t.text()));
        assertEquals(new Caller("acme", "token " + t.token().id(), Caller.Method.TOKEN), c);
        assertEquals("acme", auth.authenticate(tls("bearer  " + t.text() + " ")).tenant(), "scheme is case-insensitive");
    }

    @Test
    void credentialsOverPlainHttpAreRefusedNamingTheTlsPort() {
        TokenStore.Created t = tokens.create("acme", Duration.ofHours(1));
        String m = refused(new Credentials(false, List.of("Bearer " + t.text()), null));
        assertTrue(m.contains("credentials are accepted only over TLS on port " + PORT), m);
        m = refused(new Credentials(false, List.of(), null));
        assertTrue(m.contains("no credentials") && m.contains("port " + PORT), m);
        m = refused(new Credentials(false, List.of(), new X509Certificate[] {tls.issueClient("acme", Duration.ofDays(1)).certificate()}));
        assertTrue(m.contains("only over TLS"), m);
    }

    @Test
    void noCredentials() {
        String m = refused(tls(new String[0]));
        assertTrue(m.startsWith("no credentials"), m);
        assertTrue(refused(new Credentials(true, List.of(), new X509Certificate[0])).startsWith("no credentials"));
    }

    @Test
    void malformedAuthorizationHeadersAreNamed() {
        assertTrue(refused(tls("Basic a2FyYWY6a2FyYWY=")).contains("scheme \"Basic\" is not supported"));
        assertTrue(refused(tls("Bearer")).contains("no token"));
        assertTrue(refused(tls("Bearer    ")).contains("no token"));
        assertTrue(refused(tls("")).contains("empty"));
        assertTrue(refused(tls("   ")).contains("empty"));
        assertTrue(refused(tls("Bearer x", "Bearer y")).contains("2 Authorization headers"));
        assertTrue(refused(tls("Bearer not-a-token")).contains("not a token of this node"));
        assertTrue(refused(tls("Bearer " + "A".repeat(100_000))).contains("100000 characters"));
        String weird = refused(tls("\u0000\u001b[31mEvil token"));
        assertTrue(weird.contains("??[31mEvil") && !weird.contains("\u001b"), "control characters are not echoed: " + weird);
        String longScheme = refused(tls("X".repeat(5000) + " t"));
        assertTrue(longScheme.length() < 200, longScheme);
    }

    @Test
    void revokedAndExpiredTokensSayWhy() {
        TokenStore.Created a = tokens.create("acme", Duration.ofHours(1));
        TokenStore.Created b = tokens.create("acme", Duration.ofHours(1));
        tokens.revoke(a.token().id());
        assertTrue(refused(tls("Bearer " + a.text())).contains("was revoked at"));
        clock.advance(Duration.ofHours(2));
        assertTrue(refused(tls("Bearer " + b.text())).contains("expired at"));
        assertTrue(refused(tls("Bearer " + "A".repeat(16) + "." + "B".repeat(43))).contains("unknown"));
    }

    @Test
    void aClientCertificateOfTheNodeCaIsItsTenantFromO() {
        X509Certificate c = tls.issueClient("blue", Duration.ofDays(30)).certificate();
        Caller caller = auth.authenticate(tls(c, tls.ca().certificate()));
        assertEquals("blue", caller.tenant());
        assertEquals(Caller.Method.CERTIFICATE, caller.method());
        assertTrue(caller.subject().startsWith("blue-"), caller.subject());
    }

    @Test
    void aTokenIsJudgedAloneEvenBesideAGoodCertificate() {
        X509Certificate c = tls.issueClient("blue", Duration.ofDays(30)).certificate();
        String m = refused(new Credentials(true, List.of("Bearer junk"), new X509Certificate[] {c}));
        assertTrue(m.contains("not a token"), m);
    }

    @Test
    void expiredOrNotYetValidCertificatesAreRefused() {
        X509Certificate c = tls.issueClient("blue", Duration.ofDays(1)).certificate();
        clock.advance(Duration.ofDays(2));
        assertTrue(refused(tls(c)).contains("expired at"));
        clock.set(T0.minus(Duration.ofDays(1)));
        assertTrue(refused(tls(c)).contains("not valid before"));
    }

    @Test
    void certificatesOfAnotherCaOrOfTheWrongKindAreRefused() {
        NodeTls other = NodeTls.open(dir.resolve("other"), SubjectNames.forThisMachine(List.of()),
                NodeTls.SERVING_VALIDITY, clock, random);
        assertTrue(refused(tls(other.issueClient("blue", Duration.ofDays(1)).certificate())).contains("not issued by this node's CA"));
        assertTrue(refused(tls(tls.ca().certificate())).contains("is a CA certificate"));
        assertTrue(refused(tls(tls.serving())).contains("not for client authentication"));
        // Another CA with the same name as this one: the signature decides.
        CertificateAuthority twin = new CertificateAuthority(other.ca().key(), tls.ca().certificate(), random);
        X509Certificate forged = twin.issue(new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "acme")
                        .addRDN(BCStyle.CN, "acme-1").build(), CertificateAuthority.newKeyPair(random).getPublic(),
                T0, T0.plus(Duration.ofDays(1)), CertificateAuthority.Usage.CLIENT, List.of());
        assertTrue(refused(tls(forged)).contains("not signed by this node's CA"));
    }

    @Test
    void theSubjectMustNameOneValidTenant() {
        var key = CertificateAuthority.newKeyPair(random).getPublic();
        X509Certificate twoOrgs = tls.ca().issue(new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "acme")
                        .addRDN(BCStyle.O, "blue").addRDN(BCStyle.CN, "x").build(), key, T0, T0.plus(Duration.ofDays(1)),
                CertificateAuthority.Usage.CLIENT, List.of());
        assertTrue(refused(tls(twoOrgs)).contains("exactly one O"));
        X509Certificate noOrg = tls.ca().issue(new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.CN, "x").build(),
                key, T0, T0.plus(Duration.ofDays(1)), CertificateAuthority.Usage.CLIENT, List.of());
        assertTrue(refused(tls(noOrg)).contains("exactly one O"));
        X509Certificate badTenant = tls.ca().issue(new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Acme Corp")
                        .addRDN(BCStyle.CN, "x").build(), key, T0, T0.plus(Duration.ofDays(1)),
                CertificateAuthority.Usage.CLIENT, List.of());
        assertTrue(refused(tls(badTenant)).contains("not a valid namespace name"));
    }
}

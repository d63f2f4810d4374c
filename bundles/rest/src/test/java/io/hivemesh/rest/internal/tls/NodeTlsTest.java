package io.hivemesh.rest.internal.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocket;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManagerFactory;
import java.io.InputStream;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyStore;
import java.security.SecureRandom;
import java.security.cert.CertPathValidator;
import java.security.cert.CertificateFactory;
import java.security.cert.PKIXParameters;
import java.security.cert.TrustAnchor;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NodeTlsTest {
    private static final Instant T0 = Instant.parse("2026-12-01T00:00:00Z");
    private static final Duration LIFE = Duration.ofDays(90);

    @TempDir
    Path dir;

    private final MutableClock clock = new MutableClock(T0);
    private final SecureRandom random = new SecureRandom();

    private Set<String> sans() {
        return SubjectNames.forThisMachine(List.of("api.example.test", "10.9.8.7"));
    }

    private NodeTls open() {
        return NodeTls.open(dir, sans(), LIFE, clock, random);
    }

    @Test
    void servingCertificateNamesTheMachineAndTheExtraSans() {
        NodeTls tls = open();
        Set<String> names = SubjectNames.of(tls.serving());
        for (String want : List.of("DNS:localhost", "IP:127.0.0.1", "IP:0:0:0:0:0:0:0:1", "DNS:api.example.test",
                "IP:10.9.8.7")) {
            assertTrue(names.contains(want), want + " in " + names);
        }
        assertEquals(sans(), names);
    }

    @Test
    void chainVerifiesWithThePkixValidatorAgainstTheCa() throws Exception {
        NodeTls tls = open();
        CertificateFactory cf = CertificateFactory.getInstance("X.509");
        PKIXParameters p = new PKIXParameters(Set.of(new TrustAnchor(tls.ca().certificate(), null)));
        p.setRevocationEnabled(false);
        p.setDate(Date.from(T0));
        CertPathValidator.getInstance("PKIX").validate(cf.generateCertPath(List.of(tls.serving())), p);
        assertEquals(-1, tls.serving().getBasicConstraints(), "the serving certificate is no CA");
        assertTrue(tls.ca().certificate().getBasicConstraints() >= 0, "the CA is a CA");
        assertEquals("SHA256withECDSA", tls.serving().getSigAlgName());
        assertEquals("EC", tls.ca().certificate().getPublicKey().getAlgorithm());
        assertTrue(tls.serving().getExtendedKeyUsage().contains("1.3.6.1.5.5.7.3.1"), "serverAuth");
        assertEquals(Duration.ofDays(3650).plus(CertificateAuthority.BACKDATE), Duration.between(
                tls.ca().certificate().getNotBefore().toInstant(), tls.ca().certificate().getNotAfter().toInstant()));
        // A certificate from another CA does not validate against this one.
        NodeTls other = NodeTls.open(dir.resolve("other"), sans(), LIFE, clock, random);
        assertThrows(java.security.cert.CertPathValidatorException.class, () -> CertPathValidator.getInstance("PKIX")
                .validate(cf.generateCertPath(List.of(other.serving())), p));
    }

    @Test
    void filesAreOwnerOnlyAndNoTemporaryFileIsLeft() throws Exception {
        open();
        try (var s = Files.list(dir)) {
            List<Path> files = s.toList();
            assertTrue(files.size() >= 7, files.toString());
            for (Path f : files) {
                assertFalse(f.getFileName().toString().endsWith(".tmp"), f.toString());
                assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)), f.toString());
            }
        }
    }

    @Test
    void reopeningKeepsTheCaAndTheServingCertificate() {
        NodeTls first = open();
        NodeTls again = open();
        assertEquals(first.ca().certificate(), again.ca().certificate());
        assertEquals(first.serving(), again.serving());
        assertEquals(first.keystore(), again.keystore());
        assertEquals(first.password(), again.password());
    }

    @Test
    void renewalThresholdIsOneThirdOfTheLifetime() {
        NodeTls tls = open();
        X509Certificate c = tls.serving();
        Instant from = c.getNotBefore().toInstant();
        Instant to = c.getNotAfter().toInstant();
        Instant threshold = to.minus(Duration.between(from, to).dividedBy(3));
        assertFalse(NodeTls.due(c, threshold.minusSeconds(1)));
        assertFalse(NodeTls.due(c, threshold));
        assertTrue(NodeTls.due(c, threshold.plusSeconds(1)));
        assertTrue(NodeTls.due(c, to.plusSeconds(1)));

        clock.set(threshold.minusSeconds(1));
        assertFalse(tls.renewIfDue(), "two thirds left: not renewed");
        assertEquals(c, tls.serving());
        clock.set(threshold.plusSeconds(1));
        Path oldStore = tls.keystore();
        assertTrue(tls.renewIfDue(), "less than a third left: renewed");
        assertNotEquals(c, tls.serving());
        assertNotEquals(oldStore, tls.keystore(), "a new key store name, so that Pax Web's configuration changes");
        assertFalse(Files.exists(oldStore), "the old key store is removed");
        assertEquals(clock.instant().plus(LIFE), tls.serving().getNotAfter().toInstant());
        assertFalse(tls.renewIfDue(), "a fresh certificate is not renewed again");
    }

    @Test
    void renewalAtStartKeepsTheCa() {
        NodeTls first = open();
        clock.advance(Duration.ofDays(61));
        NodeTls later = open();
        assertEquals(first.ca().certificate(), later.ca().certificate());
        assertNotEquals(first.serving(), later.serving());
        assertEquals(later.serving(), open().serving(), "the renewed certificate is what is reloaded");
    }

    @Test
    void otherSansIssueANewServingCertificateFromTheSameCa() {
        NodeTls first = open();
        Set<String> more = new LinkedHashSet<>(sans());
        more.add("DNS:new.example.test");
        NodeTls second = NodeTls.open(dir, more, LIFE, clock, random);
        assertEquals(first.ca().certificate(), second.ca().certificate());
        assertTrue(SubjectNames.of(second.serving()).contains("DNS:new.example.test"));
    }

    @Test
    void anIncompleteOrForeignCaIsRefusedNotReplaced() throws Exception {
        NodeTls tls = open();
        Path crt = dir.resolve("ca.crt");
        byte[] saved = Files.readAllBytes(crt);
        Files.delete(crt);
        IllegalStateException e = assertThrows(IllegalStateException.class, this::open);
        assertTrue(e.getMessage().contains("ca.crt is missing"), e.getMessage());
        assertFalse(Files.exists(crt), "no new CA certificate was written");
        // A ca.crt of another CA beside this key.
        NodeTls other = NodeTls.open(dir.resolve("other"), sans(), LIFE, clock, random);
        Files.writeString(crt, other.caPem());
        e = assertThrows(IllegalStateException.class, this::open);
        assertTrue(e.getMessage().contains("does not belong"), e.getMessage());
        Files.write(crt, new byte[] {1, 2, 3});
        e = assertThrows(IllegalStateException.class, this::open);
        assertTrue(e.getMessage().contains("unreadable"), e.getMessage());
        Files.write(crt, saved);
        assertEquals(tls.ca().certificate(), open().ca().certificate());
    }

    @Test
    void damagedServingFilesAreReplaced() throws Exception {
        NodeTls tls = open();
        Files.writeString(dir.resolve("serving.crt"), "junk");
        NodeTls again = open();
        assertNotEquals(tls.serving(), again.serving());
        assertEquals(tls.ca().certificate(), again.ca().certificate());
    }

    @Test
    void keyStoresHoldTheChainAndTheCa() throws Exception {
        NodeTls tls = open();
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tls.keystore())) {
            ks.load(in, tls.password().toCharArray());
        }
        assertEquals(2, ks.getCertificateChain(NodeTls.ALIAS).length);
        assertEquals(tls.serving(), ks.getCertificateChain(NodeTls.ALIAS)[0]);
        assertEquals(tls.ca().certificate(), ks.getCertificateChain(NodeTls.ALIAS)[1]);
        assertTrue(NodeTls.matches((java.security.PrivateKey) ks.getKey(NodeTls.ALIAS, tls.password().toCharArray()),
                tls.serving()));
        KeyStore ts = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(tls.truststore())) {
            ts.load(in, tls.password().toCharArray());
        }
        assertEquals(tls.ca().certificate(), ts.getCertificate("ca"));
    }

    /**
     * A real TLS handshake on loopback with the stores as Jetty gets them: the client trusts only
     * the CA and checks the host name (HTTPS endpoint identification) against IP 127.0.0.1; the
     * server asks for a client certificate and gets one issued by the CA.
     */
    @Test
    void handshakeOnLoopbackVerifiesTheServerNameAndTheClientCertificate() throws Exception {
        clock.set(Instant.now());
        NodeTls tls = open();
        SSLContext server = SSLContext.getInstance("TLS");
        server.init(kmf(load(tls.keystore(), tls.password()), tls.password()).getKeyManagers(),
                tmf(load(tls.truststore(), tls.password())).getTrustManagers(), random);
        IssuedCertificate client = tls.issueClient("acme", Duration.ofDays(1));
        KeyStore cks = KeyStore.getInstance("PKCS12");
        cks.load(null, null);
        cks.setKeyEntry("c", client.key(), "p".toCharArray(), new java.security.cert.Certificate[] {client.certificate()});
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", Pem.certificate(tls.caPem()));
        SSLContext cctx = SSLContext.getInstance("TLS");
        cctx.init(kmf(cks, "p").getKeyManagers(), tmf(trust).getTrustManagers(), random);
        try (SSLServerSocket ss = (SSLServerSocket) server.getServerSocketFactory().createServerSocket(0, 1,
                InetAddress.getLoopbackAddress())) {
            ss.setWantClientAuth(true);
            CompletableFuture<String> peer = CompletableFuture.supplyAsync(() -> {
                try (SSLSocket s = (SSLSocket) ss.accept()) {
                    s.startHandshake();
                    return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSubjectX500Principal().getName();
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            try (SSLSocket s = (SSLSocket) cctx.getSocketFactory().createSocket("127.0.0.1", ss.getLocalPort())) {
                SSLParameters p = s.getSSLParameters();
                p.setEndpointIdentificationAlgorithm("HTTPS");
                s.setSSLParameters(p);
                s.startHandshake();
                assertEquals(tls.serving(), s.getSession().getPeerCertificates()[0]);
            }
            assertTrue(peer.get(10, TimeUnit.SECONDS).contains("O=acme"));
        }
    }

    private static KeyStore load(Path p, String password) throws Exception {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(p)) {
            ks.load(in, password.toCharArray());
        }
        return ks;
    }

    private static KeyManagerFactory kmf(KeyStore ks, String password) throws Exception {
        KeyManagerFactory k = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        k.init(ks, password.toCharArray());
        return k;
    }

    private static TrustManagerFactory tmf(KeyStore ks) throws Exception {
        TrustManagerFactory t = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        t.init(ks);
        return t;
    }
}

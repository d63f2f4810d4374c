package io.hivemesh.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.karaf.options.KarafDistributionOption.editConfigurationFilePut;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.StringReader;
import java.math.BigInteger;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.inject.Inject;
import javax.net.ssl.HttpsURLConnection;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;
import javax.servlet.Servlet;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.junit.After;
import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

/**
 * The API's TLS and authentication in the real distribution. The node creates its CA, makes Pax
 * Web serve HTTPS on the API port, and registers the Authenticator; a test-only servlet
 * ({@link AuthProbeServlet}) on the whiteboard answers who the Authenticator says sent a request.
 * Checked: the HTTPS certificate verifies against the CA inside the kubeconfig rest:kubeconfig
 * writes (the JDK client with host name check on 127.0.0.1, and stock kubectl with that kubeconfig);
 * the token authenticates; a revoked token and plain HTTP are 401 with the reason; a client
 * certificate from rest:cert-issue authenticates as its tenant; an expired one signed by the same CA
 * is refused at the handshake (or 401), and one from a foreign CA never authenticates (the JDK client
 * does not even offer it: the server names the node CA as the acceptable issuer, so the request
 * arrives without credentials); a changed tls_san renews the serving certificate, Pax Web
 * restarts, and the whiteboard servlet answers again over the new certificate.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class RestSecurityIT extends KarafTestSupport {
    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String PATH = "/hivemesh-it/whoami";

    @Inject
    private ConfigurationAdmin configAdmin;

    private ServiceRegistration<Servlet> servlet;
    private Path work;

    @Configuration
    public Option[] config() {
        List<Option> o = new ArrayList<>(List.of(distribution()));
        o.add(editConfigurationFilePut("etc/io.hivemesh.rest.cfg", "port", freePort()));
        return o.toArray(Option[]::new);
    }

    @Before
    public void registerServlet() throws Exception {
        Hashtable<String, Object> p = new Hashtable<>();
        p.put("osgi.http.whiteboard.servlet.pattern", PATH);
        p.put("osgi.http.whiteboard.servlet.name", "hivemesh-it-whoami");
        servlet = bundleContext.registerService(Servlet.class, new AuthProbeServlet(bundleContext), p);
        work = Files.createTempDirectory("rest-security-it");
    }

    @After
    public void unregister() {
        servlet.unregister();
    }

    private int apiPort() throws IOException {
        return Integer.parseInt(String.valueOf(configAdmin.getConfiguration("io.hivemesh.rest", null).getProperties().get("port")));
    }

    /** Waits until Pax Web serves HTTPS on the API port with the CA's certificate and the servlet answers. */
    private Answer awaitServed(SSLContext ctx, String bearer) throws Exception {
        long deadline = System.nanoTime() + WAIT.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            try {
                Answer a = get(ctx, bearer);
                if (a.code != 404 && a.code != 503) {
                    return a;
                }
                last = new IllegalStateException("answered " + a.code + " " + a.body);
            } catch (IOException e) {
                last = e;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("HTTPS on port " + apiPort() + " did not serve " + PATH + " within " + WAIT, last);
    }

    @Test
    public void tlsTokensAndClientCertificatesInTheRealNode() throws Exception {
        int port = apiPort();
        // rest:kubeconfig: the CA to trust comes from the kubeconfig itself.
        Path kubeconfig = work.resolve("kubeconfig");
        String out = executeCommand("rest:kubeconfig --tenant acme " + kubeconfig);
        assertTrue(out, out.contains("written: tenant acme"));
        assertEquals("rw-------", java.nio.file.attribute.PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig)));
        String yaml = Files.readString(kubeconfig);
        assertTrue(yaml, yaml.contains("server: https://127.0.0.1:" + port));
        X509Certificate ca = certificate(new String(Base64.getDecoder().decode(field(yaml, "certificate-authority-data")),
                StandardCharsets.US_ASCII));
        String token = field(yaml, "token");
        SSLContext trustCaOnly = context(ca, null, null);

        // 1. HTTPS answers with a certificate that verifies against that CA (the JDK client checks
        //    the chain and IP 127.0.0.1 against the SANs), and the token authenticates.
        Answer a = awaitServed(trustCaOnly, token);
        assertEquals(a.body, 200, a.code);
        assertTrue(a.body, a.body.startsWith("tenant=acme method=TOKEN"));
        X509Certificate serving = (X509Certificate) a.serverChain[0];
        serving.verify(ca.getPublicKey());
        assertTrue(String.valueOf(serving.getSubjectAlternativeNames()),
                serving.getSubjectAlternativeNames().stream().anyMatch(n -> "127.0.0.1".equals(n.get(1))));

        // 2. Stock kubectl with the kubeconfig as written: it verifies the server and sends the token.
        String kubectl = kubectl(kubeconfig, "get", "--raw", PATH);
        assertTrue(kubectl, kubectl.contains("tenant=acme method=TOKEN"));

        // 3. No credentials, a revoked token, plain HTTP: 401 with the reason.
        Answer none = get(trustCaOnly, null);
        assertEquals(401, none.code);
        assertTrue(none.body, none.body.contains("\"message\":\"no credentials"));
        String id = token.substring(0, token.indexOf('.'));
        executeCommand("rest:token-revoke " + id);
        Answer revoked = get(trustCaOnly, token);
        assertEquals(401, revoked.code);
        assertTrue(revoked.body, revoked.body.contains("revoked"));
        String kubectlRevoked = kubectl(kubeconfig, "get", "--raw", PATH);
        assertTrue(kubectlRevoked, kubectlRevoked.contains("You must be logged in") && kubectlRevoked.contains("was revoked at"));
        String fresh = executeCommand("rest:token-create --tenant acme --ttl 30m").lines().reduce((x, y) -> y).orElseThrow().strip();
        Answer plain = getPlain(httpPort(), fresh);
        assertEquals(401, plain.code);
        assertTrue(plain.body, plain.body.contains("credentials are accepted only over TLS on port " + port));

        // 4. A client certificate from rest:cert-issue: its O is the tenant.
        Path certs = work.resolve("certs");
        out = executeCommand("rest:cert-issue --tenant blue --days 2 --out " + certs);
        assertTrue(out, out.contains("O=blue"));
        Path keyFile = onlyFile(certs, ".key");
        Path crtFile = onlyFile(certs.resolve(""), ".crt", "ca.crt");
        assertEquals(ca, certificate(Files.readString(certs.resolve("ca.crt"))));
        SSLContext blue = context(ca, privateKey(Files.readString(keyFile)), certificate(Files.readString(crtFile)));
        Answer b = get(blue, null);
        assertEquals(b.body, 200, b.code);
        assertTrue(b.body, b.body.startsWith("tenant=blue method=CERTIFICATE subject=blue-"));

        // 5. An expired certificate signed by the very same CA, and one from a foreign CA: refused.
        Path tls = Path.of(System.getProperty("karaf.data"), "hivemesh", "rest", "tls");
        PrivateKey caKey = privateKey(Files.readString(tls.resolve("ca.key")));
        Instant now = Instant.now();
        KeyPair expiredKey = ecKeyPair();
        X509Certificate expired = sign(ca, caKey, "CN=blue-expired,O=blue", expiredKey, now.minus(Duration.ofDays(3)),
                now.minus(Duration.ofDays(1)));
        String expiredOutcome = refusedOutcome(context(ca, expiredKey.getPrivate(), expired));
        // Over TLS 1.2 the client certificate is inside the handshake: the refusal is a handshake alert
        // (the valid certificate over TLS 1.2 first, so that the alert cannot be a protocol mismatch).
        Answer blue12 = get(context("TLSv1.2", ca, privateKey(Files.readString(keyFile)),
                certificate(Files.readString(crtFile))), null);
        assertEquals(blue12.body, 200, blue12.code);
        assertEquals("handshake completed", handshake(context("TLSv1.2", ca, privateKey(Files.readString(keyFile)),
                certificate(Files.readString(crtFile)))));
        String expiredTls12 = handshake(context("TLSv1.2", ca, expiredKey.getPrivate(), expired));
        assertTrue(expiredTls12, expiredTls12.startsWith("handshake failed"));
        KeyPair foreignCaKey = ecKeyPair();
        X509Certificate foreignCa = sign(null, foreignCaKey.getPrivate(), "CN=foreign CA,O=elsewhere", foreignCaKey,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
        KeyPair foreignKey = ecKeyPair();
        X509Certificate foreign = sign(foreignCa, foreignCaKey.getPrivate(), "CN=blue-x,O=blue", foreignKey,
                now.minus(Duration.ofDays(1)), now.plus(Duration.ofDays(1)));
        String foreignOutcome = refusedOutcome(context(ca, foreignKey.getPrivate(), foreign));
        System.out.println("expired client certificate: " + expiredOutcome + "; over TLS 1.2: " + expiredTls12
                + "; foreign CA: " + foreignOutcome);

        // 6. A changed tls_san: new serving certificate (same CA), Pax Web restarts its server,
        //    the whiteboard servlet answers again over the new certificate.
        org.osgi.service.cm.Configuration rest = configAdmin.getConfiguration("io.hivemesh.rest", null);
        Dictionary<String, Object> props = copy(rest.getProperties());
        props.put("tls_san", "restart.it.test");
        rest.update(props);
        long deadline = System.nanoTime() + WAIT.toNanos();
        Answer after = null;
        while (System.nanoTime() < deadline) {
            try {
                Answer x = get(trustCaOnly, fresh);
                if (x.code == 200 && ((X509Certificate) x.serverChain[0]).getSubjectAlternativeNames().stream()
                        .anyMatch(n -> "restart.it.test".equals(n.get(1)))) {
                    after = x;
                    break;
                }
            } catch (IOException e) {
                // Pax Web is restarting its server
            }
            Thread.sleep(250);
        }
        assertNotNull("the renewed certificate was not served within " + WAIT, after);
        assertTrue(after.body, after.body.startsWith("tenant=acme method=TOKEN"));
        ((X509Certificate) after.serverChain[0]).verify(ca.getPublicKey());
        assertTrue("a new serving certificate", !after.serverChain[0].equals(serving));
        assertEquals("the CA stays", ca, certificate(Files.readString(tls.resolve("ca.crt"))));
        // The client certificate issued before still works after the restart.
        assertEquals(200, get(blue, null).code);
    }

    /** Refused at the TLS handshake, or a 401 from the Authenticator: which one it was. */
    private String refusedOutcome(SSLContext ctx) throws Exception {
        try {
            Answer x = get(ctx, null);
            assertEquals(x.body, 401, x.code);
            assertTrue(x.body, !x.body.contains("tenant=blue"));
            return "401 " + x.body;
        } catch (SSLException e) {
            return "TLS handshake refused (" + e + ")";
        } catch (IOException e) {
            // Jetty may close the connection after its fatal alert before the client reads it
            if (String.valueOf(e.getMessage()).contains("Connection reset") || e instanceof java.net.SocketException) {
                return "connection closed at the handshake (" + e + ")";
            }
            throw e;
        }
    }

    /** A bare TLS handshake with the API port (no HTTP): whether it completed, or how it failed. */
    private String handshake(SSLContext ctx) throws IOException {
        try (javax.net.ssl.SSLSocket s = (javax.net.ssl.SSLSocket) ctx.getSocketFactory().createSocket()) {
            s.connect(new java.net.InetSocketAddress("127.0.0.1", apiPort()), 10_000);
            s.setSoTimeout(10_000);
            try {
                s.startHandshake();
                return "handshake completed";
            } catch (IOException e) {
                return "handshake failed: " + e;
            }
        }
    }

    private int httpPort() throws IOException {
        return Integer.parseInt(String.valueOf(configAdmin.getConfiguration("org.ops4j.pax.web", null).getProperties()
                .get("org.osgi.service.http.port")));
    }

    private record Answer(int code, String body, Certificate[] serverChain) {
    }

    private Answer get(SSLContext ctx, String bearer) throws Exception {
        HttpsURLConnection c = (HttpsURLConnection) new URL("https://127.0.0.1:" + apiPort() + PATH).openConnection();
        c.setSSLSocketFactory(ctx.getSocketFactory());
        c.setConnectTimeout(10_000);
        c.setReadTimeout(10_000);
        c.setRequestProperty("Connection", "close");
        if (bearer != null) {
            c.setRequestProperty("Authorization", "Bearer " + bearer);
        }
        try {
            int code = c.getResponseCode();
            Certificate[] chain = c.getServerCertificates();
            return new Answer(code, body(c, code), chain);
        } finally {
            c.disconnect();
        }
    }

    private Answer getPlain(int port, String bearer) throws Exception {
        HttpURLConnection c = (HttpURLConnection) new URL("http://127.0.0.1:" + port + PATH).openConnection();
        c.setConnectTimeout(10_000);
        c.setReadTimeout(10_000);
        c.setRequestProperty("Authorization", "Bearer " + bearer);
        try {
            int code = c.getResponseCode();
            return new Answer(code, body(c, code), null);
        } finally {
            c.disconnect();
        }
    }

    private static String body(HttpURLConnection c, int code) throws IOException {
        try (InputStream in = code >= 400 ? c.getErrorStream() : c.getInputStream()) {
            return in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private String kubectl(Path kubeconfig, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(), "--request-timeout=20s"));
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        pb.environment().put("KUBECACHEDIR", work.resolve("kube-cache").toString());
        pb.environment().put("HOME", work.toString());
        Process p = pb.start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail("kubectl did not finish within 60 s");
        }
        return new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    }

    private static String field(String yaml, String name) {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(name) + ":\\s*(\\S+)\\s*$").matcher(yaml);
        assertTrue(name + " in " + yaml, m.find());
        return m.group(1);
    }

    private static Path onlyFile(Path dir, String suffix, String... except) throws IOException {
        try (var s = Files.list(dir)) {
            List<Path> l = s.filter(p -> p.getFileName().toString().endsWith(suffix)
                    && !List.of(except).contains(p.getFileName().toString())).toList();
            assertEquals(l.toString(), 1, l.size());
            return l.get(0);
        }
    }

    private static Dictionary<String, Object> copy(Dictionary<String, Object> d) {
        Hashtable<String, Object> h = new Hashtable<>();
        for (Enumeration<String> k = d.keys(); k.hasMoreElements(); ) {
            String key = k.nextElement();
            h.put(key, d.get(key));
        }
        return h;
    }

    private static SSLContext context(X509Certificate ca, PrivateKey key, X509Certificate cert) throws Exception {
        return context("TLS", ca, key, cert);
    }

    private static SSLContext context(String protocol, X509Certificate ca, PrivateKey key, X509Certificate cert)
            throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        KeyManagerFactory kmf = null;
        if (key != null) {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("client", key, "p".toCharArray(), new Certificate[] {cert});
            kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(ks, "p".toCharArray());
        }
        SSLContext ctx = SSLContext.getInstance(protocol);
        ctx.init(kmf == null ? null : kmf.getKeyManagers(), tmf.getTrustManagers(), new SecureRandom());
        return ctx;
    }

    private static X509Certificate certificate(String pem) throws Exception {
        return (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
    }

    private static PrivateKey privateKey(String pem) throws Exception {
        try (PEMParser p = new PEMParser(new StringReader(pem))) {
            return new JcaPEMKeyConverter().getPrivateKey((PrivateKeyInfo) p.readObject());
        }
    }

    private static KeyPair ecKeyPair() throws Exception {
        KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
        g.initialize(new ECGenParameterSpec("secp256r1"));
        return g.generateKeyPair();
    }

    /** A certificate for {@code subject}'s key, signed by {@code issuerKey} ({@code issuer} null: self-signed CA). */
    private static X509Certificate sign(X509Certificate issuer, PrivateKey issuerKey, String subject, KeyPair subjectKey,
                                        Instant from, Instant to) throws Exception {
        X500Name name = new X500Name(subject);
        JcaX509v3CertificateBuilder b = issuer == null
                ? new JcaX509v3CertificateBuilder(name, BigInteger.valueOf(System.nanoTime()), Date.from(from),
                        Date.from(to), name, subjectKey.getPublic())
                : new JcaX509v3CertificateBuilder(issuer, BigInteger.valueOf(System.nanoTime()), Date.from(from),
                        Date.from(to), name, subjectKey.getPublic());
        if (issuer == null) {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(0));
        } else {
            b.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            b.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_clientAuth));
        }
        return new JcaX509CertificateConverter().getCertificate(
                b.build(new JcaContentSignerBuilder("SHA256withECDSA").build(issuerKey)));
    }
}

package io.hivemesh.rest.internal.tls;

import io.hivemesh.rest.internal.http.SecureFiles;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.X500NameBuilder;
import org.bouncycastle.asn1.x500.style.BCStyle;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * The node's TLS material in one directory ({@code ${karaf.data}/hivemesh/rest/tls/}): the CA
 * ({@code ca.key}, {@code ca.crt}), the serving certificate ({@code serving.key}, {@code serving.crt}
 * with the chain), the PKCS#12 key store Jetty serves from ({@code serving-<hash>.p12}: a new name
 * for each serving certificate, so that a renewal changes the Pax Web configuration), the trust
 * store with the CA for client certificates ({@code truststore.p12}) and their password
 * ({@code keystore.password}). Every file is 0600 and written atomically.
 *
 * <p>The CA is created once and then always reloaded. The serving certificate is issued again when
 * it is missing, not from this CA, names other SANs than wanted, or has less than a third of its
 * lifetime left. Thread-safe.
 */
public final class NodeTls {
    public static final Duration CA_VALIDITY = Duration.ofDays(3650);
    public static final Duration SERVING_VALIDITY = Duration.ofDays(90);
    static final String ALIAS = "serving";

    private final Path dir;
    private final Set<String> sans;
    private final Duration servingValidity;
    private final Clock clock;
    private final SecureRandom random;
    private final CertificateAuthority ca;
    private final String password;
    private volatile X509Certificate serving;
    private volatile Path keystore;

    private NodeTls(Path dir, Set<String> sans, Duration servingValidity, Clock clock, SecureRandom random,
                    CertificateAuthority ca, String password) {
        this.dir = dir;
        this.sans = Set.copyOf(sans);
        this.servingValidity = servingValidity;
        this.clock = clock;
        this.random = random;
        this.ca = ca;
        this.password = password;
    }

    /**
     * Loads the material in {@code dir}, creating what is missing, and renews the serving
     * certificate if it is due or names other SANs than {@code sans}.
     *
     * @throws IllegalStateException if the CA files are incomplete or unreadable (the CA is never
     *         replaced silently: every issued certificate and kubeconfig depends on it)
     */
    public static NodeTls open(Path dir, Set<String> sans, Duration servingValidity, Clock clock, SecureRandom random) {
        SecureFiles.directory(dir);
        CertificateAuthority ca = loadOrCreateCa(dir, clock, random);
        String password = loadOrCreatePassword(dir.resolve("keystore.password"), random);
        NodeTls tls = new NodeTls(dir, sans, servingValidity, clock, random, ca, password);
        tls.loadServing();
        tls.writeTruststoreIfMissing();
        tls.renewIfDue();
        return tls;
    }

    private static CertificateAuthority loadOrCreateCa(Path dir, Clock clock, SecureRandom random) {
        Path keyFile = dir.resolve("ca.key");
        Path certFile = dir.resolve("ca.crt");
        boolean hasKey = Files.exists(keyFile);
        boolean hasCert = Files.exists(certFile);
        if (hasKey && hasCert) {
            PrivateKey key;
            X509Certificate cert;
            try {
                key = Pem.privateKey(read(keyFile));
                cert = Pem.certificate(read(certFile));
            } catch (IllegalArgumentException e) {
                throw new IllegalStateException("the node CA in " + dir + " is unreadable: " + e.getMessage(), e);
            }
            if (!matches(key, cert)) {
                throw new IllegalStateException("the node CA in " + dir + ": ca.key does not belong to ca.crt");
            }
            return new CertificateAuthority(key, cert, random);
        }
        if (hasKey || hasCert) {
            throw new IllegalStateException("the node CA in " + dir + " is incomplete: "
                    + (hasKey ? "ca.crt" : "ca.key") + " is missing (restore it, or delete the tls directory to"
                    + " create a new CA and reissue every client certificate and kubeconfig)");
        }
        CertificateAuthority ca = CertificateAuthority.create("Hivemesh node CA " + HexFormat.of().formatHex(bytes(random, 4)),
                clock.instant(),
                CA_VALIDITY, random);
        // The key first: a crash between the two writes leaves "incomplete", never a certificate
        // without its key that a new key would silently replace.
        SecureFiles.write(keyFile, Pem.encode(ca.key()).getBytes(StandardCharsets.US_ASCII));
        SecureFiles.write(certFile, Pem.encode(ca.certificate()).getBytes(StandardCharsets.US_ASCII));
        return ca;
    }

    private static String loadOrCreatePassword(Path file, SecureRandom random) {
        if (Files.exists(file)) {
            String p = read(file).strip();
            if (!p.isEmpty()) {
                return p;
            }
        }
        String p = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes(random, 24));
        SecureFiles.write(file, p.getBytes(StandardCharsets.US_ASCII));
        return p;
    }

    private void loadServing() {
        Path certFile = dir.resolve("serving.crt");
        Path keyFile = dir.resolve("serving.key");
        if (!Files.exists(certFile) || !Files.exists(keyFile)) {
            return;
        }
        try {
            X509Certificate cert = Pem.certificate(read(certFile));
            PrivateKey key = Pem.privateKey(read(keyFile));
            if (!matches(key, cert)) {
                return;
            }
            Path ks = dir.resolve(keystoreName(cert));
            if (!Files.exists(ks)) {
                writeKeystore(ks, key, cert);
            }
            serving = cert;
            keystore = ks;
        } catch (IllegalArgumentException e) {
            // unreadable serving files: renewIfDue issues a new certificate
        }
    }

    /** Whether {@code cert} has less than a third of its lifetime left at {@code now}. */
    public static boolean due(X509Certificate cert, Instant now) {
        Instant from = cert.getNotBefore().toInstant();
        Instant to = cert.getNotAfter().toInstant();
        Duration life = Duration.between(from, to);
        return Duration.between(now, to).compareTo(life.dividedBy(3)) < 0;
    }

    /**
     * Issues a new serving certificate if the current one is missing, not from this CA, names other
     * SANs or is {@link #due}. Returns whether it did (the key store path then changed).
     */
    public synchronized boolean renewIfDue() {
        X509Certificate current = serving;
        if (current != null && !due(current, clock.instant()) && issuedByCa(current)
                && SubjectNames.of(current).equals(sans)) {
            return false;
        }
        Instant now = clock.instant();
        KeyPair kp = CertificateAuthority.newKeyPair(random);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, "Hivemesh")
                .addRDN(BCStyle.CN, "hivemesh-node").build();
        X509Certificate cert = ca.issue(subject, kp.getPublic(), now.minus(CertificateAuthority.BACKDATE),
                now.plus(servingValidity), CertificateAuthority.Usage.SERVER,
                SubjectNames.generalNames(new LinkedHashSet<>(sortedSans())));
        Path ks = dir.resolve(keystoreName(cert));
        writeKeystore(ks, kp.getPrivate(), cert);
        SecureFiles.write(dir.resolve("serving.key"), Pem.encode(kp.getPrivate()).getBytes(StandardCharsets.US_ASCII));
        SecureFiles.write(dir.resolve("serving.crt"), (Pem.encode(cert) + Pem.encode(ca.certificate()))
                .getBytes(StandardCharsets.US_ASCII));
        serving = cert;
        keystore = ks;
        deleteOtherKeystores(ks);
        return true;
    }

    private List<String> sortedSans() {
        return sans.stream().sorted().toList();
    }

    /** A client certificate for {@code tenant}: subject {@code CN=<tenant>-<random>, O=<tenant>}. */
    public IssuedCertificate issueClient(String tenant, Duration validity) {
        Instant now = clock.instant();
        KeyPair kp = CertificateAuthority.newKeyPair(random);
        X500Name subject = new X500NameBuilder(BCStyle.INSTANCE).addRDN(BCStyle.O, tenant)
                .addRDN(BCStyle.CN, tenant + "-" + HexFormat.of().formatHex(bytes(random, 4))).build();
        X509Certificate cert = ca.issue(subject, kp.getPublic(), now.minus(CertificateAuthority.BACKDATE),
                now.plus(validity), CertificateAuthority.Usage.CLIENT, List.of());
        return new IssuedCertificate(kp.getPrivate(), cert, ca.certificate());
    }

    public CertificateAuthority ca() {
        return ca;
    }

    public X509Certificate serving() {
        return serving;
    }

    /** The PKCS#12 key store with the serving key and chain (alias {@value #ALIAS}). */
    public Path keystore() {
        return keystore;
    }

    /** The PKCS#12 trust store with the CA (client certificates chain to it). */
    public Path truststore() {
        return dir.resolve("truststore.p12");
    }

    /** The password of both stores and of the key. */
    public String password() {
        return password;
    }

    public String caPem() {
        return Pem.encode(ca.certificate());
    }

    private boolean issuedByCa(X509Certificate cert) {
        try {
            cert.verify(ca.certificate().getPublicKey());
            return cert.getIssuerX500Principal().equals(ca.certificate().getSubjectX500Principal());
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private void writeKeystore(Path file, PrivateKey key, X509Certificate cert) {
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry(ALIAS, key, password.toCharArray(), new Certificate[] {cert, ca.certificate()});
            SecureFiles.write(file, store(ks));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write the key store " + file + ": " + e.getMessage(), e);
        }
    }

    private void writeTruststoreIfMissing() {
        Path file = truststore();
        if (Files.exists(file)) {
            return;
        }
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setCertificateEntry("ca", ca.certificate());
            SecureFiles.write(file, store(ks));
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalStateException("cannot write the trust store " + file + ": " + e.getMessage(), e);
        }
    }

    private byte[] store(KeyStore ks) throws GeneralSecurityException, IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ks.store(out, password.toCharArray());
        return out.toByteArray();
    }

    private void deleteOtherKeystores(Path keep) {
        try (DirectoryStream<Path> s = Files.newDirectoryStream(dir, "serving-*.p12")) {
            for (Path p : s) {
                if (!p.equals(keep)) {
                    Files.deleteIfExists(p);
                }
            }
        } catch (IOException e) {
            // an old key store left behind is harmless; the next renewal tries again
        }
    }

    static String keystoreName(X509Certificate cert) {
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(cert.getEncoded());
            return "serving-" + HexFormat.of().formatHex(h, 0, 8) + ".p12";
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Whether {@code key} is the private half of {@code cert}'s public key (a signature check). */
    static boolean matches(PrivateKey key, X509Certificate cert) {
        try {
            java.security.Signature s = java.security.Signature.getInstance("SHA256withECDSA");
            s.initSign(key);
            byte[] probe = "hivemesh key check".getBytes(StandardCharsets.US_ASCII);
            s.update(probe);
            byte[] sig = s.sign();
            s.initVerify(cert.getPublicKey());
            s.update(probe);
            return s.verify(sig);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    private static byte[] bytes(SecureRandom random, int n) {
        byte[] b = new byte[n];
        random.nextBytes(b);
        return b;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file, StandardCharsets.US_ASCII);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}

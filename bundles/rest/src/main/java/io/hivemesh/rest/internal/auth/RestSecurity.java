package io.hivemesh.rest.internal.auth;

import io.hivemesh.rest.internal.tls.IssuedCertificate;
import io.hivemesh.rest.internal.tls.NodeTls;
import io.hivemesh.rest.internal.tls.Pem;
import io.hivemesh.rest.internal.http.SecureFiles;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * What the rest:* commands do, over the node's token store and TLS material: tokens, client
 * certificates and kubeconfigs. Thread-safe (its parts are).
 */
public final class RestSecurity {
    /** The longest client certificate lifetime {@code rest:cert-issue} gives. */
    public static final int MAX_CERT_DAYS = 3650;

    private final TokenStore tokens;
    private final NodeTls tls;
    private final int port;
    private final Duration defaultTtl;
    private final int defaultCertDays;

    /** Files {@code rest:cert-issue} wrote. */
    public record IssuedFiles(IssuedCertificate issued, Path key, Path certificate, Path ca) {
    }

    public RestSecurity(TokenStore tokens, NodeTls tls, int port, Duration defaultTtl, int defaultCertDays) {
        this.tokens = tokens;
        this.tls = tls;
        this.port = port;
        this.defaultTtl = defaultTtl;
        this.defaultCertDays = defaultCertDays;
    }

    /** A new token for {@code tenant}, valid for {@code ttl} (null: the configured default). */
    public TokenStore.Created createToken(String tenant, String ttl) {
        return tokens.create(tenant, ttl == null ? defaultTtl : Durations.parse(ttl));
    }

    public List<Token> tokens() {
        return tokens.list();
    }

    public Token revoke(String id) {
        return tokens.revoke(id);
    }

    /**
     * Issues a client certificate for {@code tenant} valid for {@code days} (null: the default) and
     * writes {@code <CN>.key}, {@code <CN>.crt} and {@code ca.crt} into {@code dir} (0600).
     */
    public IssuedFiles issueCertificate(String tenant, Integer days, Path dir) {
        Tenants.check(tenant);
        int d = days == null ? defaultCertDays : days;
        if (d < 1 || d > MAX_CERT_DAYS) {
            throw new IllegalArgumentException("--days must be 1.." + MAX_CERT_DAYS + ", not " + d);
        }
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            throw new IllegalArgumentException(dir + " is not a directory");
        }
        IssuedCertificate c = tls.issueClient(tenant, Duration.ofDays(d));
        String cn = c.certificate().getSubjectX500Principal().getName().replaceAll(".*CN=([^,]+).*", "$1");
        Path key = dir.resolve(cn + ".key");
        Path crt = dir.resolve(cn + ".crt");
        Path ca = dir.resolve("ca.crt");
        SecureFiles.write(key, Pem.encode(c.key()).getBytes(StandardCharsets.US_ASCII));
        SecureFiles.write(crt, Pem.encode(c.certificate()).getBytes(StandardCharsets.US_ASCII));
        SecureFiles.write(ca, Pem.encode(c.ca()).getBytes(StandardCharsets.US_ASCII));
        return new IssuedFiles(c, key, crt, ca);
    }

    /**
     * Creates a token for {@code tenant} and writes a kubeconfig with it to {@code file} (0600).
     * {@code server} null: {@code https://127.0.0.1:<port>}.
     */
    public TokenStore.Created writeKubeconfig(String tenant, String ttl, String server, Path file) {
        String url = server == null ? "https://127.0.0.1:" + port : server;
        URI u;
        try {
            u = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--server " + url + " is not a URL: " + e.getMessage());
        }
        if (!"https".equals(u.getScheme()) || u.getHost() == null) {
            throw new IllegalArgumentException("--server must be an https:// URL with a host (kubectl sends no"
                    + " credentials over http), not " + url);
        }
        if (Files.isDirectory(file)) {
            throw new IllegalArgumentException(file + " is a directory; give the kubeconfig's file name");
        }
        Tenants.check(tenant);
        Duration d = ttl == null ? defaultTtl : Durations.parse(ttl);
        TokenStore.Created t = tokens.create(tenant, d);
        SecureFiles.write(file, Kubeconfig.yaml(url, tls.caPem(), tenant, t.text()).getBytes(StandardCharsets.UTF_8));
        return t;
    }

    public int port() {
        return port;
    }

    public Duration defaultTtl() {
        return defaultTtl;
    }
}

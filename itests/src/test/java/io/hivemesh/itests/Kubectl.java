package io.hivemesh.itests;

import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * The machine's stock kubectl (/usr/bin/kubectl) with one kubeconfig and a discovery cache of its
 * own (kubectl caches discovery per host:port for hours), every run bounded in time.
 */
final class Kubectl {
    /** What one kubectl run printed (stdout + stderr) and its exit status. */
    record Result(int exit, String out) {
    }

    private final Path kubeconfig;
    private final Path cache;

    Kubectl(Path kubeconfig, Path cache) {
        this.kubeconfig = kubeconfig;
        this.cache = cache;
    }

    Path kubeconfig() {
        return kubeconfig;
    }

    Result run(String... args) throws Exception {
        return run(Duration.ofSeconds(120), args);
    }

    Result run(Duration timeout, String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", cache.toString(), "--request-timeout=60s"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        p.getOutputStream().close();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(buf);
            } catch (java.io.IOException ignored) {
                // process gone
            }
        });
        reader.start();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            reader.join(5000);
            throw new AssertionError("kubectl " + String.join(" ", args) + " did not end within " + timeout.toSeconds()
                    + " s: " + buf.toString(StandardCharsets.UTF_8));
        }
        reader.join(5000);
        return new Result(p.exitValue(), buf.toString(StandardCharsets.UTF_8));
    }

    /** Runs kubectl every half second until it exits 0 with output {@code ok} accepts, at most {@code wait}. */
    String await(Predicate<String> ok, String what, Duration wait, String... args) throws Exception {
        long end = System.nanoTime() + wait.toNanos();
        Result last = null;
        while (System.nanoTime() < end) {
            last = run(args);
            if (last.exit() == 0 && ok.test(last.out())) {
                return last.out();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not within " + wait.toSeconds() + " s: " + what + "; last `kubectl "
                + String.join(" ", args) + "`: " + (last == null ? "" : last.out()));
    }

    /** A field of the kubeconfig (first occurrence of {@code key: value}). */
    String field(String key) throws Exception {
        Matcher m = Pattern.compile("(?m)^\\s*" + Pattern.quote(key) + ":\\s*(\\S+)\\s*$")
                .matcher(Files.readString(kubeconfig));
        if (!m.find()) {
            throw new AssertionError(kubeconfig + " has no " + key);
        }
        return m.group(1);
    }

    /** A TLS context that trusts exactly the CA of this kubeconfig. */
    SSLContext tls() throws Exception {
        byte[] pem = Base64.getDecoder().decode(field("certificate-authority-data"));
        X509Certificate ca = (X509Certificate) CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(pem));
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        ks.setCertificateEntry("ca", ca);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }

    /** A copy of this kubeconfig with another token. */
    Kubectl withToken(Path file, String token) throws Exception {
        String text = Files.readString(kubeconfig);
        String replaced = text.replaceAll("(?m)^(\\s*token:).*$", "$1 " + token);
        Files.writeString(file, replaced);
        return new Kubectl(file, cache);
    }
}

package io.hivemesh.benchmarks.rest;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Arrays;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Requests per second of one GET against a node's API over TLS: {@code CLIENTS} threads, each with
 * its own {@link HttpClient} (HTTP/1.1, so one keep-alive connection per thread), each sending the
 * next request when the previous answer's body is read. A warm-up, then a run bounded by time and
 * by the total number of requests, whichever ends first. Reports requests/s, p50/p90/p99/max
 * latency, and errors (status other than 200, a body that does not hold {@code expect}, or an
 * exception; the first of each is printed).
 *
 * <p>The server's certificate is checked against the CA (the kubeconfig's certificate authority)
 * with the JDK's hostname check; the bearer token, if given, goes on every request. JDK only, so it
 * also runs as a single source file: {@code java ApiRps.java ...}.
 *
 * <p>Usage: {@code ApiRps URL CA_PEM TOKEN_FILE|- EXPECT SECONDS MAX_REQUESTS CLIENTS WARMUP_SECONDS}.
 */
public final class ApiRps {
    private ApiRps() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 8) {
            System.err.println("usage: ApiRps URL CA_PEM TOKEN_FILE|- EXPECT SECONDS MAX_REQUESTS CLIENTS WARMUP_SECONDS");
            System.exit(2);
        }
        URI uri = URI.create(args[0]);
        SSLContext tls = trusting(Path.of(args[1]));
        String token = args[2].equals("-") ? null : Files.readString(Path.of(args[2])).strip();
        String expect = args[3];
        Duration run = Duration.ofSeconds(Long.parseLong(args[4]));
        long maxRequests = Long.parseLong(args[5]);
        int clients = Integer.parseInt(args[6]);
        Duration warmup = Duration.ofSeconds(Long.parseLong(args[7]));

        HttpClient[] http = new HttpClient[clients];
        for (int i = 0; i < clients; i++) {
            http[i] = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(tls)
                    .connectTimeout(Duration.ofSeconds(10)).build();
        }
        HttpRequest.Builder b = HttpRequest.newBuilder(uri).GET().timeout(Duration.ofSeconds(30))
                .header("Accept", "application/json");
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        HttpRequest request = b.build();

        Phase w = phase(http, request, expect, warmup, Long.MAX_VALUE);
        System.out.printf(Locale.ROOT, "warm-up %s: %d requests, %d errors in %.1f s%n", uri, w.done, w.errors,
                w.nanos / 1e9);
        Phase p = phase(http, request, expect, run, maxRequests);
        long[] lat = p.latencies;
        Arrays.sort(lat);
        System.out.printf(Locale.ROOT,
                "GET %s: %d clients, %d requests in %.2f s: %.0f requests/s; latency p50 %.2f ms, p90 %.2f ms,"
                        + " p99 %.2f ms, max %.2f ms; errors %d%n",
                uri.getPath(), clients, p.done, p.nanos / 1e9, p.done / (p.nanos / 1e9), pct(lat, 50), pct(lat, 90),
                pct(lat, 99), lat.length == 0 ? 0 : lat[lat.length - 1] / 1e6, p.errors);
        System.out.printf(Locale.ROOT, "bytes per answer (last): %d%n", p.lastBytes.get());
        if (p.firstError.get() != null) {
            System.out.println("first error: " + p.firstError.get());
        }
    }

    private record Phase(long done, long errors, long nanos, long[] latencies, AtomicReference<String> firstError,
            AtomicLong lastBytes) {
    }

    private static Phase phase(HttpClient[] http, HttpRequest request, String expect, Duration length,
            long maxRequests) throws InterruptedException {
        int clients = http.length;
        AtomicLong issued = new AtomicLong();
        AtomicLong errors = new AtomicLong();
        AtomicReference<String> firstError = new AtomicReference<>();
        AtomicLong lastBytes = new AtomicLong();
        long[][] perThread = new long[clients][];
        int[] counts = new int[clients];
        int cap = (int) Math.min(maxRequests, 5_000_000L);
        CountDownLatch start = new CountDownLatch(1);
        CountDownLatch end = new CountDownLatch(clients);
        long[] deadline = new long[1];
        Thread[] threads = new Thread[clients];
        for (int c = 0; c < clients; c++) {
            int me = c;
            perThread[c] = new long[1024];
            threads[c] = new Thread(() -> {
                try {
                    start.await();
                    while (System.nanoTime() < deadline[0] && issued.incrementAndGet() <= cap) {
                        long t0 = System.nanoTime();
                        String error = null;
                        try {
                            HttpResponse<byte[]> r = http[me].send(request, HttpResponse.BodyHandlers.ofByteArray());
                            byte[] body = r.body();
                            lastBytes.set(body.length);
                            if (r.statusCode() != 200) {
                                error = "status " + r.statusCode() + ": " + head(body);
                            } else if (!new String(body, java.nio.charset.StandardCharsets.UTF_8).contains(expect)) {
                                error = "200 without '" + expect + "': " + head(body);
                            }
                        } catch (Exception e) {
                            error = e.toString();
                        }
                        long t = System.nanoTime() - t0;
                        if (error != null) {
                            errors.incrementAndGet();
                            firstError.compareAndSet(null, error);
                        }
                        if (counts[me] == perThread[me].length) {
                            perThread[me] = Arrays.copyOf(perThread[me], perThread[me].length * 2);
                        }
                        perThread[me][counts[me]++] = t;
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } finally {
                    end.countDown();
                }
            }, "api-rps-" + c);
            threads[c].start();
        }
        long t0 = System.nanoTime();
        deadline[0] = t0 + length.toNanos();
        start.countDown();
        // Every request has a 30 s timeout: the run ends at most that long after its deadline.
        if (!end.await(length.toSeconds() + 60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("clients still busy 60 s after the run's end");
        }
        long nanos = System.nanoTime() - t0;
        int total = 0;
        for (int n : counts) {
            total += n;
        }
        long[] all = new long[total];
        int at = 0;
        for (int c = 0; c < clients; c++) {
            System.arraycopy(perThread[c], 0, all, at, counts[c]);
            at += counts[c];
        }
        return new Phase(total, errors.get(), nanos, all, firstError, lastBytes);
    }

    private static String head(byte[] body) {
        String s = new String(body, 0, Math.min(body.length, 200), java.nio.charset.StandardCharsets.UTF_8);
        return s.replaceAll("\\s+", " ");
    }

    private static double pct(long[] sorted, int p) {
        if (sorted.length == 0) {
            return 0;
        }
        int i = (int) Math.min(sorted.length - 1, Math.round((sorted.length - 1) * p / 100.0));
        return sorted[i] / 1e6;
    }

    private static SSLContext trusting(Path caPem) throws Exception {
        KeyStore ks = KeyStore.getInstance(KeyStore.getDefaultType());
        ks.load(null, null);
        try (InputStream in = Files.newInputStream(caPem)) {
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                ks.setCertificateEntry("ca" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException("no certificate in " + caPem);
            }
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(ks);
        SSLContext ctx = SSLContext.getInstance("TLS");
        ctx.init(null, tmf.getTrustManagers(), null);
        return ctx;
    }
}

package io.hivemesh.benchmarks.transport;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.Stream;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.crypto.internal.Standalone;
import io.hivemesh.transport.internal.HostConfig;
import io.hivemesh.transport.internal.Libp2pHost;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import javax.crypto.spec.IvParameterSpec;
import javax.crypto.spec.SecretKeySpec;

/**
 * Transport benchmark harness (not a test): one-stream throughput Java→Java, js→js, Java→js and
 * js→Java with the same sink protocol, libp2p ping round trips (new stream per ping, as js's ping
 * service does) Java→Java and js→js, and the ChaCha20-Poly1305 speed on one core of the JDK and of
 * Conscrypt (the Noise cipher the host chose is named, and its speed is the one compared), all in one
 * run. Prints a Markdown table. {@code -Dhivemesh.noise.cipher=jdk} measures the hosts with the JDK's
 * cipher. Usage (after building, with the js peer installed by the build):
 * {@code java -cp benchmarks/target/benchmarks.jar io.hivemesh.benchmarks.transport.TransportBench [MiB] [pings]}
 */
public final class TransportBench {
    static final String SINK = "/hivemesh/test/sink/1.0.0";
    static final Path JS_DIR = Path.of(System.getProperty("hivemesh.jsPeer", "bundles/transport/src/test/js-peer"));
    static final ObjectMapper JSON = new ObjectMapper();

    private TransportBench() {
    }

    public static void main(String[] args) throws Exception {
        int mib = args.length > 0 ? Integer.parseInt(args[0]) : 256;
        int pings = args.length > 1 ? Integer.parseInt(args[1]) : 200;
        long bytes = (long) mib << 20;
        Libp2pHost a = host();
        Libp2pHost b = host();
        try (Js j1 = new Js(); Js j2 = new Js()) {
            List<String[]> rows = new ArrayList<>();
            String inUse = a.info().get(io.hivemesh.api.net.Host.INFO_CIPHER);
            double jdk = chacha(null, "ChaCha20-Poly1305");
            double conscrypt = chacha(org.conscrypt.Conscrypt.newProvider(), "ChaCha20/Poly1305/NoPadding");
            double cipher = inUse.contains("Conscrypt") ? conscrypt : jdk;
            rows.add(row("ChaCha20-Poly1305 encrypt, JDK, 1 core, 64 KiB messages", jdk, "MiB/s"));
            rows.add(row("ChaCha20-Poly1305 encrypt, Conscrypt, 1 core, 64 KiB messages", conscrypt, "MiB/s"));
            System.out.println("Noise cipher of the hosts: " + inUse);
            // warm-up: the JIT needs a few hundred MiB before Java figures mean anything
            javaSink(a, b, 256L << 20);
            j1.call("transfer", "addr", j2.addr, "protocol", SINK, "bytes", 64 << 20);
            double jj = median(3, () -> javaSink(a, b, bytes));
            double ss = median(3, () -> jsSink(j1, j2.addr, bytes));
            double js = median(3, () -> javaSinkTo(a, j2, bytes));
            double sj = median(3, () -> jsSink(j1, addr(b), bytes));
            rows.add(row("one stream Java → Java", jj, "MiB/s"));
            rows.add(row("one stream js → js", ss, "MiB/s"));
            rows.add(row("one stream Java → js", js, "MiB/s"));
            rows.add(row("one stream js → Java", sj, "MiB/s"));
            double[] pj = javaPings(a, b, pings);
            JsonNode pr = j1.call("pingMany", "addr", j2.addr, "count", pings);
            double[] ps = new double[pings];
            for (int i = 0; i < pings; i++) {
                ps[i] = pr.get("rtts").get(i).asDouble();
            }
            Arrays.sort(ps);
            rows.add(row("ping p50 Java → Java (new stream each)", pj[pings / 2], "ms"));
            rows.add(row("ping p50 js → js (new stream each)", ps[pings / 2], "ms"));
            rows.add(row("ping p99 Java → Java", pj[pings * 99 / 100], "ms"));
            rows.add(row("ping p99 js → js", ps[pings * 99 / 100], "ms"));
            System.out.println("| measurement | value |");
            System.out.println("| --- | --- |");
            for (String[] r : rows) {
                System.out.println("| " + r[0] + " | " + r[1] + " |");
            }
            System.out.printf(Locale.ROOT, "%nJava→Java / js→js = %.2f; Java→Java / cipher in use = %.0f %%;"
                    + " Java→js / js→js = %.2f; js→Java / js→js = %.2f; transfer %d MiB, %d pings%n",
                    jj / ss, 100 * jj / cipher, js / ss, sj / ss, mib, pings);
        } finally {
            a.stop();
            b.stop();
        }
    }

    interface Measure {
        double run() throws Exception;
    }

    static double median(int n, Measure m) throws Exception {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = m.run();
        }
        Arrays.sort(v);
        return v[n / 2];
    }

    static String[] row(String what, double v, String unit) {
        return new String[] {what, String.format(Locale.ROOT, "%.2f %s", v, unit)};
    }

    /** Encryption MiB/s of {@code transformation} from {@code provider} (null: the JDK's), 3 s on this thread. */
    static double chacha(java.security.Provider provider, String transformation) throws Exception {
        Cipher c = provider == null ? Cipher.getInstance(transformation) : Cipher.getInstance(transformation, provider);
        SecretKeySpec key = new SecretKeySpec(new byte[32], "ChaCha20");
        byte[] in = new byte[65519];
        byte[] out = new byte[65535];
        byte[] nonce = new byte[12];
        long n = 0;
        long total = 0;
        long start = System.nanoTime();
        long end = start + TimeUnit.SECONDS.toNanos(3);
        while (System.nanoTime() < end) {
            long v = n++;
            for (int i = 0; i < 8; i++) {
                nonce[4 + i] = (byte) (v >>> (8 * i));
            }
            c.init(Cipher.ENCRYPT_MODE, key, new IvParameterSpec(nonce));
            c.doFinal(in, 0, in.length, out, 0);
            total += in.length;
        }
        return total / 1048576.0 / ((System.nanoTime() - start) / 1e9);
    }

    static Libp2pHost host() {
        Libp2pHost h = new Libp2pHost(Standalone.identity(), HostConfig.defaults(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))));
        h.start();
        h.addStreamHandler(SINK, TransportBench::sink);
        return h;
    }

    static String addr(Libp2pHost h) {
        return h.listenAddresses().get(0) + "/p2p/" + h.peerId();
    }

    /** Reads everything, then answers with the SHA-256 (hex) of what it read. */
    static void sink(Stream s) {
        MessageDigest md = sha256();
        readInto(s, md).thenCompose(v -> s.write(ByteBuffer.wrap(HexFormat.of().formatHex(md.digest())
                .getBytes(StandardCharsets.US_ASCII)))).whenComplete((v, e) -> s.close());
    }

    static CompletableFuture<Void> readInto(Stream s, MessageDigest md) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        step(s, md, done);
        return done;
    }

    static void step(Stream s, MessageDigest md, CompletableFuture<Void> done) {
        s.read().whenComplete((c, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else if (c.isEmpty()) {
                done.complete(null);
            } else {
                md.update(c.get());
                step(s, md, done);
            }
        });
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static double javaSink(Libp2pHost from, Libp2pHost to, long bytes) throws Exception {
        from.connect(Multiaddr.parse(addr(to))).get(10, TimeUnit.SECONDS);
        return send(from, to.peerId(), bytes);
    }

    static double javaSinkTo(Libp2pHost from, Js to, long bytes) throws Exception {
        from.connect(Multiaddr.parse(to.addr)).get(10, TimeUnit.SECONDS);
        return send(from, PeerId.parse(to.peer), bytes);
    }

    /**
     * Sends {@code bytes} to the peer's sink: one pseudo-random 1 MiB chunk repeated, each write issued
     * from the previous one's completion (on the event loop), the expected SHA-256 computed before the
     * clock starts; checks the digest the sink answers. Returns MiB/s.
     */
    static double send(Libp2pHost from, PeerId to, long bytes) throws Exception {
        Stream s = from.newStream(to, List.of(SINK)).get(10, TimeUnit.SECONDS);
        byte[] chunk = new byte[1 << 20];
        new SecureRandom().nextBytes(chunk);
        long chunks = bytes / chunk.length;
        MessageDigest md = sha256();
        for (long i = 0; i < chunks; i++) {
            md.update(chunk);
        }
        String expected = HexFormat.of().formatHex(md.digest());
        java.io.ByteArrayOutputStream text = new java.io.ByteArrayOutputStream();
        CompletableFuture<Void> replied = new CompletableFuture<>();
        collect(s, text, replied);
        long start = System.nanoTime();
        writeChunks(s, chunk, chunks).thenCompose(v -> s.closeWrite()).get(300, TimeUnit.SECONDS);
        replied.get(120, TimeUnit.SECONDS);
        double secs = (System.nanoTime() - start) / 1e9;
        s.close();
        String answer = text.toString(StandardCharsets.US_ASCII).trim();
        if (!answer.equals(expected)) {
            throw new IllegalStateException("sink answered digest " + answer + ", expected " + expected);
        }
        return bytes / 1048576.0 / secs;
    }

    static CompletableFuture<Void> writeChunks(Stream s, byte[] chunk, long left) {
        if (left == 0) {
            return CompletableFuture.completedFuture(null);
        }
        return s.write(ByteBuffer.wrap(chunk)).thenCompose(v -> writeChunks(s, chunk, left - 1));
    }

    static void collect(Stream s, java.io.ByteArrayOutputStream into, CompletableFuture<Void> done) {
        s.read().whenComplete((c, e) -> {
            if (e != null) {
                done.completeExceptionally(e);
            } else if (c.isEmpty()) {
                done.complete(null);
            } else {
                ByteBuffer b = c.get();
                byte[] a = new byte[b.remaining()];
                b.get(a);
                into.write(a, 0, a.length);
                collect(s, into, done);
            }
        });
    }

    static double jsSink(Js from, String to, long bytes) throws Exception {
        JsonNode r = from.call("transfer", "addr", to, "protocol", SINK, "bytes", bytes);
        if (!r.get("sent").asText().equals(r.get("replyText").asText().trim())) {
            throw new IllegalStateException("js transfer: digest mismatch " + r);
        }
        return bytes / 1048576.0 / (r.get("ms").asDouble() / 1000);
    }

    static double[] javaPings(Libp2pHost a, Libp2pHost b, int n) throws Exception {
        a.connect(Multiaddr.parse(addr(b))).get(10, TimeUnit.SECONDS);
        for (int i = 0; i < 50; i++) {
            a.ping(b.peerId()).get(10, TimeUnit.SECONDS);
        }
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            long t = System.nanoTime();
            a.ping(b.peerId()).get(10, TimeUnit.SECONDS);
            v[i] = (System.nanoTime() - t) / 1e6;
        }
        Arrays.sort(v);
        return v;
    }

    /** The js-libp2p peer of the interop tests, driven by JSON lines. */
    static final class Js implements AutoCloseable {
        final Process p;
        final BufferedReader in;
        final OutputStream out;
        final String peer;
        final String addr;
        int id;

        Js() throws Exception {
            p = new ProcessBuilder("node", "--import", "./polyfill.mjs", "peer.mjs").directory(JS_DIR.toFile())
                    .redirectError(ProcessBuilder.Redirect.INHERIT).start();
            in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
            out = p.getOutputStream();
            JsonNode ready = JSON.readTree(in.readLine());
            peer = ready.get("peer").asText();
            addr = ready.get("addrs").get(0).asText();
        }

        JsonNode call(String cmd, Object... kv) throws Exception {
            ObjectNode m = JSON.createObjectNode();
            m.put("id", ++id).put("cmd", cmd);
            for (int i = 0; i < kv.length; i += 2) {
                m.set((String) kv[i], JSON.valueToTree(kv[i + 1]));
            }
            out.write((JSON.writeValueAsString(m) + "\n").getBytes(StandardCharsets.UTF_8));
            out.flush();
            JsonNode r = JSON.readTree(in.readLine());
            if (!r.get("ok").asBoolean()) {
                throw new IllegalStateException("js " + cmd + ": " + r.get("error").asText());
            }
            return r;
        }

        @Override
        public void close() throws Exception {
            out.close();
            if (!p.waitFor(10, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
    }
}

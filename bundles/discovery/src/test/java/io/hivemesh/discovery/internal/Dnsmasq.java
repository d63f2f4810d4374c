package io.hivemesh.discovery.internal;

import java.io.IOException;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A real DNS server for tests: Debian's {@code dnsmasq} (package {@code dnsmasq-base}) on
 * 127.0.0.1 at a free port, serving only the given TXT records (no upstream, no hosts file).
 * Names under {@code .test} it does not hold are NXDOMAIN. Fails loudly if dnsmasq is not installed.
 */
final class Dnsmasq implements AutoCloseable {
    private static final Path BINARY = Path.of("/usr/sbin/dnsmasq");
    private final Process process;
    final InetSocketAddress address;

    /** @param txt name to TXT values (one record each) */
    Dnsmasq(Map<String, List<String>> txt) throws Exception {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException(BINARY + " is missing: apt-get install dnsmasq-base");
        }
        int port;
        try (DatagramSocket s = new DatagramSocket(0, InetAddress.getLoopbackAddress())) {
            port = s.getLocalPort();
        }
        List<String> cmd = new ArrayList<>(List.of(BINARY.toString(), "--no-daemon", "--port=" + port,
                "--listen-address=127.0.0.1", "--bind-interfaces", "--no-resolv", "--no-hosts", "--conf-file=/dev/null",
                "--pid-file=", "--log-facility=-", "--local=/test/", "--txt-record=probe.test,ok"));
        txt.forEach((name, values) -> values.forEach(v -> cmd.add("--txt-record=" + name + "," + v)));
        process = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
        address = new InetSocketAddress(InetAddress.getLoopbackAddress(), port);
        DnsClient probe = new DnsClient(address, Duration.ofMillis(500));
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (true) {
            try {
                probe.txt("probe.test");
                return;
            } catch (RuntimeException e) {
                if (!process.isAlive() || System.nanoTime() > deadline) {
                    close();
                    throw new IllegalStateException("dnsmasq did not answer on " + address + ": " + e.getMessage(), e);
                }
            }
        }
    }

    @Override
    public void close() throws IOException {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}

package io.hivemesh.shell.command;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.Host;
import io.hivemesh.api.net.PerfResult;
import io.hivemesh.api.peer.PeerId;
import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import org.apache.karaf.shell.api.action.Action;
import org.apache.karaf.shell.api.action.Argument;
import org.apache.karaf.shell.api.action.Command;
import org.apache.karaf.shell.api.action.Option;
import org.apache.karaf.shell.api.action.lifecycle.Reference;
import org.apache.karaf.shell.api.action.lifecycle.Service;

/**
 * {@code mesh:perf [--upload BYTES] [--download BYTES] <multiaddr|peerId>}: one libp2p perf exchange
 * ({@code /perf/1.0.0}) on one stream, printing the throughput each way and the time. The peer must
 * serve perf ({@code perf = true} in its {@code etc/io.hivemesh.transport.cfg}).
 */
@Service
@Command(scope = "mesh", name = "perf", description = "Measures one-stream throughput to a peer with /perf/1.0.0"
        + " (the peer must serve perf: perf = true in its etc/io.hivemesh.transport.cfg)")
public class PerfCommand implements Action {
    /** What a Hivemesh server accepts per request, each way (the transport's cap). */
    static final long MAX_BYTES = 1L << 30;
    static final int TIMEOUT_S = 300;

    @Reference(optional = true)
    Host host;

    @Option(name = "--upload", description = "Bytes to send (suffix K, M or G for KiB, MiB, GiB; at most 1G)")
    String upload = "64M";

    @Option(name = "--download", description = "Bytes to ask back (suffix K, M or G for KiB, MiB, GiB; at most 1G)")
    String download = "64M";

    @Argument(index = 0, name = "target", required = true, description = "A multiaddr (dialed first) or a PeerId")
    String target;

    @Override
    public Object execute() {
        if (host == null) {
            throw new IllegalStateException(HostCommands.NO_HOST);
        }
        long up = bytes("--upload", upload);
        long down = bytes("--download", download);
        PeerId peer = HostCommands.peerOf(target);
        if (target.startsWith("/")) {
            host.peerStore().addAddresses(peer, List.of(Multiaddr.parse(target).withoutPeerId()), Duration.ofMinutes(10));
        }
        PerfResult r = HostCommands.await(host.perf(peer, up, down), "perf " + peer, TIMEOUT_S);
        print(System.out, peer, r);
        return null;
    }

    /** {@code 1048576}, {@code 64K}, {@code 16M}, {@code 1G} (binary units); 0..{@value #MAX_BYTES}. */
    static long bytes(String option, String text) {
        String t = text.trim().toUpperCase(Locale.ROOT);
        long unit = 1;
        if (t.endsWith("K") || t.endsWith("M") || t.endsWith("G")) {
            unit = switch (t.charAt(t.length() - 1)) {
                case 'K' -> 1L << 10;
                case 'M' -> 1L << 20;
                default -> 1L << 30;
            };
            t = t.substring(0, t.length() - 1);
        }
        long n;
        try {
            n = Math.multiplyExact(Long.parseLong(t), unit);
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(option + " must be a byte count such as 1048576, 64K, 16M or 1G, not '"
                    + text + "'", e);
        }
        if (n < 0 || n > MAX_BYTES) {
            throw new IllegalArgumentException(option + " must be between 0 and 1G (" + MAX_BYTES
                    + " bytes, what a server accepts per request), not " + text);
        }
        return n;
    }

    static void print(PrintStream out, PeerId peer, PerfResult r) {
        out.println("perf " + peer);
        out.println(line("upload  ", r.uploaded(), r.upload(), r.uploadMiBps()));
        out.println(line("download", r.downloaded(), r.download(), r.downloadMiBps()));
        out.printf(Locale.ROOT, "total     %.3f s%n", r.total().toNanos() / 1e9);
    }

    private static String line(String label, long bytes, Duration d, double mibps) {
        return String.format(Locale.ROOT, "%s  %.2f MiB in %.3f s: %.1f MiB/s", label, bytes / 1048576.0,
                d.toNanos() / 1e9, mibps);
    }
}

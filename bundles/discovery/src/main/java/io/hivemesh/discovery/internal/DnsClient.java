package io.hivemesh.discovery.internal;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.discovery.internal.DnsMessage.Question;
import io.hivemesh.discovery.internal.DnsMessage.ResourceRecord;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * A minimal unicast DNS client for TXT lookups (RFC 1035 over UDP, through {@link DnsCodec}): one
 * question with recursion desired to one configured server (or the first {@code nameserver} of
 * {@code /etc/resolv.conf}), a random id, {@link #ATTEMPTS} tries each bounded by the timeout;
 * replies must match id and question. Blocking: runs on the caller's thread (discovery's own,
 * never a network event loop). A truncated reply (TC) is refused: this client has no TCP fallback.
 * Thread-safe.
 */
public final class DnsClient {
    static final int ATTEMPTS = 2;
    private final InetSocketAddress server;
    private final Duration timeout;
    private final SecureRandom random = new SecureRandom();

    public DnsClient(InetSocketAddress server, Duration timeout) {
        this.server = server;
        this.timeout = timeout;
    }

    /**
     * Parses {@code host[:port]} (port 53 when absent; IPv6 as {@code [addr]:port}); an empty text
     * means the first nameserver of {@code /etc/resolv.conf}.
     */
    public static InetSocketAddress server(String text) {
        String t = text == null ? "" : text.trim();
        if (t.isEmpty()) {
            return systemServer(Path.of("/etc/resolv.conf")).orElseThrow(() -> new HivemeshException(
                    "no DNS server: set dns_server in io.hivemesh.discovery or a nameserver in /etc/resolv.conf"));
        }
        String host = t;
        int port = 53;
        int colon = t.lastIndexOf(':');
        if (t.startsWith("[")) {
            int end = t.indexOf(']');
            host = t.substring(1, end);
            if (end + 1 < t.length() && t.charAt(end + 1) == ':') {
                port = Integer.parseInt(t.substring(end + 2));
            }
        } else if (colon > 0 && t.indexOf(':') == colon) {
            host = t.substring(0, colon);
            port = Integer.parseInt(t.substring(colon + 1));
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), port);
        } catch (IOException e) {
            throw new HivemeshException("DNS server '" + text + "' is not an address: " + e.getMessage(), e);
        }
    }

    static Optional<InetSocketAddress> systemServer(Path resolvConf) {
        try {
            for (String line : Files.readAllLines(resolvConf)) {
                String[] f = line.trim().split("\\s+");
                if (f.length >= 2 && f[0].equals("nameserver")) {
                    return Optional.of(new InetSocketAddress(InetAddress.getByName(f[1]), 53));
                }
            }
        } catch (IOException e) {
            return Optional.empty();
        }
        return Optional.empty();
    }

    /**
     * The TXT records of {@code name}, each record's strings joined (RFC 7208 style, as resolvers
     * present them); empty for NXDOMAIN or no records.
     *
     * @throws HivemeshException naming the name and server if no valid reply came
     */
    public List<String> txt(String name) {
        int id = random.nextInt(0x10000);
        byte[] query = DnsCodec.encode(new DnsMessage(id, DnsMessage.FLAG_RECURSION_DESIRED,
                List.of(new Question(name, DnsMessage.TYPE_TXT, DnsMessage.CLASS_IN)), List.of(), List.of(), List.of()));
        String failure = "no reply";
        try (DatagramSocket socket = new DatagramSocket()) {
            socket.setSoTimeout((int) Math.max(1, timeout.toMillis()));
            byte[] buf = new byte[DnsCodec.MAX_MESSAGE_BYTES];
            for (int attempt = 0; attempt < ATTEMPTS; attempt++) {
                socket.send(new DatagramPacket(query, query.length, server));
                long deadline = System.nanoTime() + timeout.toNanos();
                while (System.nanoTime() < deadline) {
                    DatagramPacket p = new DatagramPacket(buf, buf.length);
                    try {
                        socket.receive(p);
                    } catch (SocketTimeoutException e) {
                        break;
                    }
                    if (!server.equals(p.getSocketAddress())) {
                        continue;
                    }
                    DnsMessage reply;
                    try {
                        reply = DnsCodec.decode(buf, p.getLength());
                    } catch (DnsFormatException e) {
                        failure = "malformed reply: " + e.getMessage();
                        continue;
                    }
                    if (reply.id() != id || !reply.isResponse() || reply.questions().size() != 1
                            || !reply.questions().get(0).name().equalsIgnoreCase(name)) {
                        continue;
                    }
                    return answers(name, reply);
                }
            }
        } catch (IOException e) {
            failure = e.toString();
        }
        throw new HivemeshException("DNS TXT " + name + " at " + server + ": " + failure + " (" + ATTEMPTS + " tries of "
                + timeout.toMillis() + " ms)");
    }

    private List<String> answers(String name, DnsMessage reply) {
        if ((reply.flags() & 0x0200) != 0) {
            throw new HivemeshException("DNS TXT " + name + " at " + server + ": reply truncated (TC); TCP is not supported");
        }
        if (reply.rcode() == 3) {
            return List.of();
        }
        if (reply.rcode() != 0) {
            throw new HivemeshException("DNS TXT " + name + " at " + server + ": server answered rcode " + reply.rcode());
        }
        List<String> out = new ArrayList<>();
        for (ResourceRecord r : reply.answers()) {
            if (r.type() == DnsMessage.TYPE_TXT && r.name().equalsIgnoreCase(name)) {
                StringBuilder sb = new StringBuilder();
                r.texts().forEach(b -> sb.append(new String(b, StandardCharsets.UTF_8)));
                out.add(sb.toString());
            }
        }
        return out;
    }

    @Override
    public String toString() {
        return "DNS server " + server;
    }
}

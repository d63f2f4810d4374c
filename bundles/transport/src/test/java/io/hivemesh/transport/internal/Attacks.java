package io.hivemesh.transport.internal;

import io.hivemesh.api.peer.PeerId;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;

/**
 * The attack classes of {@link AdversarialPeerTest} as sustained, bounded runs against any node (also
 * one in another process), for the benchmark under attack ({@code benchmarks/…/AttackBench}; a
 * public entry point because {@link Attacker} is package-private). Each attack runs from a loopback
 * address of its own (127.0.0.2) until its duration is over, {@code stop} answers true, or its own
 * bound on count is reached, then releases everything it opened; it returns what it did. Loopback
 * only: a non-loopback node or source address is refused.
 */
public final class Attacks {
    static final String PING = "/ipfs/ping/1.0.0";

    /** The attack classes. */
    public enum Kind {
        /**
         * Raw TCP sockets stalled mid-multistream (one byte of a header), ≤ 30 open at once, replaced as
         * the node closes them (≤ 250 new ones a second).
         */
        HANDSHAKE_FLOOD_SLOWLORIS("handshake flood + slowloris"),
        /**
         * One-byte DATA frames (≤ 1 M/s) on ping streams whose echo the attacker never reads (its socket
         * unread), 200,000 per stream (under the 256 KiB window), then the next stream.
         */
        TINY_FRAMES_UNREAD("one-byte frames, unread stream"),
        /** A DATA header far beyond the stream's window, then reconnect, over and over. */
        DATA_BEYOND_WINDOW("DATA beyond the window (reconnects)"),
        /** Yamux pings in batches of 4,096 from a peer that never reads its socket. */
        PING_FLOOD_NO_READ("ping flood, never reading"),
        /** 500 half-negotiated SYNs (nothing after them) every 500 ms. */
        STREAM_FLOOD("stream flood (half-negotiated SYNs)"),
        /** DHT streams announcing a 1 MiB message and sending 10 bytes of it, 20 more every second. */
        PARTIAL_MESSAGES("partial large messages");

        private final String label;

        Kind(String label) {
            this.label = label;
        }

        public String label() {
            return label;
        }
    }

    /** What one attack did: a count of its actions and a line of detail. */
    public record Report(Kind kind, long actions, String detail) {
    }

    private Attacks() {
    }

    /**
     * Runs {@code kind} from {@code from} against the node {@code target} at {@code node} for at most
     * {@code duration} (or until {@code stop} is true), with its own bound on count.
     */
    public static Report run(Kind kind, InetSocketAddress node, PeerId target, InetAddress from, Duration duration,
            BooleanSupplier stop, String dhtProtocol) throws Exception {
        if (!node.getAddress().isLoopbackAddress() || !from.isLoopbackAddress()) {
            throw new IllegalArgumentException("attacks run on loopback only: " + node + " from " + from);
        }
        long end = System.nanoTime() + duration.toNanos();
        BooleanSupplier going = () -> System.nanoTime() < end && !stop.getAsBoolean();
        return switch (kind) {
            case HANDSHAKE_FLOOD_SLOWLORIS -> slowloris(node, from, going);
            case TINY_FRAMES_UNREAD -> tinyFrames(node, target, from, going);
            case DATA_BEYOND_WINDOW -> beyondWindow(node, target, from, going);
            case PING_FLOOD_NO_READ -> pingFlood(node, target, from, going);
            case STREAM_FLOOD -> streamFlood(node, target, from, going);
            case PARTIAL_MESSAGES -> partialMessages(node, target, from, going, dhtProtocol);
        };
    }

    private static Report slowloris(InetSocketAddress node, InetAddress from, BooleanSupplier going) throws Exception {
        List<Socket> open = new ArrayList<>();
        long opened = 0;
        long closedByNode = 0;
        long refused = 0;
        long began = System.nanoTime();
        try {
            // bounded in count (6,000 sockets) and paced to at most 250 new ones a second so that it lasts the window
            while (going.getAsBoolean() && opened < 6000) {
                for (Iterator<Socket> it = open.iterator(); it.hasNext();) {
                    Socket s = it.next();
                    if (closedByPeer(s)) {
                        s.close();
                        it.remove();
                        closedByNode++;
                    }
                }
                while (open.size() < 30 && opened < 6000 && opened < (System.nanoTime() - began) / 4_000_000) {
                    Socket s = new Socket();
                    try {
                        s.bind(new InetSocketAddress(from, 0));
                        s.connect(node, 2000);
                        s.setSoTimeout(1);
                        // stall mid-multistream: the length byte of the header, nothing after it
                        s.getOutputStream().write(new byte[] {19});
                        open.add(s);
                    } catch (java.io.IOException e) {
                        s.close();
                        refused++;
                    }
                    opened++;
                }
                Thread.sleep(20);
            }
        } finally {
            for (Socket s : open) {
                s.close();
            }
        }
        return new Report(Kind.HANDSHAKE_FLOOD_SLOWLORIS, opened,
                String.format(Locale.ROOT, "%d sockets opened, %d closed by the node, %d failed", opened, closedByNode, refused));
    }

    /** True once the node has closed (or reset) the socket; anything it sent is discarded. */
    private static boolean closedByPeer(Socket s) {
        try {
            InputStream in = s.getInputStream();
            byte[] buf = new byte[256];
            while (true) {
                if (in.read(buf) < 0) {
                    return true;
                }
            }
        } catch (SocketTimeoutException nothingYet) {
            return false;
        } catch (java.io.IOException reset) {
            return true;
        }
    }

    private static Report tinyFrames(InetSocketAddress node, PeerId target, InetAddress from, BooleanSupplier going)
            throws Exception {
        long frames = 0;
        int streams = 0;
        int connections = 0;
        // bounded in count (20 M frames) and paced to at most 1 M frames/s so that it lasts the window
        long limit = 20_000_000;
        long began = System.nanoTime();
        while (going.getAsBoolean() && frames < limit) {
            try (Attacker a = Attacker.connect(node, target, from)) {
                connections++;
                a.stopReading();
                int id = 1;
                while (going.getAsBoolean() && frames < limit && a.isOpen()) {
                    a.openStream(id, PING);
                    streams++;
                    // below the 256 KiB window: 200,000 one-byte frames per stream, 5,000 per write
                    for (int sent = 0; sent < 200_000 && going.getAsBoolean() && a.isOpen();) {
                        if (!a.channel.isWritable() || frames > (System.nanoTime() - began) / 1000) {
                            Thread.sleep(2);
                            continue;
                        }
                        ByteBuf b = Unpooled.buffer(5000 * 13);
                        for (int i = 0; i < 5000; i++) {
                            YamuxFrame.writeHeader(b, YamuxFrame.TYPE_DATA, 0, id, 1);
                            b.writeByte(i);
                        }
                        a.send(b);
                        sent += 5000;
                        frames += 5000;
                    }
                    id += 2;
                }
            } catch (Exception e) {
                if (!going.getAsBoolean()) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        return new Report(Kind.TINY_FRAMES_UNREAD, frames,
                String.format(Locale.ROOT, "%d one-byte frames on %d streams, %d connections", frames, streams, connections));
    }

    private static Report beyondWindow(InetSocketAddress node, PeerId target, InetAddress from, BooleanSupplier going)
            throws Exception {
        long connections = 0;
        long closed = 0;
        while (going.getAsBoolean() && connections < 2000) {
            try (Attacker a = Attacker.connect(node, target, from)) {
                connections++;
                a.openStream(1, PING);
                a.send(Attacker.header(YamuxFrame.TYPE_DATA, 0, 1, 8L << 20));
                long until = System.nanoTime() + Duration.ofSeconds(5).toNanos();
                while (a.isOpen() && System.nanoTime() < until) {
                    Thread.sleep(1);
                }
                if (!a.isOpen()) {
                    closed++;
                }
            } catch (Exception e) {
                if (!going.getAsBoolean()) {
                    break;
                }
                Thread.sleep(50);
            }
        }
        return new Report(Kind.DATA_BEYOND_WINDOW, connections,
                String.format(Locale.ROOT, "%d connections, %d closed by the node on the violation", connections, closed));
    }

    private static Report pingFlood(InetSocketAddress node, PeerId target, InetAddress from, BooleanSupplier going)
            throws Exception {
        long pings = 0;
        int connections = 0;
        while (going.getAsBoolean() && pings < 20_000_000) {
            try (Attacker a = Attacker.connect(node, target, from)) {
                connections++;
                a.stopReading();
                while (going.getAsBoolean() && a.isOpen() && pings < 20_000_000) {
                    if (!a.channel.isWritable()) {
                        // the node stopped reading us: hold the connection
                        Thread.sleep(5);
                        continue;
                    }
                    ByteBuf b = Unpooled.buffer(4096 * YamuxFrame.HEADER_LENGTH);
                    for (int i = 0; i < 4096; i++) {
                        YamuxFrame.writeHeader(b, YamuxFrame.TYPE_PING, YamuxFrame.FLAG_SYN, 0, i);
                    }
                    a.channel.writeAndFlush(b);
                    pings += 4096;
                }
            } catch (Exception e) {
                if (!going.getAsBoolean()) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        return new Report(Kind.PING_FLOOD_NO_READ, pings,
                String.format(Locale.ROOT, "%d pings, %d connections", pings, connections));
    }

    private static Report streamFlood(InetSocketAddress node, PeerId target, InetAddress from, BooleanSupplier going)
            throws Exception {
        long syns = 0;
        long resets = 0;
        int connections = 0;
        while (going.getAsBoolean() && syns < 40_000) {
            try (Attacker a = Attacker.connect(node, target, from)) {
                connections++;
                int id = 1;
                while (going.getAsBoolean() && a.isOpen() && syns < 40_000) {
                    ByteBuf b = Unpooled.buffer(500 * YamuxFrame.HEADER_LENGTH);
                    for (int i = 0; i < 500; i++, id += 2) {
                        YamuxFrame.writeHeader(b, YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_SYN, id, 0);
                    }
                    a.send(b);
                    syns += 500;
                    Thread.sleep(500);
                }
                resets += a.count(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_RST)
                        + a.count(YamuxFrame.TYPE_DATA, YamuxFrame.FLAG_RST);
            } catch (Exception e) {
                if (!going.getAsBoolean()) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        return new Report(Kind.STREAM_FLOOD, syns,
                String.format(Locale.ROOT, "%d SYNs, %d reset by the node, %d connections", syns, resets, connections));
    }

    private static Report partialMessages(InetSocketAddress node, PeerId target, InetAddress from, BooleanSupplier going,
            String protocol) throws Exception {
        long streams = 0;
        long resets = 0;
        int connections = 0;
        while (going.getAsBoolean() && streams < 1000) {
            try (Attacker a = Attacker.connect(node, target, from)) {
                connections++;
                int id = 1;
                while (going.getAsBoolean() && a.isOpen() && streams < 1000) {
                    for (int i = 0; i < 20; i++, id += 2) {
                        a.openStream(id, protocol);
                        // a uvarint prefix of 1 MiB (the DHT's largest message), then 10 bytes of it
                        ByteBuf f = Unpooled.buffer();
                        YamuxFrame.writeHeader(f, YamuxFrame.TYPE_DATA, 0, id, 13);
                        f.writeBytes(new byte[] {(byte) 0x80, (byte) 0x80, 0x40});
                        f.writeBytes(new byte[10]);
                        a.send(f);
                        streams++;
                    }
                    Thread.sleep(1000);
                }
                resets += a.count(YamuxFrame.TYPE_WINDOW_UPDATE, YamuxFrame.FLAG_RST)
                        + a.count(YamuxFrame.TYPE_DATA, YamuxFrame.FLAG_RST);
            } catch (Exception e) {
                if (!going.getAsBoolean()) {
                    break;
                }
                Thread.sleep(100);
            }
        }
        return new Report(Kind.PARTIAL_MESSAGES, streams,
                String.format(Locale.ROOT, "%d streams with a partial 1 MiB message, %d reset by the node, %d connections",
                        streams, resets, connections));
    }
}

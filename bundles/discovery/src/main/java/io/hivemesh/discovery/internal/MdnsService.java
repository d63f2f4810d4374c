package io.hivemesh.discovery.internal;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.multiformats.MultiaddrProtocol;
import io.hivemesh.api.peer.PeerId;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libp2p mDNS (libp2p/specs discovery/mdns.md) on IPv4 224.0.0.251:5353, on a thread of its own
 * ({@code hivemesh-mdns}, a JDK {@link DatagramChannel}, never a Netty event loop): joins the group
 * on the chosen interfaces (every up interface with an IPv4 address, loopback included, unless one
 * is named), sends the {@code _p2p._udp.local} PTR query at start and every query interval (js: 10 s),
 * answers queries (its own too, as the spec asks) with this node's addresses, at most one multicast
 * response per {@link #MIN_RESPONSE_GAP_MS} (a query arriving sooner is answered when the gap ends),
 * reads at most {@link #MAX_PACKETS_PER_SECOND} packets a second (the rest are dropped unread), and
 * hands each peer announced by another node to the listener. Loopback addresses are only accepted
 * from a sender on this host (js advertises 127.0.0.1 to everyone). Not restartable: close and make
 * a new one.
 */
public final class MdnsService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(MdnsService.class);
    public static final InetAddress GROUP = ipv4(224, 0, 0, 251);
    public static final int PORT = 5353;
    static final long MIN_RESPONSE_GAP_MS = 1000;
    static final int MAX_PACKETS_PER_SECOND = 200;

    /** Query interval and the interface to use (empty: all suitable). */
    public record Settings(Duration queryInterval, String interfaceName) {
    }

    private final PeerId self;
    private final Supplier<List<Multiaddr>> addresses;
    private final Consumer<MdnsCodec.Announcement> listener;
    private final Settings settings;
    private final String peerName = MdnsCodec.randomPeerName(new SecureRandom());
    private final Selector selector;
    private final DatagramChannel channel;
    private final List<NetworkInterface> interfaces;
    private final Thread thread;
    private volatile boolean running = true;
    private long lastResponse = Long.MIN_VALUE / 2;
    private boolean responsePending;
    private long windowStart;
    private int windowPackets;

    /**
     * Opens the socket and joins the group.
     *
     * @throws HivemeshException if the port cannot be bound or no interface could join
     */
    public MdnsService(PeerId self, Supplier<List<Multiaddr>> addresses, Consumer<MdnsCodec.Announcement> listener,
            Settings settings) {
        this.self = self;
        this.addresses = addresses;
        this.listener = listener;
        this.settings = settings;
        try {
            this.interfaces = chooseInterfaces(settings.interfaceName());
            this.channel = DatagramChannel.open(StandardProtocolFamily.INET);
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_TTL, 255);
            channel.setOption(StandardSocketOptions.IP_MULTICAST_LOOP, true);
            channel.bind(new InetSocketAddress(PORT));
            List<NetworkInterface> joined = new ArrayList<>();
            for (NetworkInterface nif : interfaces) {
                try {
                    channel.join(GROUP, nif);
                    joined.add(nif);
                } catch (IOException e) {
                    LOG.warn("mDNS: cannot join {} on {}: {}", GROUP.getHostAddress(), nif.getName(), e.toString());
                }
            }
            if (joined.isEmpty()) {
                channel.close();
                throw new HivemeshException("mDNS: no interface could join " + GROUP.getHostAddress() + " (tried "
                        + interfaces.stream().map(NetworkInterface::getName).toList() + ")");
            }
            interfaces.retainAll(joined);
            channel.configureBlocking(false);
            this.selector = Selector.open();
            channel.register(selector, SelectionKey.OP_READ);
        } catch (IOException e) {
            throw new HivemeshException("mDNS: cannot open UDP port " + PORT + ": " + e, e);
        }
        this.thread = new Thread(this::run, "hivemesh-mdns");
        thread.setDaemon(true);
    }

    /** Starts the thread (sends the first query at once). */
    public MdnsService start() {
        thread.start();
        LOG.info("mDNS on {} as {}.{}", interfaces.stream().map(NetworkInterface::getName).toList(), peerName, MdnsCodec.SERVICE);
        return this;
    }

    static List<NetworkInterface> chooseInterfaces(String name) throws SocketException {
        List<NetworkInterface> out = new ArrayList<>();
        for (NetworkInterface nif : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (name != null && !name.isBlank() && !nif.getName().equals(name.trim())) {
                continue;
            }
            boolean ipv4 = Collections.list(nif.getInetAddresses()).stream().anyMatch(a -> a instanceof Inet4Address);
            if (nif.isUp() && ipv4 && (nif.supportsMulticast() || nif.isLoopback())) {
                out.add(nif);
            }
        }
        if (out.isEmpty()) {
            throw new HivemeshException("mDNS: no up IPv4 interface" + (name == null || name.isBlank() ? "" : " named '" + name + "'"));
        }
        return out;
    }

    private void run() {
        ByteBuffer buf = ByteBuffer.allocate(DnsCodec.MAX_MESSAGE_BYTES + 1);
        long interval = settings.queryInterval().toMillis();
        long nextQuery = 0;
        while (running) {
            try {
                long now = millis();
                if (now >= nextQuery) {
                    send(MdnsCodec.query());
                    nextQuery = now + interval;
                }
                if (responsePending && now - lastResponse >= MIN_RESPONSE_GAP_MS) {
                    respond(now);
                }
                long wait = Math.max(1, Math.min(nextQuery - now, responsePending ? MIN_RESPONSE_GAP_MS : Long.MAX_VALUE));
                selector.select(wait);
                selector.selectedKeys().clear();
                for (int i = 0; i < 64 && running; i++) {
                    buf.clear();
                    SocketAddress from = channel.receive(buf);
                    if (from == null) {
                        break;
                    }
                    now = millis();
                    if (now - windowStart >= 1000) {
                        windowStart = now;
                        windowPackets = 0;
                    }
                    if (++windowPackets > MAX_PACKETS_PER_SECOND) {
                        continue;
                    }
                    buf.flip();
                    handle(buf, (InetSocketAddress) from, now);
                }
            } catch (IOException e) {
                if (running) {
                    LOG.warn("mDNS: {}", e.toString());
                    sleepQuietly();
                }
            } catch (RuntimeException e) {
                LOG.warn("mDNS: unexpected failure (continuing): {}", e.toString());
                sleepQuietly();
            }
        }
    }

    private void handle(ByteBuffer buf, InetSocketAddress from, long now) {
        DnsMessage m;
        try {
            m = DnsCodec.decode(buf.array(), buf.limit());
        } catch (DnsFormatException e) {
            LOG.debug("mDNS: dropped a malformed message from {}: {}", from, e.getMessage());
            return;
        }
        if (MdnsCodec.isServiceQuery(m)) {
            responsePending = true;
            if (now - lastResponse >= MIN_RESPONSE_GAP_MS) {
                respond(now);
            }
            return;
        }
        MdnsCodec.readResponse(m).ifPresent(a -> {
            if (a.peer().equals(self)) {
                return;
            }
            boolean local = isLocal(from.getAddress());
            List<Multiaddr> usable = a.addresses().stream().filter(x -> local || !isLoopback(x)).toList();
            if (!usable.isEmpty()) {
                listener.accept(new MdnsCodec.Announcement(a.peer(), usable));
            }
        });
    }

    private void respond(long now) {
        responsePending = false;
        lastResponse = now;
        List<Multiaddr> mine = addresses.get().stream().filter(MdnsService::announceable).toList();
        if (mine.isEmpty()) {
            return;
        }
        try {
            send(MdnsCodec.response(peerName, self, mine));
        } catch (IllegalArgumentException e) {
            LOG.warn("mDNS: cannot encode this node's response: {}", e.getMessage());
        }
    }

    /** IPv4/IPv6 TCP addresses (what js dials); no /p2p/ (the codec adds ours). */
    static boolean announceable(Multiaddr a) {
        List<Multiaddr.Component> cs = a.components();
        return cs.size() >= 2 && (cs.get(0).protocol() == MultiaddrProtocol.IP4 || cs.get(0).protocol() == MultiaddrProtocol.IP6)
                && cs.get(1).protocol() == MultiaddrProtocol.TCP;
    }

    private void send(byte[] message) {
        for (NetworkInterface nif : interfaces) {
            try {
                channel.setOption(StandardSocketOptions.IP_MULTICAST_IF, nif);
                channel.send(ByteBuffer.wrap(message), new InetSocketAddress(GROUP, PORT));
            } catch (IOException e) {
                LOG.debug("mDNS: send on {} failed: {}", nif.getName(), e.toString());
            }
        }
    }

    static boolean isLoopback(Multiaddr a) {
        return a.valueOf(MultiaddrProtocol.IP4).map(s -> s.startsWith("127.")).orElse(false)
                || a.valueOf(MultiaddrProtocol.IP6).map(s -> s.equals("::1")).orElse(false);
    }

    private static boolean isLocal(InetAddress sender) {
        if (sender.isLoopbackAddress()) {
            return true;
        }
        try {
            return NetworkInterface.getByInetAddress(sender) != null;
        } catch (SocketException e) {
            return false;
        }
    }

    private static long millis() {
        return System.nanoTime() / 1_000_000;
    }

    private void sleepQuietly() {
        try {
            Thread.sleep(200);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        }
    }

    private static InetAddress ipv4(int a, int b, int c, int d) {
        try {
            return InetAddress.getByAddress(new byte[] {(byte) a, (byte) b, (byte) c, (byte) d});
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The peer name this node announces (63 random characters). */
    public String peerName() {
        return peerName;
    }

    @Override
    public void close() {
        running = false;
        selector.wakeup();
        try {
            thread.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        try {
            selector.close();
            channel.close();
        } catch (IOException e) {
            LOG.debug("mDNS: close: {}", e.toString());
        }
    }
}

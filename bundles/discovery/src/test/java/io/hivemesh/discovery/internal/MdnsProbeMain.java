package io.hivemesh.discovery.internal;

import io.hivemesh.api.peer.PeerId;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.StandardProtocolFamily;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A hostile mDNS neighbour for the interop IT, run inside the test's namespace: sends malformed
 * messages (pointer loops, truncation, lying counts, a label of type 0x40, an oversized datagram),
 * then {@code queries} well-formed queries back to back, and for {@code listenMs} counts the
 * responses announcing {@code target}. Prints {@code responses <n> elapsed_ms <ms>}.
 */
public final class MdnsProbeMain {
    private MdnsProbeMain() {
    }

    static List<byte[]> hostile() {
        List<byte[]> out = new ArrayList<>();
        out.add(new byte[] {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, (byte) 0xC0, 12, 0, 12, 0, 1}); // pointer to itself
        out.add(new byte[] {0, 0, (byte) 0x84, 0, 0, 0, 0, 1, 0, 0, 0, 0, 4, '_', 'p', '2'}); // truncated
        out.add(new byte[] {0, 0, (byte) 0x84, 0, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0}); // counts lie
        out.add(new byte[] {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0x41, 0, 0, 12, 0, 1}); // label type 0x40
        out.add(new byte[DnsCodec.MAX_MESSAGE_BYTES + 100]); // oversized
        return out;
    }

    public static void main(String[] args) throws Exception {
        PeerId target = PeerId.parse(args[0]);
        int queries = Integer.parseInt(args[1]);
        long listenMs = Long.parseLong(args[2]);
        NetworkInterface lo = NetworkInterface.getByName("lo");
        InetSocketAddress group = new InetSocketAddress(MdnsService.GROUP, MdnsService.PORT);
        try (DatagramChannel ch = DatagramChannel.open(StandardProtocolFamily.INET)) {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            ch.bind(new InetSocketAddress(MdnsService.PORT));
            ch.join(MdnsService.GROUP, lo);
            ch.setOption(StandardSocketOptions.IP_MULTICAST_IF, lo);
            for (byte[] junk : hostile()) {
                ch.send(ByteBuffer.wrap(junk), group);
            }
            long start = System.nanoTime();
            for (int i = 0; i < queries; i++) {
                ch.send(ByteBuffer.wrap(MdnsCodec.query()), group);
            }
            ch.configureBlocking(false);
            int responses = 0;
            ByteBuffer buf = ByteBuffer.allocate(DnsCodec.MAX_MESSAGE_BYTES);
            long end = start + TimeUnit.MILLISECONDS.toNanos(listenMs);
            while (System.nanoTime() < end) {
                buf.clear();
                if (ch.receive(buf) == null) {
                    Thread.sleep(5);
                    continue;
                }
                buf.flip();
                try {
                    DnsMessage m = DnsCodec.decode(buf.array(), buf.limit());
                    if (MdnsCodec.readResponse(m).map(a -> a.peer().equals(target)).orElse(false)) {
                        responses++;
                    }
                } catch (DnsFormatException e) {
                    // our own junk comes back too
                }
            }
            System.out.println("responses " + responses + " elapsed_ms " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }
}

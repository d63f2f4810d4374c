package io.hivemesh.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.discovery.internal.DnsMessage.Question;
import io.hivemesh.discovery.internal.DnsMessage.ResourceRecord;
import io.hivemesh.transport.internal.TestIdentity;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The DNS codec and the mDNS messages: round trips, js-libp2p's bytes, and hostile input. */
class DnsCodecTest {
    private static final PeerId PEER = new TestIdentity().peerId();

    @Test
    void queryIsExactlyWhatJsSends() {
        ByteArrayOutputStream want = new ByteArrayOutputStream();
        want.writeBytes(new byte[] {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0});
        label(want, "_p2p", "_udp", "local");
        want.writeBytes(new byte[] {0, 12, 0, 1});
        assertArrayEquals(want.toByteArray(), MdnsCodec.query());
        DnsMessage m = DnsCodec.decode(MdnsCodec.query());
        assertTrue(MdnsCodec.isServiceQuery(m));
    }

    @Test
    void roundTripsEverySection() {
        DnsMessage m = new DnsMessage(0x1234, DnsMessage.FLAG_RESPONSE, List.of(new Question("a.b", 16, 1)),
                List.of(ResourceRecord.ptr("_p2p._udp.local", 1, 120, "x._p2p._udp.local")),
                List.of(new ResourceRecord("c", DnsMessage.TYPE_A, 1, 0xFFFFFFFFL, null, null, new byte[] {127, 0, 0, 1})),
                List.of(ResourceRecord.txt("x._p2p._udp.local", 0x8001, 7, List.of("dnsaddr=/ip4/1.2.3.4/tcp/1", ""))));
        DnsMessage back = DnsCodec.decode(DnsCodec.encode(m));
        assertEquals(m, back);
        assertEquals(0xFFFFFFFFL, back.authorities().get(0).ttl());
    }

    /** Built from the interop notes: flags 0x8400, no questions, answers only: PTR, then one TXT per address, TTL 120, no compression. */
    static byte[] jsResponse(String peerName, List<String> dnsaddrs) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0, 0, (byte) 0x84, 0, 0, 0, 0, (byte) (1 + dnsaddrs.size()), 0, 0, 0, 0});
        label(b, "_p2p", "_udp", "local");
        b.writeBytes(new byte[] {0, 12, 0, 1, 0, 0, 0, 120});
        ByteArrayOutputStream target = new ByteArrayOutputStream();
        label(target, peerName, "_p2p", "_udp", "local");
        b.writeBytes(new byte[] {0, (byte) target.size()});
        b.writeBytes(target.toByteArray());
        for (String s : dnsaddrs) {
            label(b, peerName, "_p2p", "_udp", "local");
            byte[] t = s.getBytes(StandardCharsets.UTF_8);
            b.writeBytes(new byte[] {0, 16, 0, 1, 0, 0, 0, 120, 0, (byte) (t.length + 1), (byte) t.length});
            b.writeBytes(t);
        }
        return b.toByteArray();
    }

    private static void label(ByteArrayOutputStream b, String... labels) {
        for (String l : labels) {
            b.write(l.length());
            b.writeBytes(l.getBytes(StandardCharsets.US_ASCII));
        }
        b.write(0);
    }

    @Test
    void readsJsResponseLayout() {
        String name = MdnsCodec.randomPeerName(new SecureRandom());
        byte[] js = jsResponse(name, List.of("dnsaddr=/ip4/10.0.0.2/tcp/4001/p2p/" + PEER, "dnsaddr=/ip4/127.0.0.1/tcp/4001/p2p/" + PEER));
        MdnsCodec.Announcement a = MdnsCodec.readResponse(DnsCodec.decode(js)).orElseThrow();
        assertEquals(PEER, a.peer());
        assertEquals(List.of(Multiaddr.parse("/ip4/10.0.0.2/tcp/4001"), Multiaddr.parse("/ip4/127.0.0.1/tcp/4001")), a.addresses());
    }

    @Test
    void ourResponseHasTheSpecLayoutAndReadsBack() {
        List<Multiaddr> addrs = List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/4001"), Multiaddr.parse("/ip4/10.0.0.1/tcp/4002"));
        DnsMessage m = DnsCodec.decode(MdnsCodec.response("abc", PEER, addrs));
        assertEquals(0x8400, m.flags());
        assertEquals(List.of(), m.questions());
        assertEquals(1, m.answers().size());
        assertEquals("abc._p2p._udp.local", m.answers().get(0).target());
        assertEquals(2, m.additionals().size());
        assertEquals(List.of("dnsaddr=/ip4/10.0.0.1/tcp/4001/p2p/" + PEER), m.additionals().get(0).textStrings());
        assertEquals("abc._p2p._udp.local", m.additionals().get(1).name());
        assertEquals(addrs, MdnsCodec.readResponse(m).orElseThrow().addresses());
    }

    @Test
    void responsesCarryAndYieldAtMost32Addresses() {
        List<Multiaddr> many = new java.util.ArrayList<>();
        for (int i = 1; i <= 40; i++) {
            many.add(Multiaddr.parse("/ip4/10.0.0.1/tcp/" + i));
        }
        DnsMessage ours = DnsCodec.decode(MdnsCodec.response("abc", PEER, many));
        assertEquals(MdnsCodec.MAX_ADDRESSES, ours.additionals().size());
        List<String> strings = new java.util.ArrayList<>();
        many.forEach(a -> strings.add("dnsaddr=" + a + "/p2p/" + PEER));
        DnsMessage theirs = new DnsMessage(0, 0x8400, List.of(), List.of(ResourceRecord.ptr(MdnsCodec.SERVICE, 1, 1, "x")),
                List.of(), List.of(ResourceRecord.txt("x", 1, 1, strings)));
        assertEquals(MdnsCodec.MAX_ADDRESSES, MdnsCodec.readResponse(theirs).orElseThrow().addresses().size());
    }

    @Test
    void addressesOfAnotherPeerInOneResponseAreDropped() {
        PeerId other = new TestIdentity().peerId();
        DnsMessage m = new DnsMessage(0, 0x8400, List.of(), List.of(ResourceRecord.ptr(MdnsCodec.SERVICE, 1, 1, "x")), List.of(),
                List.of(ResourceRecord.txt("x", 1, 1, List.of("dnsaddr=/ip4/10.0.0.1/tcp/1/p2p/" + PEER,
                        "dnsaddr=/ip4/10.0.0.9/tcp/9/p2p/" + other, "dnsaddr=/ip4/10.0.0.1/tcp/2/ipfs/" + PEER))));
        MdnsCodec.Announcement a = MdnsCodec.readResponse(m).orElseThrow();
        assertEquals(PEER, a.peer());
        assertEquals(List.of(Multiaddr.parse("/ip4/10.0.0.1/tcp/1"), Multiaddr.parse("/ip4/10.0.0.1/tcp/2")), a.addresses());
    }

    @Test
    void responsesWithoutServicePtrOrDnsaddrAreIgnored() {
        DnsMessage noPtr = new DnsMessage(0, 0x8400, List.of(), List.of(),
                List.of(), List.of(ResourceRecord.txt("x", 1, 1, List.of("dnsaddr=/ip4/1.2.3.4/tcp/1/p2p/" + PEER))));
        assertEquals(Optional.empty(), MdnsCodec.readResponse(noPtr));
        DnsMessage notResponse = new DnsMessage(0, 0, List.of(), List.of(ResourceRecord.ptr(MdnsCodec.SERVICE, 1, 1, "x")),
                List.of(), List.of(ResourceRecord.txt("x", 1, 1, List.of("dnsaddr=/ip4/1.2.3.4/tcp/1/p2p/" + PEER))));
        assertEquals(Optional.empty(), MdnsCodec.readResponse(notResponse));
        DnsMessage badAddrs = new DnsMessage(0, 0x8400, List.of(), List.of(ResourceRecord.ptr(MdnsCodec.SERVICE, 1, 1, "x")),
                List.of(), List.of(ResourceRecord.txt("x", 1, 1, List.of("dnsaddr=/ip4/1.2.3.4/tcp/1", "dnsaddr=garbage", "other=1"))));
        assertEquals(Optional.empty(), MdnsCodec.readResponse(badAddrs));
    }

    @Test
    void compressionPointersAreFollowed() {
        // header, question "_p2p._udp.local" at 12, answer PTR owned by a pointer to 12, target "x" + pointer to 12
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0, 0, (byte) 0x84, 0, 0, 1, 0, 1, 0, 0, 0, 0});
        label(b, "_p2p", "_udp", "local");
        b.writeBytes(new byte[] {0, 12, 0, 1});
        b.writeBytes(new byte[] {(byte) 0xC0, 12, 0, 12, 0, 1, 0, 0, 0, 120, 0, 4, 1, 'x', (byte) 0xC0, 12});
        DnsMessage m = DnsCodec.decode(b.toByteArray());
        assertEquals("_p2p._udp.local", m.answers().get(0).name());
        assertEquals("x._p2p._udp.local", m.answers().get(0).target());
    }

    @Test
    void hostileInputIsRefused() {
        byte[] header = {0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0};
        // a pointer to itself, and two pointing at each other (forward)
        assertRefused(concat(header, new byte[] {(byte) 0xC0, 12, 0, 1, 0, 1}), "points forward");
        assertRefused(concat(header, new byte[] {(byte) 0xC0, 14, (byte) 0xC0, 12, 0, 1, 0, 1}), "points forward");
        // truncated in the header, in a name, in a record, in a TXT string
        assertRefused(new byte[5], "shorter than");
        assertRefused(concat(header, new byte[] {5, 'a'}), "runs past");
        byte[] rec = DnsCodec.encode(new DnsMessage(0, 0x8400, List.of(), List.of(ResourceRecord.txt("a", 1, 1, List.of("hello"))),
                List.of(), List.of()));
        assertRefused(java.util.Arrays.copyOf(rec, rec.length - 1), "claims");
        byte[] badTxt = rec.clone();
        badTxt[badTxt.length - 6] = 9; // the string length now overruns the record
        assertRefused(badTxt, "overruns");
        // huge counts
        assertRefused(new byte[] {0, 0, 0, 0, (byte) 0xFF, (byte) 0xFF, 0, 0, 0, 0, 0, 0}, "questions");
        assertRefused(new byte[] {0, 0, 0, 0, 0, 0, 0, 100, 0, 100, 0, 0}, "records");
        // over-long message, label type 0x40, a label with a dot, a name over 255 bytes
        assertRefused(new byte[DnsCodec.MAX_MESSAGE_BYTES + 1], "exceeds");
        assertRefused(concat(header, new byte[] {0x41, 0}), "label type");
        assertRefused(concat(header, new byte[] {3, 'a', '.', 'b', 0, 0, 1, 0, 1}), "dot");
        ByteArrayOutputStream longName = new ByteArrayOutputStream();
        longName.writeBytes(header);
        for (int i = 0; i < 5; i++) {
            longName.write(63);
            longName.writeBytes(new byte[63]);
        }
        longName.write(0);
        assertRefused(longName.toByteArray(), "longer than");
    }

    /** Owner name of a second answer = a pointer into a chain of {@code n} backward pointers held in the first answer's data. */
    private static byte[] pointerChain(int n) {
        ByteArrayOutputStream b = new ByteArrayOutputStream();
        b.writeBytes(new byte[] {0, 0, (byte) 0x84, 0, 0, 1, 0, 2, 0, 0, 0, 0});
        b.writeBytes(new byte[] {1, 'a', 0, 0, 1, 0, 1}); // question "a" at byte 12
        b.writeBytes(new byte[] {0, 0, 99, 0, 1, 0, 0, 0, 1, 0, (byte) (2 * n)}); // answer 1: unknown type, data = chain
        int base = b.size();
        for (int i = 0; i < n; i++) {
            b.writeBytes(new byte[] {(byte) 0xC0, (byte) (i == 0 ? 12 : base + 2 * (i - 1))});
        }
        b.writeBytes(new byte[] {(byte) 0xC0, (byte) (base + 2 * (n - 1)), 0, 1, 0, 1, 0, 0, 0, 1, 0, 0}); // answer 2
        return b.toByteArray();
    }

    @Test
    void pointerChainsAreBounded() {
        assertEquals("a", DnsCodec.decode(pointerChain(DnsCodec.MAX_POINTER_JUMPS - 1)).answers().get(1).name());
        assertRefused(pointerChain(DnsCodec.MAX_POINTER_JUMPS + 4), "compression pointers");
    }

    private static void assertRefused(byte[] b, String fragment) {
        DnsFormatException e = assertThrows(DnsFormatException.class, () -> DnsCodec.decode(b));
        assertTrue(e.getMessage().contains(fragment), e.getMessage() + " should mention '" + fragment + "'");
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] c = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, c, a.length, b.length);
        return c;
    }
}

package io.hivemesh.api.multiformats;

import static io.hivemesh.api.multiformats.Errors.assertRejected;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.multiformats.Multiaddr.Component;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class MultiaddrTest {
    private static final HexFormat HEX = HexFormat.of();
    private static final String QM = "QmcgpsyWgH8Y8ajJz1Cu72KnS5uo2Aa2LpzU7kinSupNKC";

    /** multiformats/multiaddr test/multiaddr.feature and js-multiaddr's packed examples. */
    @ParameterizedTest
    @CsvSource({
        "/ip4/192.0.2.42/tcp/443, 04c000022a0601bb",
        "/ip4/127.0.0.1/udp/1234, 047f000001910204d2",
        "/ip4/0.0.0.0/tcp/1234/ws, 04000000000604d2dd03",
        "/tls, c003",
        "/p2p-circuit, a202",
    })
    void packedForms(String text, String hex) {
        Multiaddr m = Multiaddr.parse(text);
        assertEquals(hex, HEX.formatHex(m.toBytes()));
        assertEquals(text, m.toString());
        assertEquals(m, Multiaddr.decode(HEX.parseHex(hex)));
    }

    @Test
    void featureComponents() {
        List<Component> components = Multiaddr.parse("/ip4/192.0.2.42/tcp/443").components();
        assertEquals(2, components.size());
        assertEquals(MultiaddrProtocol.IP4, components.get(0).protocol());
        assertEquals("c000022a", HEX.formatHex(components.get(0).value()));
        assertEquals("192.0.2.42", components.get(0).valueString());
        assertEquals("/tcp/443", components.get(1).toString());
        assertEquals("01bb", HEX.formatHex(components.get(1).value()));
        assertThrows(UnsupportedOperationException.class, () -> components.remove(0));
    }

    /** Round trips from js-multiaddr's test suite (restricted to the protocols supported here). */
    @ParameterizedTest
    @ValueSource(strings = {
        "/ip4/127.0.0.1",
        "/ip6/2001:8a0:7ac5:4201:3ac9:86ff:fe31:7095",
        "/ip4/127.0.0.1/tcp/5000",
        "/ip6/2001:8a0:7ac5:4201:3ac9:86ff:fe31:7095/udp/5000",
        "/ip4/127.0.0.1/p2p/" + QM + "/tcp/1234",
        "/ip6/2001:8a0:7ac5:4201:3ac9:86ff:fe31:7095/tcp/8000/ws/p2p/" + QM,
        "/ip6/2001:8a0:7ac5:4201:3ac9:86ff:fe31:7095/udp/4001/quic-v1/p2p/" + QM,
        "/ip4/127.0.0.1/tcp/80/unix/a/b/c/d/e/f",
        "/unix/a/b/c/d/e",
        "/unix/tmp/p2p.sock",
        "/p2p/" + QM,
        "/p2p-circuit/p2p/" + QM,
        "/p2p/" + QM + "/p2p-circuit",
        "/dns4/wss0.bootstrap.libp2p.io/tcp/443",
        "/dns6/wss0.bootstrap.libp2p.io/tcp/443/wss",
        "/dns/ipfs.io/tcp/443/tls/ws",
        "/dnsaddr/bootstrap.libp2p.io/p2p/QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN",
        "/ip4/0.0.0.0/tcp/8080/p2p/QmZR5a9AAXGqQF2ADqoDdGS8zvqv8n3Pag6TDDnTNMcFW6/p2p-circuit/p2p/" + QM,
        "/p2p-circuit/p2p/12D3KooWNvSZnPi3RrhrTwEY4LuuBeB6K6facKUCJcyWG1aoDd2p",
        "/ip4/1.2.3.4/tcp/4001/noise",
        "/dns/bücher.example/tcp/1",
    })
    void roundTrips(String text) {
        Multiaddr m = Multiaddr.parse(text);
        assertEquals(text, m.toString());
        assertEquals(m, Multiaddr.decode(m.toBytes()));
        assertEquals(m, Multiaddr.parse(m.toString()));
        assertEquals(m.hashCode(), Multiaddr.parse(text).hashCode());
    }

    @Test
    void canonicalText() {
        assertEquals("/p2p/" + QM, Multiaddr.parse("/ipfs/" + QM).toString());
        assertEquals("/ip6/2001:db8::1/tcp/1", Multiaddr.parse("/ip6/2001:0DB8:0:0:0:0:0:1/tcp/1").toString());
        assertEquals("/ip6/::ffff:1.2.3.4", Multiaddr.parse("/ip6/::ffff:0102:0304").toString());
        assertEquals("/p2p/QmW8rAgaaA6sRydK1k6vonShQME47aDxaFidbtMevWs73t",
                Multiaddr.parse("/p2p/bafzbeidt255unskpefjmqb2rc27vjuyxopkxgaylxij6pw35hhys4vnyp4").toString());
        assertEquals("/tcp/80", Multiaddr.parse("/tcp/0080").toString());
        assertEquals(Multiaddr.parse("/ip4/1.2.3.4"), Multiaddr.parse("/ip4/1.2.3.4/"));
    }

    @Test
    void empty() {
        assertTrue(Multiaddr.empty().isEmpty());
        assertEquals("/", Multiaddr.empty().toString());
        assertSame(Multiaddr.empty(), Multiaddr.parse(""));
        assertSame(Multiaddr.empty(), Multiaddr.parse("/"));
        assertSame(Multiaddr.empty(), Multiaddr.decode(new byte[0]));
        assertEquals(0, Multiaddr.empty().toBytes().length);
        assertFalse(Multiaddr.parse("/ws").isEmpty());
    }

    /** js-multiaddr's manipulation and decapsulateCode examples. */
    @Test
    void encapsulation() {
        Multiaddr udp = Multiaddr.parse("/ip4/127.0.0.1/udp/1234");
        Multiaddr twice = udp.encapsulate("/udp/5678");
        assertEquals("/ip4/127.0.0.1/udp/1234/udp/5678", twice.toString());
        assertEquals(udp, twice.decapsulate(Multiaddr.parse("/udp/5678")));
        assertEquals("/", twice.decapsulate(Multiaddr.parse("/ip4/127.0.0.1")).toString());
        assertEquals(udp, Multiaddr.empty().encapsulate(udp));
        assertSame(udp, udp.decapsulate(Multiaddr.parse("/ip4/198.168.0.0")));
        assertSame(udp, udp.decapsulate(Multiaddr.empty()));

        Multiaddr repeated = Multiaddr.parse("/ip4/1.2.3.4/tcp/1/ws/tcp/1/ws");
        assertEquals("/ip4/1.2.3.4/tcp/1/ws", repeated.decapsulate(Multiaddr.parse("/tcp/1/ws")).toString());

        Multiaddr relayTcp = Multiaddr.parse("/ip4/0.0.0.0/tcp/8080");
        Multiaddr relay = relayTcp.encapsulate("/p2p/QmZR5a9AAXGqQF2ADqoDdGS8zvqv8n3Pag6TDDnTNMcFW6/p2p-circuit");
        Multiaddr original = relay.encapsulate(Multiaddr.parse("/p2p/" + QM));
        assertEquals(relay, original.decapsulateCode(421));
        assertEquals(relayTcp, relay.decapsulateCode(421));
        assertSame(relayTcp, relayTcp.decapsulateCode(421));
        assertEquals(relay, original.withoutPeerId());
        assertSame(relayTcp, relayTcp.withoutPeerId());
    }

    @Test
    void lookups() {
        Multiaddr m = Multiaddr.parse("/ip4/0.0.0.0/tcp/8080/p2p/QmZR5a9AAXGqQF2ADqoDdGS8zvqv8n3Pag6TDDnTNMcFW6"
                + "/p2p-circuit/p2p/bafzbeigweq4zr4x4ky2dvv7nanbkw6egutvrrvzw6g3h2rftp7gidyhtt4");
        assertEquals("QmckZzdVd72h9QUFuJJpQqhsZqGLwjhh81qSvZ9BhB2FQi", m.peerIdHash().orElseThrow().toString());
        assertEquals(Optional.of("8080"), m.valueOf(MultiaddrProtocol.TCP));
        assertEquals(Optional.of("QmZR5a9AAXGqQF2ADqoDdGS8zvqv8n3Pag6TDDnTNMcFW6"), m.valueOf(MultiaddrProtocol.P2P));
        assertEquals(Optional.of(""), m.valueOf(MultiaddrProtocol.P2P_CIRCUIT));
        assertEquals(Optional.empty(), m.valueOf(MultiaddrProtocol.UDP));
        assertEquals(Optional.empty(), Multiaddr.parse("/ip4/0.0.0.0/tcp/1234").peerIdHash());
        assertEquals(Optional.of("/tmp/p2p.sock"), Multiaddr.parse("/ip4/0.0.0.0/tcp/1234/unix/tmp/p2p.sock")
                .valueOf(MultiaddrProtocol.UNIX));
    }

    @Test
    void components() {
        Component tcp = Component.of(MultiaddrProtocol.TCP, "4001");
        Multiaddr m = Multiaddr.of(List.of(Component.of(MultiaddrProtocol.IP4, "10.0.0.1"), tcp,
                Component.of(MultiaddrProtocol.WS, "")));
        assertEquals("/ip4/10.0.0.1/tcp/4001/ws", m.toString());
        byte[] value = tcp.value();
        value[0] = 9;
        assertEquals("4001", tcp.valueString());
        assertEquals(tcp, new Component(MultiaddrProtocol.TCP, new byte[] {0x0f, (byte) 0xa1}));
        assertRejected(() -> new Component(MultiaddrProtocol.IP4, new byte[3]), "multiaddr /ip4", "must be 4 bytes, got 3");
        assertRejected(() -> new Component(MultiaddrProtocol.WS, new byte[1]), "/ws", "takes no value");
        assertRejected(() -> Component.of(MultiaddrProtocol.WS, "x"), "/ws", "takes no value");
    }

    @Test
    void protocols() {
        assertEquals(MultiaddrProtocol.P2P, MultiaddrProtocol.byCode(421));
        assertEquals(MultiaddrProtocol.P2P, MultiaddrProtocol.byName("ipfs"));
        assertEquals(MultiaddrProtocol.QUIC_V1, MultiaddrProtocol.byName("quic-v1"));
        assertEquals(MultiaddrProtocol.SizeKind.FIXED, MultiaddrProtocol.IP6.sizeKind());
        assertEquals(128, MultiaddrProtocol.IP6.fixedBits());
        assertEquals(MultiaddrProtocol.SizeKind.LENGTH_PREFIXED, MultiaddrProtocol.DNSADDR.sizeKind());
        assertEquals(MultiaddrProtocol.SizeKind.NONE, MultiaddrProtocol.NOISE.sizeKind());
        assertTrue(MultiaddrProtocol.UNIX.isPath());
        assertRejected(() -> MultiaddrProtocol.byCode(0x1234), "unknown protocol code 0x1234");
        assertRejected(() -> MultiaddrProtocol.byName("quic"), "unknown protocol 'quic'");
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "/ip4/256.0.0.1 | /ip4 '256.0.0.1' | octet 256 out of range",
        "/ip4/1.2.3.4/tcp/70000 | /tcp '70000' | port 70000 out of range",
        "/ip4/1.2.3.4/udp/-1 | /udp '-1' | invalid port",
        "/ip4 | /ip4 is missing its value |",
        "/ip4/ | /ip4 is missing its value |",
        "/ip4/1.2.3.4/tcp | /tcp is missing its value |",
        "ip4/1.2.3.4 | must start with '/' |",
        "/ip5/1.2.3.4 | unknown protocol 'ip5' |",
        "/ip4/1.2.3.4//tcp/1 | empty protocol name at index 13 |",
        "/ip6/::1/tcp/1/ws/foo | unknown protocol 'foo' |",
        "/unix | /unix is missing its path |",
        "/unix/ | /unix is missing its path |",
        "/ip6/1::2::3 | /ip6 '1::2::3' | more than once",
        "/ip6/fe80::1%eth0 | /ip6 | invalid character '%'",
        "/p2p/Qm0 | /p2p | invalid character '0' at index 2",
        "/p2p/bafybeihdwdcefgh4dqkjv67uzcmw7ojee6xedzdetojuzjevtenxquvyku | CID codec dag-pb is not libp2p-key |",
        "/p2p/12D | /p2p | multihash",
        "/p2p/bafzbgibe | /p2p | cid",
        "/dns4/ | /dns4 is missing its value |",
        "/tls/ws/quic | unknown protocol 'quic' |",
    })
    void rejectsBadText(String text, String fragment, String fragment2) {
        if (fragment2 == null || fragment2.isBlank()) {
            assertRejected(() -> Multiaddr.parse(text), "multiaddr", fragment.strip());
        } else {
            assertRejected(() -> Multiaddr.parse(text), "multiaddr", fragment.strip(), fragment2.strip());
        }
    }

    @Test
    void p2pMustBeAPeerIdHash() {
        String cid = Cid.v1(Multicodec.LIBP2P_KEY, Multihash.sha512(new byte[0])).toString();
        assertRejected(() -> Multiaddr.parse("/p2p/" + cid), "/p2p", "identity or sha2-256, not sha2-512");
        String identity = "/p2p/" + Multihash.identity(new byte[] {1, 2, 3});
        assertEquals(identity, Multiaddr.parse(identity).toString());
    }

    @Test
    void rejectsBadNames() {
        assertRejected(() -> Multiaddr.parse("/dns/" + "a".repeat(256)), "/dns", "256 bytes exceeds 255");
        assertRejected(() -> Multiaddr.parse("/dns/a\u0001b"), "/dns", "control character");
        assertRejected(() -> Multiaddr.parse("/dns/a\ud800b"), "/dns", "not valid Unicode");
        assertRejected(() -> Multiaddr.parse("/" + "ws/".repeat(1400)), "exceeds maximum 4096");
        assertRejected(() -> Multiaddr.parse("/ws".repeat(600)), "bytes exceeds maximum 1024");
    }

    @Test
    void rejectsBadBinary() {
        assertRejected(() -> Multiaddr.decode(HEX.parseHex("047f000001b424")),
                "multiaddr: unknown protocol code 0x1234 at byte 5");
        assertRejected(() -> Multiaddr.decode(HEX.parseHex("360a616263")),
                "multiaddr /dns4 at byte 0", "value length 10 exceeds the 3 remaining bytes");
        assertRejected(() -> Multiaddr.decode(HEX.parseHex("047f0000010601")),
                "multiaddr /tcp at byte 5", "needs 2 value bytes, 1 remain");
        assertRejected(() -> Multiaddr.decode(HEX.parseHex("047f00000180")), "protocol code at byte 5", "truncated");
        assertRejected(() -> Multiaddr.decode(HEX.parseHex("a5030411223344")),
                "multiaddr /p2p at byte 0", "unknown hash code 0x11");
        assertRejected(() -> Multiaddr.decode(HEX.parseHex("3603612f62")), "/dns4", "contains '/'");
        byte[] sha512 = Multihash.sha512(new byte[0]).toBytes();
        byte[] p2p512 = new byte[3 + sha512.length];
        p2p512[0] = (byte) 0xa5;
        p2p512[1] = 0x03;
        p2p512[2] = (byte) sha512.length;
        System.arraycopy(sha512, 0, p2p512, 3, sha512.length);
        assertRejected(() -> Multiaddr.decode(p2p512), "/p2p at byte 0", "identity or sha2-256, not sha2-512");
        assertRejected(() -> Multiaddr.decode(HEX.parseHex("3602c328")), "/dns4", "not valid UTF-8");
        assertRejected(() -> Multiaddr.decode(HEX.parseHex("3600")), "/dns4", "empty name");
        assertRejected(() -> Multiaddr.decode(HEX.parseHex("900302612f")), "/unix", "path must be '/'");
        assertRejected(() -> Multiaddr.decode(HEX.parseHex("9003022f61dd03")), "/unix must be the last component");
        assertRejected(() -> Multiaddr.decode(HEX.parseHex("36ff")), "/dns4 value length", "truncated");
        assertRejected(() -> Multiaddr.decode(new byte[1025]), "1025 bytes exceeds maximum 1024");
        assertRejected(() -> Multiaddr.decode(HEX.parseHex("ffffffffffffffff7f")), "unknown protocol code 0x7fffffffffffffff");
    }

    @Test
    void limitsEncapsulation() {
        Multiaddr unix = Multiaddr.parse("/unix/tmp/x");
        assertRejected(() -> unix.encapsulate("/ws"), "/unix must be the last component");
        Multiaddr big = Multiaddr.parse("/dns/" + "a".repeat(250));
        Multiaddr bigger = big.encapsulate(big).encapsulate(big).encapsulate(big);
        assertRejected(() -> bigger.encapsulate(big), "exceeds maximum 1024");
    }

    @Test
    void bytesAreCopies() {
        Multiaddr m = Multiaddr.parse("/ip4/1.2.3.4");
        m.toBytes()[0] = 9;
        assertArrayEquals(HEX.parseHex("0401020304"), m.toBytes());
    }
}

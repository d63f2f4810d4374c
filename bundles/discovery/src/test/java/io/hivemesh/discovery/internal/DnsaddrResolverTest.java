package io.hivemesh.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.transport.internal.TestIdentity;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** /dnsaddr/ resolution against a real DNS server (dnsmasq) on 127.0.0.1, through {@link DnsClient}. */
class DnsaddrResolverTest {
    private static final PeerId A = new TestIdentity().peerId();
    private static final PeerId B = new TestIdentity().peerId();
    private static Dnsmasq dns;
    private static DnsClient client;

    @BeforeAll
    static void start() throws Exception {
        dns = new Dnsmasq(Map.of(
                "_dnsaddr.boot.test", List.of("dnsaddr=/ip4/127.0.0.1/tcp/4001/p2p/" + A, "dnsaddr=/ip4/127.0.0.1/tcp/4002/p2p/" + B,
                        "dnsaddr=/dnsaddr/nested.test", "not-a-dnsaddr", "dnsaddr=/garbage"),
                "_dnsaddr.nested.test", List.of("dnsaddr=/ip4/127.0.0.1/tcp/4003/p2p/" + A, "dnsaddr=/dnsaddr/deeper.test"),
                "_dnsaddr.deeper.test", List.of("dnsaddr=/ip4/127.0.0.1/tcp/4004/p2p/" + B),
                "_dnsaddr.loop.test", List.of("dnsaddr=/dnsaddr/loop.test"),
                "_dnsaddr.many.test", List.of("dnsaddr=/ip4/127.0.0.1/tcp/1/p2p/" + A, "dnsaddr=/ip4/127.0.0.1/tcp/2/p2p/" + A,
                        "dnsaddr=/ip4/127.0.0.1/tcp/3/p2p/" + A, "dnsaddr=/ip4/127.0.0.1/tcp/4/p2p/" + A)));
        client = new DnsClient(dns.address, Duration.ofSeconds(2));
    }

    @AfterAll
    static void stop() throws Exception {
        dns.close();
    }

    private static Multiaddr m(String s) {
        return Multiaddr.parse(s);
    }

    private static List<String> sorted(List<Multiaddr> l) {
        return l.stream().map(Multiaddr::toString).sorted().toList();
    }

    @Test
    void txtLookupsGoToTheConfiguredServer() {
        assertEquals(List.of("dnsaddr=/dnsaddr/loop.test"), client.txt("_dnsaddr.loop.test"));
        assertEquals(List.of(), client.txt("_dnsaddr.absent.test"));
    }

    @Test
    void resolvesRecursivelyWithinTheDepthBound() {
        DnsaddrResolver r = new DnsaddrResolver(client::txt, 3, 32);
        assertEquals(sorted(List.of(m("/ip4/127.0.0.1/tcp/4001/p2p/" + A), m("/ip4/127.0.0.1/tcp/4002/p2p/" + B),
                m("/ip4/127.0.0.1/tcp/4003/p2p/" + A), m("/ip4/127.0.0.1/tcp/4004/p2p/" + B))), sorted(r.resolve(m("/dnsaddr/boot.test"))));
        // depth 2: deeper.test (level 3) is not followed
        DnsaddrResolver shallow = new DnsaddrResolver(client::txt, 2, 32);
        assertEquals(3, shallow.resolve(m("/dnsaddr/boot.test")).size());
    }

    @Test
    void aPeerIdFiltersTheRecords() {
        DnsaddrResolver r = new DnsaddrResolver(client::txt, 3, 32);
        assertEquals(sorted(List.of(m("/ip4/127.0.0.1/tcp/4001/p2p/" + A), m("/ip4/127.0.0.1/tcp/4003/p2p/" + A))),
                sorted(r.resolve(m("/dnsaddr/boot.test/p2p/" + A))));
        assertEquals(List.of(m("/ip4/127.0.0.1/tcp/4004/p2p/" + B)), r.resolve(m("/dnsaddr/deeper.test/p2p/" + B)));
        HivemeshException e = assertThrows(HivemeshException.class, () -> r.resolve(m("/dnsaddr/deeper.test/p2p/" + A)));
        assertTrue(e.getMessage().contains("no usable address for peer " + A), e.getMessage());
    }

    @Test
    void loopsStopAtTheDepthBoundAndResultsAreBounded() {
        DnsaddrResolver r = new DnsaddrResolver(client::txt, 4, 2);
        HivemeshException e = assertThrows(HivemeshException.class, () -> r.resolve(m("/dnsaddr/loop.test")));
        assertTrue(e.getMessage().contains("deeper than 4 levels"), e.getMessage());
        assertEquals(2, r.resolve(m("/dnsaddr/many.test")).size());
        assertThrows(HivemeshException.class, () -> r.resolve(m("/dnsaddr/absent.test")));
    }

    @Test
    void otherAddressesPassThrough() {
        DnsaddrResolver r = new DnsaddrResolver(name -> {
            throw new AssertionError("no lookup expected for " + name);
        }, 1, 1);
        assertEquals(List.of(m("/ip4/127.0.0.1/tcp/5")), r.resolve(m("/ip4/127.0.0.1/tcp/5")));
    }

    @Test
    void aSilentServerFailsWithinTheTimeoutNamingIt() throws Exception {
        try (java.net.DatagramSocket silent = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
            DnsClient c = new DnsClient((java.net.InetSocketAddress) silent.getLocalSocketAddress(), Duration.ofMillis(200));
            HivemeshException e = assertThrows(HivemeshException.class, () -> c.txt("_dnsaddr.x.test"));
            assertTrue(e.getMessage().contains("_dnsaddr.x.test") && e.getMessage().contains("no reply"), e.getMessage());
        }
    }
}

package io.hivemesh.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.HivemeshException;
import io.hivemesh.api.multiformats.Multiaddr;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import java.io.IOException;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The real Netty resolver, on names that /etc/hosts answers: no test here sends a DNS query (a
 * family that the hosts file lacks for {@code localhost} is skipped, since Netty would then ask a
 * name server).
 */
class NettyAddressResolverTest {
    private EventLoopGroup group;
    private NettyAddressResolver resolver;
    private List<InetAddress> localhostEntries;

    @BeforeEach
    void setUp() throws IOException {
        localhostEntries = hostsEntries("localhost");
        group = new NioEventLoopGroup(1);
        resolver = new NettyAddressResolver(group.next(), Duration.ofSeconds(2));
    }

    @AfterEach
    void tearDown() throws Exception {
        resolver.close();
        group.shutdownGracefully(0, 1, TimeUnit.SECONDS).sync();
    }

    /** The addresses /etc/hosts gives {@code name}, read here rather than assumed. */
    private static List<InetAddress> hostsEntries(String name) throws IOException {
        Path hosts = Path.of("/etc/hosts");
        List<InetAddress> out = new ArrayList<>();
        if (!Files.isReadable(hosts)) {
            return out;
        }
        for (String line : Files.readAllLines(hosts)) {
            int hash = line.indexOf('#');
            String[] f = (hash >= 0 ? line.substring(0, hash) : line).trim().split("\\s+");
            for (int i = 1; i < f.length; i++) {
                if (f[i].equalsIgnoreCase(name) && (f[0].contains(":") || f[0].matches("[0-9.]+"))) {
                    out.add(InetAddress.getByName(f[0])); // a literal: no lookup
                }
            }
        }
        return out;
    }

    private boolean hostsHas(Class<? extends InetAddress> family) {
        return localhostEntries.stream().anyMatch(family::isInstance);
    }

    private List<InetSocketAddress> resolve(String address) throws Exception {
        return resolver.resolve(Multiaddr.parse(address)).get(10, TimeUnit.SECONDS);
    }

    @Test
    void dns4LocalhostResolvesFromTheHostsFile() throws Exception {
        assertTrue(localhostEntries.contains(InetAddress.getByName("127.0.0.1")), "this machine's /etc/hosts must map localhost to 127.0.0.1");
        List<InetSocketAddress> r = resolve("/dns4/localhost/tcp/1234");
        assertTrue(r.contains(new InetSocketAddress("127.0.0.1", 1234)), r.toString());
        assertTrue(r.stream().allMatch(s -> s.getAddress() instanceof Inet4Address), "A records only: " + r);
    }

    @Test
    void dnsLocalhostGivesEveryHostsFileAddress() throws Exception {
        assertTrue(hostsHas(Inet4Address.class), "this machine's /etc/hosts must have an IPv4 localhost");
        List<InetSocketAddress> r = resolve("/dns/localhost/tcp/7");
        for (InetAddress a : localhostEntries) {
            assertTrue(r.contains(new InetSocketAddress(a, 7)), a + " missing from " + r);
        }
    }

    @Test
    void ipLiteralsAreReturnedWithoutALookup() throws Exception {
        assertEquals(List.of(new InetSocketAddress("127.0.0.1", 5)), resolve("/ip4/127.0.0.1/tcp/5"));
        assertEquals(List.of(new InetSocketAddress("::1", 6)), resolve("/ip6/::1/tcp/6"));
    }

    @Test
    void anUnsupportedAddressFailsNamingIt() {
        ExecutionException e = assertThrows(ExecutionException.class,
                () -> resolve("/ip4/127.0.0.1/udp/5"));
        assertInstanceOf(HivemeshException.class, e.getCause());
        assertTrue(e.getCause().getMessage().contains("/ip4/127.0.0.1/udp/5"), e.getCause().getMessage());
    }
}

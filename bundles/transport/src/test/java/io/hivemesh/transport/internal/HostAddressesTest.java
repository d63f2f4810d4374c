package io.hivemesh.transport.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.multiformats.Multiaddr;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Wildcard expansion of listen addresses (no socket is bound). */
class HostAddressesTest {

    @Test
    void anIpv4WildcardReportedAsIpv6AnyStillExpandsToIpv4Addresses() throws Exception {
        // a dual-stack JVM reports a server bound to 0.0.0.0 as [::]
        List<Multiaddr> out = HostAddresses.expand(new InetSocketAddress(InetAddress.getByName("::"), 4001),
                InetAddress.getByName("0.0.0.0"));
        assertTrue(out.contains(Multiaddr.parse("/ip4/127.0.0.1/tcp/4001")), out.toString());
        assertTrue(out.stream().allMatch(a -> a.toString().startsWith("/ip4/")), out.toString());
    }

    @Test
    void aConcreteAddressStaysAsItIs() throws Exception {
        assertEquals(List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/5")),
                HostAddresses.expand(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 5), InetAddress.getByName("127.0.0.1")));
    }
}

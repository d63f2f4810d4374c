package io.hivemesh.discovery.internal;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.Connection;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.transport.internal.HostConfig;
import io.hivemesh.transport.internal.Libp2pHost;
import io.hivemesh.transport.internal.TestIdentity;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

/** Real libp2p hosts on 127.0.0.1 for the discovery tests, and bounded polling. */
final class Hosts {
    private Hosts() {
    }

    static Libp2pHost start() {
        Libp2pHost h = new Libp2pHost(new TestIdentity(), HostConfig.defaults(java.util.List.of(Multiaddr.parse("/ip4/127.0.0.1/tcp/0"))));
        h.start();
        return h;
    }

    static Multiaddr full(Libp2pHost h) {
        return h.listenAddresses().get(0).encapsulate("/p2p/" + h.peerId());
    }

    static Set<PeerId> connected(Libp2pHost h) {
        return h.connections().stream().map(Connection::remotePeer).collect(Collectors.toSet());
    }

    /** Polls {@code condition} every 20 ms for at most 30 s; fails with {@code what} if it never holds. */
    static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}

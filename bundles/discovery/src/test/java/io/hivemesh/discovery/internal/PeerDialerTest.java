package io.hivemesh.discovery.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.transport.internal.Libp2pHost;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The dialer with a real host on loopback; the backoff clock is set by hand. */
class PeerDialerTest {
    private final AtomicLong now = new AtomicLong();
    private Libp2pHost node;
    private Libp2pHost other;

    @AfterEach
    void stop() {
        node.stop();
        other.stop();
    }

    @Test
    void triesTheAddressesInTurnAndBacksOffAfterAFailure() throws Exception {
        node = Hosts.start();
        other = Hosts.start();
        PeerDialer d = new PeerDialer(node, now::get);
        Multiaddr dead = Multiaddr.parse("/ip4/127.0.0.1/tcp/1");
        // the dead address first, then the live one: connects
        assertTrue(d.dial(other.peerId(), List.of(dead, other.listenAddresses().get(0))).get(60, TimeUnit.SECONDS));
        node.disconnect(other.peerId()).get(30, TimeUnit.SECONDS);
        assertTrue(d.mayDial(other.peerId()), "a success leaves no backoff");
        // only the dead address: fails, then waits 30 s, then 60 s after the next failure
        assertFalse(d.dial(other.peerId(), List.of(dead)).get(60, TimeUnit.SECONDS));
        assertFalse(d.mayDial(other.peerId()));
        assertFalse(d.dial(other.peerId(), List.of(other.listenAddresses().get(0))).get(60, TimeUnit.SECONDS), "refused during the backoff");
        now.addAndGet(PeerDialer.FIRST_BACKOFF_NS);
        assertTrue(d.mayDial(other.peerId()));
        assertFalse(d.dial(other.peerId(), List.of(dead)).get(60, TimeUnit.SECONDS));
        now.addAndGet(PeerDialer.FIRST_BACKOFF_NS);
        assertFalse(d.mayDial(other.peerId()), "the backoff doubled");
        now.addAndGet(PeerDialer.FIRST_BACKOFF_NS);
        assertTrue(d.mayDial(other.peerId()));
        d.reset(other.peerId());
        assertTrue(d.dial(other.peerId(), List.of(other.listenAddresses().get(0))).get(60, TimeUnit.SECONDS));
    }
}

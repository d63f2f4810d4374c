package io.hivemesh.discovery.internal;

import static io.hivemesh.discovery.internal.Hosts.await;
import static io.hivemesh.discovery.internal.Hosts.connected;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.net.Connection;
import io.hivemesh.api.net.Stream;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.transport.internal.Libp2pHost;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The connection manager on a real host with real peers on loopback; time is a settable clock. */
class ConnectionTrimmerTest {
    private static final String HOLD = "/hivemesh-test/hold/1.0.0";
    /** Stands for a gossip stream: held open like HOLD, but declared long-lived to the trimmer. */
    private static final String LONG_LIVED = "/hivemesh-test/long-lived/1.0.0";
    private final AtomicLong now = new AtomicLong(1_000_000_000L);
    private Libp2pHost hub;
    private final List<Libp2pHost> peers = new ArrayList<>();
    private final List<Stream> held = new java.util.concurrent.CopyOnWriteArrayList<>();

    @BeforeEach
    void start() throws Exception {
        hub = Hosts.start();
        hub.addStreamHandler(HOLD, s -> held.add(s)); // keeps inbound streams open: a transfer in progress
        hub.addStreamHandler(LONG_LIVED, s -> held.add(s));
        for (int i = 0; i < 4; i++) {
            Libp2pHost p = Hosts.start();
            p.connect(Hosts.full(hub)).get(30, TimeUnit.SECONDS);
            peers.add(p);
        }
        await("the hub sees 4 peers", () -> connected(hub).size() == 4);
        // identify's streams right after connecting count as transfers in progress until they close
        await("identify is done", () -> hub.connections().stream().allMatch(c -> c.openStreams() == 0));
    }

    @AfterEach
    void stop() {
        peers.forEach(Libp2pHost::stop);
        hub.stop();
    }

    private PeerId id(int i) {
        return peers.get(i).peerId();
    }

    private ConnectionTrimmer trimmer(int low, int high, Duration grace) {
        return new ConnectionTrimmer(hub, new ConnectionTrimmer.Limits(low, high, grace), now::get, p -> 0);
    }

    @Test
    void trimsTheLeastValuableDownToLowWaterSparingProtectedAndBusyPeers() throws Exception {
        ConnectionTrimmer t = trimmer(1, 2, Duration.ZERO);
        t.protect(id(0), "pubsub");
        t.tag(id(1), "useful", 100);
        Stream s = peers.get(2).newStream(hub.peerId(), List.of(HOLD)).get(30, TimeUnit.SECONDS);
        await("the hub counts peer 2's stream", () -> hub.connections().stream()
                .anyMatch(c -> c.remotePeer().equals(id(2)) && c.openStreams() > 0));
        // 4 peers > high 2: trim towards low 1; only peers 3 and then 1 may go (0 protected, 2 busy)
        assertEquals(2, t.trim());
        await("peers 1 and 3 are gone", () -> connected(hub).equals(Set.of(id(0), id(2))));
        assertEquals(0, t.trim(), "2 peers is not above high water");
        s.close();
    }

    @Test
    void theLowestValueGoesFirst() throws Exception {
        ConnectionTrimmer t = trimmer(3, 3, Duration.ZERO);
        t.tag(id(0), "a", 5);
        t.tag(id(1), "a", 7);
        t.tag(id(2), "a", -3);
        t.tag(id(3), "a", 9);
        t.tag(id(3), "a", -9); // back to 0: 2 (-3) is still lower
        assertEquals(0, t.value(id(3)));
        assertEquals(1, t.trim());
        await("peer 2 is gone", () -> !connected(hub).contains(id(2)) && connected(hub).size() == 3);
    }

    @Test
    void newConnectionsHaveAGracePeriod() throws Exception {
        ConnectionTrimmer t = trimmer(0, 1, Duration.ofMinutes(1));
        for (Connection c : hub.connections()) {
            t.connected(c);
        }
        now.addAndGet(Duration.ofSeconds(59).toNanos());
        assertEquals(0, t.trim(), "all connections are within their grace period");
        assertEquals(4, connected(hub).size());
        now.addAndGet(Duration.ofSeconds(2).toNanos());
        t.protect(id(3), "dht");
        assertEquals(3, t.trim());
        await("only the protected peer stays", () -> connected(hub).equals(Set.of(id(3))));
    }

    @Test
    void unprotectTellsWhetherAnotherTagStillProtects() {
        ConnectionTrimmer t = trimmer(0, 1, Duration.ZERO);
        t.protect(id(0), "pubsub");
        t.protect(id(0), "dht");
        assertTrue(t.unprotect(id(0), "pubsub"));
        assertTrue(t.isProtected(id(0)));
        assertFalse(t.unprotect(id(0), "dht"));
        assertFalse(t.isProtected(id(0)));
    }

    @Test
    void openStreamsCountsStreamsUntilTheyClose() throws Exception {
        Stream s = peers.get(1).newStream(hub.peerId(), List.of(HOLD)).get(30, TimeUnit.SECONDS);
        Connection out = peers.get(1).connections().get(0);
        await("the dialer counts its stream", () -> out.openStreams() == 1);
        s.close();
        await("the hub counts peer 1's stream", () -> held.size() == 1);
        held.get(0).close();
        await("both sides count none after close", () -> out.openStreams() == 0 && hub.connections().stream()
                .filter(c -> c.remotePeer().equals(id(1))).allMatch(c -> c.openStreams() == 0));
    }

    @Test
    void aLongLivedStreamDoesNotKeepAPeerButATransferDoes() throws Exception {
        ConnectionTrimmer t = new ConnectionTrimmer(hub, new ConnectionTrimmer.Limits(2, 2, Duration.ZERO,
                Set.of(LONG_LIVED)), now::get, p -> 0);
        for (int i = 0; i < 4; i++) {
            peers.get(i).newStream(hub.peerId(), List.of(LONG_LIVED)).get(30, TimeUnit.SECONDS);
        }
        peers.get(0).newStream(hub.peerId(), List.of(HOLD)).get(30, TimeUnit.SECONDS);
        await("the hub counts every stream by protocol", () -> hub.connections().stream()
                .filter(c -> c.openStreamsByProtocol().containsKey(LONG_LIVED)).count() == 4
                && hub.connections().stream().anyMatch(c -> c.openStreamsByProtocol().containsKey(HOLD)));
        t.tag(id(1), "useful", 50);
        // 4 peers > high 2: down to 2; peer 0 has a transfer, the others only long-lived streams;
        // peer 1 is worth more than 2 and 3, so those go
        assertEquals(2, t.trim());
        await("peers 2 and 3 are gone", () -> connected(hub).equals(Set.of(id(0), id(1))));
    }

    @Test
    void streamsAreCountedByProtocolUntilTheyClose() throws Exception {
        Stream s = peers.get(1).newStream(hub.peerId(), List.of(HOLD)).get(30, TimeUnit.SECONDS);
        Connection out = peers.get(1).connections().get(0);
        await("the dialer counts its stream under its protocol",
                () -> out.openStreamsByProtocol().equals(java.util.Map.of(HOLD, 1)));
        s.close();
        await("the hub counts peer 1's stream", () -> held.size() == 1);
        held.get(0).close();
        await("both sides count none after close", () -> out.openStreamsByProtocol().isEmpty()
                && hub.connections().stream().filter(c -> c.remotePeer().equals(id(1)))
                        .allMatch(c -> c.openStreamsByProtocol().isEmpty()));
    }
}

package io.hivemesh.pubsub.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.AddressSource;
import io.hivemesh.api.net.Connection;
import io.hivemesh.api.pubsub.Subscription;
import io.hivemesh.transport.internal.PeerBook;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Gossipsub peer exchange with signed peer records against js-libp2p 3.3.11 + @libp2p/gossipsub 17.1.1
 * on loopback, both ways: a Java node relays a Java peer's record in its PRUNE and js accepts it
 * (js dials that peer, whose address it can only have from the record); js relays a Java peer's
 * record and the Java node holds that peer's address as CERTIFIED. Fresh peers score 0, so both
 * sides take PX from peers scoring at least 0 here. Every wait is a bounded poll.
 */
class PeerExchangeJsInteropIT {
    private static final String TOPIC = "px-interop";
    private static final long WAIT_S = 30;

    private final List<AutoCloseable> closing = new ArrayList<>();

    private <T extends AutoCloseable> T track(T c) {
        closing.add(0, c);
        return c;
    }

    @AfterEach
    void close() throws Exception {
        for (AutoCloseable c : closing) {
            c.close();
        }
    }

    private static GossipSettings javaSettings() {
        ScoreThresholds d = ScoreThresholds.DEFAULTS;
        return PubSubTestNode.fastSettings().toBuilder().messageIdFunction(MessageIdFunction.FROM_SEQNO)
                .peerExchange(true)
                .thresholds(new ScoreThresholds(d.gossip(), d.publish(), d.graylist(), 0, d.opportunisticGraft())).build();
    }

    private PubSubTestNode java() {
        return track(PubSubTestNode.start(javaSettings()));
    }

    private static Multiaddr listen(PubSubTestNode n) {
        return n.host.listenAddresses().get(0).withoutPeerId();
    }

    @Test
    void jsAcceptsTheRecordAJavaNodeRelaysAndDialsThePeer() throws Exception {
        PubSubTestNode a = java();
        PubSubTestNode c = java();
        JsGossipPeer b = track(new JsGossipPeer(Map.of("acceptPXThreshold", 0)));
        Subscription sa = a.pubsub.subscribe(TOPIC);
        c.pubsub.subscribe(TOPIC);
        b.subscribe(TOPIC);
        a.host.connect(Multiaddr.parse(b.fullAddress())).get(WAIT_S, TimeUnit.SECONDS);
        a.connect(c);
        Waits.until(() -> "a meshed with js and c, holding c's record: " + a.pubsub.mesh(TOPIC), WAIT_S,
                () -> a.pubsub.mesh(TOPIC).containsAll(List.of(b.peerId, c.id()))
                        && a.host.peerStore().signedPeerRecord(c.id()).isPresent());
        assertTrue(c.host.connections().stream().noneMatch(x -> x.remotePeer().equals(b.peerId)), "js and c not connected yet");

        sa.close(); // a leaves: its PRUNE to js offers c with c's record

        Waits.until("js dialed c at the address in c's record", WAIT_S,
                () -> c.host.connections().stream().map(Connection::remotePeer).anyMatch(b.peerId::equals));
    }

    @Test
    void javaCertifiesTheRecordJsRelays() throws Exception {
        JsGossipPeer a = track(new JsGossipPeer(Map.of("doPX", true)));
        PubSubTestNode b = java();
        PubSubTestNode c = java();
        a.subscribe(TOPIC);
        b.pubsub.subscribe(TOPIC);
        c.pubsub.subscribe(TOPIC);
        a.dial(b.address().toString());
        a.dial(c.address().toString());
        Waits.until("js meshed with b and c", WAIT_S,
                () -> a.mesh(TOPIC).containsAll(List.of(b.id().toString(), c.id().toString())));
        PeerBook bBook = b.host.peerStore();
        assertTrue(bBook.addresses(c.id()).isEmpty(), "b knows nothing of c yet");

        a.unsubscribe(TOPIC); // js leaves: its PRUNE to b offers c with the record js got from c's Identify

        Waits.until(() -> "b holds c's address as CERTIFIED: " + bBook.addresses(c.id()), WAIT_S,
                () -> bBook.addressSource(c.id(), listen(c)).equals(Optional.of(AddressSource.CERTIFIED)));
        assertEquals(0, b.peerExchange.stats().recordsRefused());
        assertTrue(b.peerExchange.stats().recordsAccepted() >= 1);
    }
}

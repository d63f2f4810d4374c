package io.hivemesh.pubsub.internal;

import static io.hivemesh.pubsub.internal.PubSubTestNode.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.discovery.DiscoverySource;
import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.AddressSource;
import io.hivemesh.api.peer.PeerId;
import io.hivemesh.api.pubsub.Subscription;
import io.hivemesh.transport.internal.PeerBook;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Gossipsub v1.1 peer exchange with signed peer records between real libp2p hosts on loopback: A
 * knows C's record from Identify and passes it on in the PRUNE it sends B when leaving the topic;
 * B verifies it, holds C's addresses as CERTIFIED and reports C to Discovery with them. Hostile and
 * broken records are refused by B's peer store and counted, and C is still reported (PX named it).
 */
class PeerExchangeHostTest {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String TOPIC = "hivemesh-px";

    private final List<AutoCloseable> closing = new ArrayList<>();

    /** Peer exchange on; PX is taken from peers scoring at least 0 (a fresh peer scores 0). */
    private static GossipSettings settings() {
        ScoreThresholds d = ScoreThresholds.DEFAULTS;
        return PubSubTestNode.fastSettings().toBuilder().peerExchange(true)
                .thresholds(new ScoreThresholds(d.gossip(), d.publish(), d.graylist(), 0, d.opportunisticGraft())).build();
    }

    private PubSubTestNode node() {
        PubSubTestNode n = PubSubTestNode.start(settings());
        closing.add(n);
        return n;
    }

    @AfterEach
    void close() throws Exception {
        for (int i = closing.size() - 1; i >= 0; i--) {
            closing.get(i).close();
        }
    }

    private static Multiaddr listen(PubSubTestNode n) {
        return n.host.listenAddresses().get(0).withoutPeerId();
    }

    @Test
    void pruneWithPeerExchangeGivesTheOtherPeerCertifiedAddresses() throws Exception {
        PubSubTestNode a = node();
        PubSubTestNode b = node();
        PubSubTestNode c = node();
        RecordingDiscoveryForTests discovery = new RecordingDiscoveryForTests();
        b.discovery.set(discovery);
        Subscription sa = a.pubsub.subscribe(TOPIC);
        b.pubsub.subscribe(TOPIC);
        c.pubsub.subscribe(TOPIC);
        a.connect(b);
        a.connect(c);
        assertTrue(await(() -> a.pubsub.mesh(TOPIC).containsAll(List.of(b.id(), c.id()))
                && a.host.peerStore().signedPeerRecord(c.id()).isPresent(), WAIT),
                "a meshed with b and c and holds c's record: mesh " + a.pubsub.mesh(TOPIC));
        assertTrue(b.host.peerStore().addresses(c.id()).isEmpty(), "b knows nothing of c yet");

        sa.close(); // a leaves the topic: PRUNE with PX to b (offering c) and to c (offering b)

        PeerBook bBook = b.host.peerStore();
        assertTrue(await(() -> bBook.addressSource(c.id(), listen(c)).equals(Optional.of(AddressSource.CERTIFIED)), WAIT),
                "b holds c's address as CERTIFIED: " + bBook.addresses(c.id()));
        assertTrue(await(() -> discovery.reports.stream().anyMatch(r -> r.peer().equals(c.id())), WAIT), "c reported");
        RecordingDiscoveryForTests.Report r = discovery.reports.stream().filter(x -> x.peer().equals(c.id())).findFirst().orElseThrow();
        assertEquals(DiscoverySource.PEER_EXCHANGE, r.source());
        assertTrue(r.addresses().contains(listen(c)), "reported with the certified address: " + r.addresses());
        assertEquals(1, b.peerExchange.stats().recordsAccepted());
        assertEquals(0, b.peerExchange.stats().recordsRefused());
        assertTrue(bBook.signedPeerRecord(c.id()).isPresent(), "b keeps c's record to pass on in turn");
    }

    @Test
    void brokenOrForeignRecordsAreRefusedCountedAndThePeerStillReported() throws Exception {
        PubSubTestNode a = node();
        PubSubTestNode c = node();
        a.connect(c);
        assertTrue(await(() -> a.host.peerStore().signedPeerRecord(c.id()).isPresent(), WAIT), "a holds c's record");
        byte[] record = a.host.peerStore().signedPeerRecord(c.id()).orElseThrow();
        PeerBook book = new PeerBook(Optional.empty(), 64, System::currentTimeMillis, System::nanoTime);
        RecordingDiscoveryForTests discovery = new RecordingDiscoveryForTests();
        PeerExchangeIntake intake = new PeerExchangeIntake(book, () -> discovery);

        byte[] tampered = record.clone();
        tampered[tampered.length - 1] ^= 0x01;
        intake.accept(c.id(), tampered);
        PeerId impostor = a.id();
        intake.accept(impostor, record); // c's record offered as a's
        intake.accept(c.id(), new byte[] {(byte) 0xff, 0x00, 0x13});
        assertEquals(3, intake.stats().recordsRefused());
        assertEquals(0, intake.stats().recordsAccepted());
        assertTrue(book.addresses(c.id()).isEmpty() && book.addresses(impostor).isEmpty(), "nothing certified");
        assertEquals(3, discovery.reports.size(), "every PX peer is still reported (without addresses)");
        assertTrue(discovery.reports.stream().allMatch(x -> x.addresses().isEmpty()));

        intake.accept(c.id(), record);
        intake.accept(c.id(), record);
        assertEquals(1, intake.stats().recordsAccepted(), "the second copy is not new");
        assertEquals(Optional.of(AddressSource.CERTIFIED), book.addressSource(c.id(), listen(c)));
        assertEquals(List.of(listen(c)), discovery.reports.get(3).addresses());

        PeerExchangeIntake unbound = new PeerExchangeIntake(book, () -> null);
        unbound.accept(a.id(), new byte[0]);
        assertEquals(0, unbound.stats().reported(), "no Discovery bound: nothing reported, nothing thrown");
    }
}

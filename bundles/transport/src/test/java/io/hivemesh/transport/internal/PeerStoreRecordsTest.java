package io.hivemesh.transport.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.hivemesh.api.multiformats.Multiaddr;
import io.hivemesh.api.net.AddressSource;
import io.hivemesh.api.net.PeerStore;
import io.hivemesh.api.peer.PeerId;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link PeerStore#addSignedPeerRecord} and {@link PeerStore#signedPeerRecord} on the host's peer
 * book, with a record a real host sent in Identify (over loopback): accepted once, its addresses
 * certified; a tampered copy and a record of another peer refused, naming why, the book untouched.
 */
class PeerStoreRecordsTest {
    private Libp2pHost a;
    private Libp2pHost c;

    @AfterEach
    void stop() {
        if (a != null) {
            a.stop();
        }
        if (c != null) {
            c.stop();
        }
    }

    /** C's signed record as A received it in Identify. */
    private byte[] recordOfCAsSeenByA() throws Exception {
        a = HostLoopbackTest.host();
        c = HostLoopbackTest.host();
        a.connect(c.listenAddresses().get(0).encapsulate("/p2p/" + c.peerId())).get(10, TimeUnit.SECONDS);
        HostLoopbackTest.waitFor(() -> a.peerStore().signedPeerRecord(c.peerId()).isPresent(), Duration.ofSeconds(30));
        return a.peerStore().signedPeerRecord(c.peerId()).orElseThrow();
    }

    private static PeerBook book() {
        return new PeerBook(Optional.empty(), 16, System::currentTimeMillis, System::nanoTime);
    }

    @Test
    void aRecordFromIdentifyCertifiesItsAddressesOnce() throws Exception {
        byte[] record = recordOfCAsSeenByA();
        PeerBook b = book();
        assertTrue(b.addSignedPeerRecord(c.peerId(), record), "new record");
        List<Multiaddr> listen = c.listenAddresses().stream().map(Multiaddr::withoutPeerId).toList();
        assertEquals(listen, b.addresses(c.peerId()));
        for (Multiaddr m : listen) {
            assertEquals(Optional.of(AddressSource.CERTIFIED), b.addressSource(c.peerId(), m));
        }
        assertArrayEquals(record, b.signedPeerRecord(c.peerId()).orElseThrow(), "kept as received");
        assertFalse(b.addSignedPeerRecord(c.peerId(), record), "the same seq again is not new");
        assertTrue(b.publicKey(c.peerId()).isPresent(), "the signer's key is kept");
    }

    @Test
    void aTamperedRecordIsRefusedNamingTheSignature() throws Exception {
        byte[] record = recordOfCAsSeenByA();
        byte[] tampered = record.clone();
        tampered[tampered.length - 1] ^= 0x01; // the signature is the envelope's last field
        PeerBook b = book();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.addSignedPeerRecord(c.peerId(), tampered));
        assertTrue(e.getMessage().contains("signature") && e.getMessage().contains(c.peerId().toString()),
                e.getMessage());
        assertTrue(b.addresses(c.peerId()).isEmpty());
        assertTrue(b.signedPeerRecord(c.peerId()).isEmpty());
    }

    @Test
    void aRecordOfAnotherPeerIsRefusedNamingWhose() throws Exception {
        byte[] record = recordOfCAsSeenByA();
        PeerId other = a.peerId();
        PeerBook b = book();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> b.addSignedPeerRecord(other, record));
        assertTrue(e.getMessage().contains("the record is " + c.peerId()), e.getMessage());
        assertTrue(b.addresses(other).isEmpty() && b.addresses(c.peerId()).isEmpty());
    }

    @Test
    void garbageAndOversizeEnvelopesAreRefused() {
        PeerBook b = book();
        PeerId p = new TestIdentity().peerId();
        IllegalArgumentException junk = assertThrows(IllegalArgumentException.class,
                () -> b.addSignedPeerRecord(p, new byte[] {(byte) 0xff, 0x01, 0x02}));
        assertTrue(junk.getMessage().contains("malformed"), junk.getMessage());
        IllegalArgumentException big = assertThrows(IllegalArgumentException.class,
                () -> b.addSignedPeerRecord(p, new byte[PeerRecords.MAX_ENVELOPE + 1]));
        assertTrue(big.getMessage().contains("exceeds " + PeerRecords.MAX_ENVELOPE), big.getMessage());
    }

    @Test
    void aStoreWithoutRecordsSaysSo() {
        PeerStore minimal = new PeerStore() {
            @Override
            public void addAddresses(PeerId peer, java.util.Collection<Multiaddr> addresses, Duration ttl) {
            }

            @Override
            public void addAddresses(PeerId peer, java.util.Collection<Multiaddr> addresses, AddressSource source) {
            }

            @Override
            public List<Multiaddr> addresses(PeerId peer) {
                return List.of();
            }

            @Override
            public void setProtocols(PeerId peer, java.util.Collection<String> protocols) {
            }

            @Override
            public java.util.Set<String> protocols(PeerId peer) {
                return java.util.Set.of();
            }

            @Override
            public void setPublicKey(PeerId peer, io.hivemesh.api.peer.PublicKey key) {
            }

            @Override
            public Optional<io.hivemesh.api.peer.PublicKey> publicKey(PeerId peer) {
                return Optional.empty();
            }

            @Override
            public void recordLatency(PeerId peer, Duration rtt) {
            }

            @Override
            public Optional<Duration> latency(PeerId peer) {
                return Optional.empty();
            }

            @Override
            public java.util.Set<PeerId> peers() {
                return java.util.Set.of();
            }
        };
        PeerId p = new TestIdentity().peerId();
        assertTrue(minimal.signedPeerRecord(p).isEmpty());
        assertThrows(UnsupportedOperationException.class, () -> minimal.addSignedPeerRecord(p, new byte[1]));
    }
}
